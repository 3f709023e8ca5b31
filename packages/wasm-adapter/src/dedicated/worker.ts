// Owns a container worker's thread: takes start and exit commands from the main thread and runs one guest instance at a time.
import { parentPort } from 'node:worker_threads';
import {
  C_EXIT,
  C_GENERATION,
  C_STATE,
  STATE_NONE,
  STATE_RUNNING,
} from '../channel/control-block.ts';
import { GuestInstance } from '../guest/guest-instance.ts';
import type { StartCommand, WorkerCommand, WorkerReport } from '../channel/worker-protocol.ts';
import { filterWorkerWarnings } from '../channel/worker-warnings.ts';
import { CurrentGuestHost } from '../current-api/current-guest-host.ts';
import { PolledClock } from '../current-api/polled-clock.ts';
import type { GuestEventHostFactory } from '../guest/event-host.ts';

filterWorkerWarnings();

const port = parentPort;
if (port === null) throw new Error('worker.ts runs inside a worker thread (see worker-script.ts)');

let current: GuestInstance | undefined;
const post = (report: WorkerReport): void => port.postMessage(report);

function start(command: StartCommand): void {
  const control = new Int32Array(command.control);
  // The event loop only runs between guest calls, so no guest code is on the stack here: the
  // previous instance, if any, is dead, idle or aborted, and is dropped.
  Atomics.store(control, C_STATE, STATE_RUNNING);
  const wanted = Atomics.load(control, C_GENERATION);
  if (command.generation !== wanted || Atomics.load(control, C_EXIT) === 1) {
    // Killed before it began: the main thread already wants another instance, or none.
    Atomics.store(control, C_STATE, STATE_NONE);
    return;
  }
  current?.flushOutput();
  const instance: GuestInstance = new GuestInstance(
    command,
    post,
    () => current === instance,
    command.api === 'current' ? currentEventHost(command) : undefined,
  );
  current = instance;
  instance.run();
}

/** Ocre's current API: the instance's events and timers, polled while its thread blocks in ocre_sleep. */
function currentEventHost(command: StartCommand): GuestEventHostFactory {
  return ({ port: messaging, sleep }) =>
    new CurrentGuestHost({
      generation: command.generation,
      name: command.name,
      limits: command.limits,
      module: command.module,
      port: messaging,
      post,
      clock: new PolledClock(),
      sleep,
      // The sleep loop polls the queue: nothing to wake.
      onEvent: () => {},
      ...(command.devices === undefined ? {} : { devices: command.devices }),
    });
}

port.on('message', (command: WorkerCommand) => {
  if (command.type === 'exit') {
    current?.flushOutput();
    process.exit(0);
  }
  start(command);
});
