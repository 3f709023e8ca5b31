// Owns one run of a system from the command line: create, start, stop after --for or on SIGINT/SIGTERM, and log its events.
import { createOcreSystem, SystemError } from '@ocre-ts/actors';
import type { OcreSystem, OcreSystemOptions, SystemStopped } from '@ocre-ts/actors';
import { systemFileError } from './errors.ts';
import type { EventLog } from './events-log.ts';

/** How to run a system. */
export interface SessionOptions {
  /** The composed system options. */
  readonly system: OcreSystemOptions;
  /** What the options came from, for messages (`system file x.yaml`). */
  readonly subject: string;
  /** Stop gracefully after this many ms; run until a signal when absent. */
  readonly forMs?: number;
  /** Where every event goes, if anywhere. */
  readonly eventLog?: EventLog;
  /** Called once the system exists, before it starts: subscribe to its streams here. */
  readonly onCreated?: (system: OcreSystem) => void;
  /** Called once every container has started (or faulted while starting). */
  readonly onStarted?: (system: OcreSystem) => void;
  /** Called when a signal asks for a stop. */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
}

/** How long a graceful stop may spend draining queued mail. */
const drainTimeoutMs = 2000;

/**
 * Run a system until `forMs` passes, SIGINT/SIGTERM arrives, or its root supervisor gives up.
 * A second signal during the stop ends the process at once (exit code 130 / 143).
 *
 * @throws CliError `INVALID_SYSTEM_FILE` when createOcreSystem rejects the options
 * @returns how the system ended, with the final counters
 */
export async function runSession(options: SessionOptions): Promise<SystemStopped> {
  let system: OcreSystem;
  try {
    system = createOcreSystem(options.system);
  } catch (error) {
    if (error instanceof SystemError) throw systemFileError(options.subject, [error.message]);
    throw error;
  }
  const { eventLog } = options;
  if (eventLog !== undefined) system.events$.subscribe((event) => eventLog.write(event));
  options.onCreated?.(system);

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
    signalled = true;
    options.onSignal?.(signal);
    void system.stop({ reason: `${signal} received`, timeoutMs: drainTimeoutMs });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let timer: NodeJS.Timeout | undefined;
  try {
    await system.start();
    options.onStarted?.(system);
    if (options.forMs !== undefined) {
      const reason = `ran for the requested ${options.forMs} ms`;
      timer = setTimeout(
        () => void system.stop({ reason, timeoutMs: drainTimeoutMs }),
        options.forMs,
      );
    }
    return await system.whenStopped;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    eventLog?.close();
  }
}
