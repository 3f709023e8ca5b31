// Owns the container lifecycle statechart: created → starting → running → stopping → stopped, with faulted, unresponsive, restarting and failed.
import { assign, fromPromise, setup } from 'xstate';
import { defaultStartTimeoutMs } from '../defaults.ts';
import type { DownReason } from '../router/types.ts';
import type {
  AdoptableState,
  ContainerDriver,
  ContainerEvent,
  ContainerInput,
  StopMode,
} from './types.ts';

interface ContainerContext {
  readonly cell: ContainerDriver;
  readonly shutdownTimeoutMs: number;
  readonly startTimeoutMs: number;
  attempt: number;
  stopReason: string;
  stopMode: StopMode;
  failReason: string;
  /** Entered from a cell's plain lifecycle: the entry it already did is not done again. */
  adopted: boolean;
  readonly adopt: AdoptableState | undefined;
}

/** The reason a container's mail is dead-lettered with when it goes down in `mode`. */
export function downReasonOf(mode: StopMode): DownReason {
  return mode === 'shutdown' ? 'shutdown' : 'container-down';
}

/**
 * Entering `stopped` (the machine's, or the plain lifecycle's): the mailbox closes unless the
 * stop is part of a restart (its mail waits for the next instance), and `container.stopped` is said.
 */
export function closeAsStopped(cell: ContainerDriver, mode: StopMode, reason: string): void {
  if (mode !== 'restart') cell.closeMailbox(downReasonOf(mode));
  cell.emit({ type: 'container.stopped', container: cell.name, reason });
}

