// Owns what a pooled instance's guest talks through: the channels every guest has (messaging port, stdout and stderr) plus, for Ocre's current API, its own event queue and timers.
import { GuestChannels } from '../guest/guest-channels.ts';
import type { WorkerReport } from '../channel/worker-protocol.ts';
import { CurrentGuestHost, eventLoopClock } from '../current-api/current-guest-host.ts';
import type { PoolStartCommand } from './pool-protocol.ts';

/** What the current API's host needs from the instance: its ocre_sleep, and a wake-up when an event arrives. */
export interface CurrentApiHooks {
  readonly sleep: (milliseconds: number) => number;
  readonly onEvent: () => void;
}

/** The channels of one pooled instance's guest, built from its start command. */
export class InstanceIo extends GuestChannels {
  /** Ocre's current API: the instance's own event queue and timers; undefined for the 2025 API. */
  readonly current: CurrentGuestHost | undefined;

  /**
   * @param command - the instance's start command (its `generation` is the instance's id)
   * @param module - the asyncified module
   * @param post - the worker's reporting channel
   * @param control - the worker's control block (call replies)
   * @param hooks - the instance's ocre_sleep and wake-up, for the current API
   */
  constructor(
    command: PoolStartCommand,
    module: WebAssembly.Module,
    post: (report: WorkerReport) => void,
    control: Int32Array,
    hooks: CurrentApiHooks,
  ) {
    super(command, control, post);
    this.current =
      command.api === 'current'
        ? new CurrentGuestHost({
            generation: command.generation,
            name: command.name,
            limits: command.limits,
            module,
            port: this.port,
            post,
            clock: eventLoopClock,
            sleep: hooks.sleep,
            onEvent: hooks.onEvent,
            ...(command.devices === undefined ? {} : { devices: command.devices }),
          })
        : undefined;
  }

  /** Report what the guest left pending before it yields: refused publishes and (current API) event outcomes. */
  flushPending(): void {
    this.port.flushRejected();
    this.current?.flush();
  }

  /** The instance is gone: report what is left and stop its current-API timers. */
  close(): void {
    this.flushOutput();
    this.port.flushRejected();
    this.current?.dispose();
  }
}
