// Owns the container lifecycle statechart: created → starting → running → stopping → stopped, with faulted, unresponsive, restarting and failed.
import { assign, fromPromise, setup } from 'xstate';
import type { ContainerCell } from './container-cell.ts';
import type { FaultPhase } from './events.ts';

/** Events the container lifecycle understands. */
export type ContainerEvent =
  /** Supervisor: start a fresh instance (first start, or after a restart's backoff). */
  | { type: 'start' }
  /** Cell or runtime: the instance faulted. `reported` means the faulted event was already emitted. */
  | {
      type: 'fault';
      phase: FaultPhase;
      error: string;
      unresponsive: boolean;
      reported?: boolean;
      permanent?: boolean;
    }
  /** Supervisor directive: keep the instance, drop the message, carry on. */
  | { type: 'resume' }
  /** Supervisor directive: take the instance down and wait for `start`. */
  | { type: 'restart'; attempt: number; delayMs: number }
  /** Supervisor or system: stop for good (until a later `start`). */
  | { type: 'stop'; reason: string; shutdown?: boolean }
  /** Supervisor: the container will not be restarted. */
  | { type: 'fail'; reason: string };

interface ContainerContext {
  readonly cell: ContainerCell;
  readonly shutdownTimeoutMs: number;
  readonly startTimeoutMs: number;
  attempt: number;
  stopReason: string;
  shutdown: boolean;
  failReason: string;
}

/** Input of the container machine. */
export interface ContainerInput {
  readonly cell: ContainerCell;
  readonly shutdownTimeoutMs: number;
  readonly startTimeoutMs?: number;
}

/** The lifecycle of one container. Messages never pass through it: only rare lifecycle events do. */
export const containerMachine = setup({
  types: {
    context: {} as ContainerContext,
    events: {} as ContainerEvent,
    input: {} as ContainerInput,
  },
  actors: {
    startInstance: fromPromise<void, { cell: ContainerCell }>(({ input }) =>
      input.cell.startInstance(),
    ),
    stopInstance: fromPromise<void, { cell: ContainerCell }>(({ input }) =>
      input.cell.stopInstance(),
    ),
  },
  delays: {
    shutdownTimeout: ({ context }) => context.shutdownTimeoutMs,
    startTimeout: ({ context }) => context.startTimeoutMs,
  },
  actions: {
    countAttempt: assign({ attempt: ({ context }) => context.attempt + 1 }),
    emitStarting: ({ context }) =>
      context.cell.emit({
        type: 'container.starting',
        container: context.cell.name,
        attempt: context.attempt,
      }),
    emitRunning: ({ context }) =>
      context.cell.emit({ type: 'container.running', container: context.cell.name }),
    openMailbox: ({ context }) => context.cell.openMailbox(),
    pauseMailbox: ({ context }) => context.cell.pauseMailbox(),
    killInstance: ({ context }) => context.cell.killInstance(),
    reportFault: ({ context, event }) => {
      if (event.type !== 'fault') return;
      if (event.reported !== true) {
        context.cell.emit({
          type: 'container.faulted',
          container: context.cell.name,
          phase: event.phase,
          error: event.error,
        });
      }
      context.cell.supervisor?.childFaulted(
        context.cell.name,
        event.phase,
        event.unresponsive,
        event.permanent === true,
      );
    },
    reportStartFault: ({ context, event }) =>
      context.cell.startFaulted(
        'error' in event ? (event as { error: unknown }).error : 'start failed',
      ),
    reportStartTimeout: ({ context }) => context.cell.startTimedOut(context.startTimeoutMs),
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
      shutdown: ({ event }) => event.type === 'stop' && event.shutdown === true,
    }),
    rememberFail: assign({
      failReason: ({ event }) => (event.type === 'fail' ? event.reason : 'failed'),
    }),
    closeAsStopped: ({ context }) => {
      context.cell.closeMailbox(context.shutdown ? 'shutdown' : 'container-down');
      context.cell.emit({
        type: 'container.stopped',
        container: context.cell.name,
        reason: context.stopReason,
      });
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
    startTimeoutMs: input.startTimeoutMs ?? 5000,
    attempt: 0,
    stopReason: 'stopped',
    shutdown: false,
    failReason: 'failed',
  }),
  initial: 'created',
  states: {
    created: {
      on: {
        start: 'starting',
        stop: { target: 'stopped', actions: 'rememberStop' },
      },
    },
    starting: {
      entry: ['countAttempt', 'emitStarting'],
      invoke: {
        src: 'startInstance',
        input: ({ context }) => ({ cell: context.cell }),
        onDone: 'running',
        onError: { target: 'faulted', actions: 'reportStartFault' },
      },
      after: { startTimeout: { target: 'unresponsive', actions: 'reportStartTimeout' } },
      on: {
        fault: { target: 'faulted', actions: 'reportFault' },
        stop: { target: 'stopping', actions: 'rememberStop' },
      },
    },
    running: {
      entry: ['emitRunning', 'openMailbox'],
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
        stop: { target: 'stopped', actions: 'rememberStop' },
        fail: { target: 'failed', actions: 'rememberFail' },
      },
    },
    stopping: {
      invoke: {
        src: 'stopInstance',
        input: ({ context }) => ({ cell: context.cell }),
        onDone: 'stopped',
        onError: { target: 'stopped', actions: 'killInstance' },
      },
      after: { shutdownTimeout: { target: 'stopped', actions: 'killInstance' } },
    },
    stopped: {
      entry: 'closeAsStopped',
      on: {
        start: 'starting',
        restart: { target: 'restarting', actions: 'emitRestarting' },
        stop: {},
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
