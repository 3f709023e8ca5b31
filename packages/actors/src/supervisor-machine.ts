// Owns the supervisor lifecycle statechart: idle → running → stopping → stopped, or failed when it gives up.
import { assign, fromPromise, setup } from 'xstate';
import type { FaultPhase } from './events.ts';
import type { SupervisorNode } from './supervisor.ts';

/** Events a supervisor understands. */
export type SupervisorEvent =
  /** Start every child in order. */
  | { type: 'start' }
  /** A child faulted and waits for a directive. */
  | {
      type: 'child.faulted';
      child: string;
      phase: FaultPhase;
      unresponsive: boolean;
      permanent: boolean;
    }
  /** A backoff elapsed: start this restart group again, in order. */
  | { type: 'restart.due'; group: readonly string[] }
  /** Stop every child in reverse order, then stop. */
  | { type: 'stop'; reason: string; shutdown: boolean }
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
    stopChildren: fromPromise<void, { node: SupervisorNode; reason: string; shutdown: boolean }>(
      ({ input }) => input.node.stopChildren(input.reason, input.shutdown),
    ),
  },
  actions: {
    startChildren: ({ context }) => context.node.startChildren(),
    decide: ({ context, event }) => {
      if (event.type === 'child.faulted')
        context.node.decide(event.child, event.phase, event.unresponsive, event.permanent);
    },
    restartGroup: ({ context, event }) => {
      if (event.type === 'restart.due') context.node.startGroup(event.group);
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
        'child.faulted': { actions: 'decide' },
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
          shutdown: event.type === 'stop' && event.shutdown,
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
          shutdown: false,
        }),
        onDone: { target: 'failed', actions: 'escalate' },
        onError: { target: 'failed', actions: 'escalate' },
      },
    },
    stopped: {
      on: { start: { target: 'running', actions: 'startChildren' } },
    },
    failed: {
      on: { start: { target: 'running', actions: 'startChildren' } },
    },
  },
});