/** The lifecycle of one container. Messages never pass through it: only rare lifecycle events do. */
export const containerMachine = setup({
  types: {
    context: {} as ContainerContext,
    events: {} as ContainerEvent,
    input: {} as ContainerInput,
  },
  actors: {
    startInstance: fromPromise<void, { cell: ContainerDriver }>(({ input }) =>
      input.cell.startInstance(),
    ),
    stopInstance: fromPromise<void, { cell: ContainerDriver; reason: DownReason }>(({ input }) =>
      input.cell.stopInstance(input.reason),
    ),
  },
  delays: {
    shutdownTimeout: ({ context }) => context.shutdownTimeoutMs,
    startTimeout: ({ context }) => context.startTimeoutMs,
  },
  actions: {
    countAttempt: assign({
      attempt: ({ context }) => (context.adopted ? context.attempt : context.attempt + 1),
    }),
    emitStarting: ({ context }) => {
      if (!context.adopted)
        context.cell.emit({
          type: 'container.starting',
          container: context.cell.name,
          attempt: context.attempt,
        });
    },
    emitRunning: ({ context }) => {
      if (!context.adopted)
        context.cell.emit({ type: 'container.running', container: context.cell.name });
    },
    endAdoption: assign({ adopted: false }),
    openMailbox: ({ context }) => context.cell.openMailbox(),
    pauseMailbox: ({ context }) => context.cell.pauseMailbox(),
    killInstance: ({ context }) => context.cell.killInstance(downReasonOf(context.stopMode)),
    reportFault: ({ context, event }) => {
      if (event.type === 'fault') context.cell.reportFault(event);
    },
    reportStartFault: ({ context, event }) =>
      context.cell.reportStartFault('error' in event ? event.error : 'start failed'),
    reportStartTimeout: ({ context }) => context.cell.reportStartTimeout(context.startTimeoutMs),
    markUp: ({ context }) => context.cell.markUp(),
    emitRestarting: ({ context, event }) => {
      if (event.type !== 'restart') return;
      context.cell.countRestart();
      context.cell.emit({
        type: 'container.restarting',
        container: context.cell.name,
        attempt: event.attempt,
        delayMs: event.delayMs,
      });
    },
    rememberStop: assign({
      stopReason: ({ event }) => (event.type === 'stop' ? event.reason : 'stopped'),
      stopMode: ({ event }) => (event.type === 'stop' ? (event.mode ?? 'down') : 'down'),
    }),
    rememberForcedStop: assign({
      stopReason: ({ context }) =>
        `${context.stopReason} (killed: did not stop within ${context.shutdownTimeoutMs} ms)`,
    }),
    rememberFail: assign({
      failReason: ({ event }) => (event.type === 'fail' ? event.reason : 'failed'),
    }),
    closeAsStopped: ({ context }) => {
      if (context.adopted) return; // the plain lifecycle closed it and said so
      closeAsStopped(context.cell, context.stopMode, context.stopReason);
    },
    closeAgain: ({ event, context }) => {
      // Stopped while its supervisor restarts (mail kept), then stopped for good: close now.
      if (event.type === 'stop' && event.mode !== 'restart' && context.stopMode === 'restart')
        context.cell.closeMailbox(downReasonOf(event.mode ?? 'down'));
    },
    closeAsFailed: ({ context }) => {
      context.cell.closeMailbox('container-down');
      context.cell.emit({
        type: 'container.failed',
        container: context.cell.name,
        reason: context.failReason,
      });
    },
  },
}).createMachine({
  id: 'container',
  context: ({ input }) => ({
    cell: input.cell,
    shutdownTimeoutMs: input.shutdownTimeoutMs,
    startTimeoutMs: input.startTimeoutMs ?? defaultStartTimeoutMs,
    attempt: input.attempt ?? 0,
    stopReason: input.stop?.reason ?? 'stopped',
    stopMode: input.stop?.mode ?? 'down',
    failReason: 'failed',
    adopted: input.adopt !== undefined,
    adopt: input.adopt,
  }),
  // Where a cell's plain lifecycle stopped (see ContainerLifecycle), else `created`.
  initial: 'entered',
  states: {
    entered: {
      always: [
        { guard: ({ context }) => context.adopt === 'starting', target: 'starting' },
        { guard: ({ context }) => context.adopt === 'running', target: 'running' },
        { guard: ({ context }) => context.adopt === 'stopping', target: 'stopping' },
        { guard: ({ context }) => context.adopt === 'stopped', target: 'stopped' },
        { target: 'created' },
      ],
    },
    created: {
      on: {
        start: 'starting',
        stop: { target: 'stopped', actions: 'rememberStop' },
      },
    },
    starting: {
      entry: ['countAttempt', 'emitStarting', 'endAdoption'],
      invoke: {
        src: 'startInstance',
        input: ({ context }) => ({ cell: context.cell }),
        onDone: 'running',
        onError: { target: 'faulted', actions: 'reportStartFault' },
      },
      after: { startTimeout: { target: 'unresponsive', actions: 'reportStartTimeout' } },
      on: {
        fault: { target: 'faulted', actions: 'reportFault' },
        // A sibling's fault restarts this one mid-start (one-for-all, rest-for-one), or it exited.
        restart: { target: 'restarting', actions: 'emitRestarting' },
        stop: { target: 'stopping', actions: 'rememberStop' },
      },
    },
    running: {
      entry: ['emitRunning', 'openMailbox', 'endAdoption'],
      exit: 'pauseMailbox',
      on: {
        fault: [
          {
            guard: ({ event }) => event.unresponsive,
            target: 'unresponsive',
            actions: 'reportFault',
          },
          { target: 'faulted', actions: 'reportFault' },
        ],
        restart: { target: 'restarting', actions: 'emitRestarting' },
        stop: { target: 'stopping', actions: 'rememberStop' },
      },
    },
    faulted: {
      on: {
        resume: 'running',
        restart: { target: 'restarting', actions: 'emitRestarting' },
        stop: { target: 'stopped', actions: ['killInstance', 'rememberStop'] },
        fail: { target: 'failed', actions: ['killInstance', 'rememberFail'] },
      },
    },
    unresponsive: {
      entry: 'killInstance',
      on: {
        restart: { target: 'restarting', actions: 'emitRestarting' },
        stop: { target: 'stopped', actions: 'rememberStop' },
        fail: { target: 'failed', actions: 'rememberFail' },
      },
    },
    restarting: {
      entry: ['killInstance', 'markUp'],
      on: {
        start: 'starting',
        // A newer restart decision (a wider group) supersedes the pending one.
        restart: { actions: 'emitRestarting' },
        stop: { target: 'stopped', actions: 'rememberStop' },
        fail: { target: 'failed', actions: 'rememberFail' },
      },
    },
    stopping: {
      // Adopted mid-stop: the plain lifecycle began the stop; closing is still to do.
      entry: 'endAdoption',
      invoke: {
        src: 'stopInstance',
        input: ({ context }) => ({
          cell: context.cell,
          reason: downReasonOf(context.stopMode),
        }),
        onDone: 'stopped',
        onError: { target: 'stopped', actions: 'killInstance' },
      },
      after: {
        shutdownTimeout: { target: 'stopped', actions: ['killInstance', 'rememberForcedStop'] },
      },
    },
    stopped: {
      entry: ['closeAsStopped', 'endAdoption'],
      on: {
        start: 'starting',
        restart: { target: 'restarting', actions: 'emitRestarting' },
        stop: { actions: ['closeAgain', 'rememberStop'] },
      },
    },
    failed: {
      entry: 'closeAsFailed',
      on: {
        start: 'starting',
        restart: { target: 'restarting', actions: 'emitRestarting' },
        stop: {},
      },
    },
  },
});
