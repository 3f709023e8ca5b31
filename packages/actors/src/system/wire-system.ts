// Owns the wiring of a system's parts from its resolved options: the shared queue when workers publish, the router, the actor root, and the supervisor tree with its container cells.
import { createSharedQueue } from '@ocre-ts/core/internal';
import type { SharedQueue } from '@ocre-ts/core/internal';
import type { AnyActorRef } from 'xstate';
import { createActorRoot } from '../container/actor-root.ts';
import { ContainerCell } from '../container/container-cell.ts';
import type { CellEnvironment } from '../container/types.ts';
import { Router } from '../router/router.ts';
import { createRingRouterQueue, createSharedRouterQueue } from '../router/router-queue.ts';
import type { SupervisorSpec } from '../spec.ts';
import type { SystemBus } from '../streams/system-bus.ts';
import { SupervisorNode } from '../supervision/supervisor-node.ts';
import type { ResolvedSystemOptions } from './system-options.ts';

/** A system's parts, wired to each other; nothing has started yet. */
export interface SystemWiring {
  /** The shared-memory queue, when any container publishes from a worker (or options ask). */
  readonly sharedQueue: SharedQueue | undefined;
  /** The router actor, over the shared queue or an in-process ring buffer. */
  readonly router: Router;
  /** The xstate system every container actor shares. */
  readonly actorRoot: AnyActorRef;
  /** The root supervisor; its `parent` is left for the system to set. */
  readonly root: SupervisorNode;
  /** Every container cell, in the order the tree created them (producer id = index + 1). */
  readonly cells: readonly ContainerCell[];
}

/**
 * Wire a system's parts from `options`, with `bus` as the events' way out. The supervisor tree
 * is built here: its cells are created as the tree reaches them, each with the environment the
 * system shares.
 */
export function wireSystem(options: ResolvedSystemOptions, bus: SystemBus): SystemWiring {
  const sharedQueue =
    options.sharedQueue || publishesFromWorker(options.root)
      ? createSharedQueue({
          capacity: options.queueCapacity,
          byteCapacity: options.sharedQueueBytes,
          maxPayloadBytes: options.limits.maxPayloadBytes,
          maxTopicBytes: options.limits.maxTopicBytes,
          maxContentTypeBytes: options.limits.maxContentTypeBytes,
        })
      : undefined;
  const queue =
    sharedQueue === undefined
      ? createRingRouterQueue(options.queueCapacity)
      : createSharedRouterQueue(sharedQueue);
  const { hooks } = options;
  const router = new Router(
    queue,
    options.topicMatching,
    bus,
    hooks === undefined ? undefined : { hooks, clock: options.clock },
  );
  const actorRoot = createActorRoot(options.clock, options.reportError);
  const env: CellEnvironment = {
    actorRoot,
    router,
    bus,
    clock: options.clock,
    limits: options.limits,
    mailboxCapacity: options.mailboxCapacity,
    onOutput: options.onOutput,
    onWarning: options.onWarning,
    topicMatching: options.topicMatching,
    sharedQueue: sharedQueue?.buffer,
    releaseAbandonedLock: (producerId) => {
      const freed = sharedQueue?.releaseAbandonedLock(producerId) ?? false;
      // A thread killed between committing a record and signalling it never woke the
      // router: drain now, or a queue it left full would stay full.
      router.poke();
      return freed;
    },
  };
  const cells: ContainerCell[] = [];
  const root = new SupervisorNode(options.root, {
    clock: options.clock,
    bus,
    random: options.random,
    tracer: hooks?.tracer,
    cellFor: (spec) => {
      const cell = new ContainerCell(spec, env, cells.length + 1);
      cells.push(cell);
      return cell;
    },
  });
  return { sharedQueue, router, actorRoot, root, cells };
}

/** True when any container in the tree publishes from a worker thread. */
function publishesFromWorker(spec: SupervisorSpec): boolean {
  return spec.children.some((child) =>
    child.kind === 'container' ? child.publishesFromWorker === true : publishesFromWorker(child),
  );
}
