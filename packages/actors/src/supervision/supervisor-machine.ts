// Owns the supervisor lifecycle statechart: idle → running → stopping → stopped, or failed when it gives up.
import { assign, fromPromise, setup } from 'xstate';
import type { StopMode } from '../container/types.ts';
import type { SupervisorDriver, SupervisorEvent } from './types.ts';

/** The lifecycle of one supervisor; the decisions themselves are the node's plain functions. */
export const supervisorMachine = setup({
  types: {
    context: {} as { node: SupervisorDriver; reason: string; child: string },
    events: {} as SupervisorEvent,
    input: {} as { node: SupervisorDriver },
  },
  actors: {
    stopChildren: fromPromise<void, { node: SupervisorDriver; reason: string; mode: StopMode }>(
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
