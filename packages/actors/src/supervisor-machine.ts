// Owns the supervisor lifecycle statechart: idle → running → stopping → stopped, or failed when it gives up.
import { assign, fromPromise, setup } from 'xstate';
import type { ChildDown } from './child-link.ts';
import type { StopMode } from './container-machine.ts';
import type { SupervisorNode } from './supervisor.ts';

/** Events a supervisor understands. */
export type SupervisorEvent =
  /** Start every child in order. */
  | { type: 'start' }
  /** A child went down (fault, hang, normal exit, nested supervisor gave up) and waits for a decision. */
  | { type: 'child.down'; child: string; down: ChildDown }
  /** The backoff of restart `id` elapsed: start the children waiting for it, in order. */
  | { type: 'restart.due'; id: number }
  /** Stop every child in reverse order, then stop. */
  | { type: 'stop'; reason: string; mode: StopMode }
  /** Give up: stop the children and escalate to the parent. */
  | { type: 'fail'; child: string; reason: string };

/** The lifecycle of one supervisor; the decisions themselves are the node's plain functions. */
export const supervisorMachine = setup({
  types: {
    context: {} as { node: SupervisorNode; reason: string; child: string },
    events: {} as SupervisorEvent,
    input: {} as { node: SupervisorNode },
  },
  actors: {
    stopChildren: fromPromise<void, { node: SupervisorNode; reason: string; mode: StopMode }>(
      ({ input }) => input.node.stopChildren(input.reason, input.mode),
    ),
  },
  actions: {
    startChildren: ({ context }) => context.node.startChildren(),
    decide: ({ context, event }) => {
      if (event.type === 'child.down') context.node.decide(event.child, event.down);
    },
    restartGroup: ({ context, event }) => {
      if (event.type === 'restart.due') context.node.startGroup(event.id);
    },
    cancelRestarts: ({ context }) => context.node.cancelRestarts(),
    rememberFailure: assign({
      reason: ({ event }) => (event.type === 'fail' ? event.reason : ''),
      child: ({ event }) => (event.type === 'fail' ? event.child : ''),
    }),
    escalate: ({ context }) => context.node.escalate(context.child, context.reason),
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ node: input.node, reason: '', child: '' }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        start: { target: 'running', actions: 'startChildren' },
        stop: 'stopped',
      },
    },
    running: {
      on: {
        'child.down': { actions: 'decide' },
        'restart.due': { actions: 'restartGroup' },
        stop: { target: 'stopping', actions: 'cancelRestarts' },
        fail: {
          target: 'failing',
          actions: ['cancelRestarts', 'rememberFailure'],
        },
      },
    },
    stopping: {
      invoke: {
        src: 'stopChildren',
        input: ({ event, context }) => ({
          node: context.node,
          reason: event.type === 'stop' ? event.reason : 'stopped',
          mode: event.type === 'stop' ? event.mode : 'down',
        }),
        onDone: 'stopped',
        onError: 'stopped',
      },
    },
    failing: {
      invoke: {
        src: 'stopChildren',
        input: ({ context }) => ({
          node: context.node,
          reason: `supervisor "${context.node.name}" failed`,
          mode: 'down' as const,
        }),
        onDone: { target: 'failed', actions: 'escalate' },
        onError: { target: 'failed', actions: 'escalate' },
      },
    },
    stopped: {
      on: {
        start: { target: 'running', actions: 'startChildren' },
        // Stopped for a restart (mail kept), then stopped for good: stop the children again.
        stop: 'stopping',
      },
    },
    failed: {
      on: { start: { target: 'running', actions: 'startChildren' } },
    },
  },
});
