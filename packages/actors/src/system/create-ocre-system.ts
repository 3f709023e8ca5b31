// Owns the composition root: createOcreSystem wires router, supervisors, containers and streams, and runs start and graceful stop.
import type { Observable } from 'rxjs';
import { createOcreFacade, OcreError } from '@ocre-ts/core';
import type { OcreMessage, OcreResult, PayloadInput, PublishOptions } from '@ocre-ts/core';
import type { SharedQueue } from '@ocre-ts/core/internal';
import type { AnyActorRef } from 'xstate';
import type { ChildDown, ChildLink } from '../child-link.ts';
import type { ContainerCell } from '../container/container-cell.ts';
import type { ContainerCounters, ContainerInfo, SystemCounters } from '../counters.ts';
import { defaultDrainMs } from '../defaults.ts';
import type { DeadLetter } from '../dead-letter.ts';
import { SystemError, describeError } from '../errors.ts';
import type { SystemEvent } from '../events.ts';
import { createMetricsStream } from '../streams/metrics.ts';
import type { SystemMetrics } from '../streams/metrics.ts';
import type { Router } from '../router/router.ts';
import { SystemBus } from '../streams/system-bus.ts';
import type { SupervisorNode } from '../supervision/supervisor-node.ts';
import type { OcreSystem, StopOptions, SystemState, SystemStopped } from './ocre-system.ts';
import { drainSystem, settleSystem } from './settle-system.ts';
import { resolveSystemOptions } from './system-options.ts';
import type { OcreSystemOptions, ResolvedSystemOptions } from './system-options.ts';
import { wireSystem } from './wire-system.ts';
import type { SystemWiring } from './wire-system.ts';

/**
 * Create a system of supervised containers.
 *
 * @throws SystemError `INVALID_SYSTEM_OPTIONS` / `DUPLICATE_NAME` for bad options
 * @example
 * const system = createOcreSystem({ containers: [publisher, subscriber] });
 * system.events$.subscribe((e) => console.log(e.type));
 * await system.start();
 * await system.stop();
 */
export function createOcreSystem(options: OcreSystemOptions): OcreSystem {
  return new System(resolveSystemOptions(options));
}

/** A system: its parts come from `wireSystem`; it runs start, stop and what users observe. */
class System implements OcreSystem, ChildLink {
  state: SystemState = 'created';
  readonly whenStopped: Promise<SystemStopped>;
  readonly events$: Observable<SystemEvent>;
  readonly deadLetters$: Observable<DeadLetter>;
  readonly sharedQueue: SharedQueue | undefined;
  private readonly bus: SystemBus;
  private readonly router: Router;
  private readonly root: SupervisorNode;
  private readonly cells: readonly ContainerCell[];
  /** The router and the cells, as settling and draining watch them. */
  private readonly parts: SystemWiring;
  private readonly outside;
  private resolveStopped!: (stopped: SystemStopped) => void;
  private stopping: Promise<SystemStopped> | undefined;
  /** The xstate system every container actor shares. */
  private readonly actorRoot: AnyActorRef;

  constructor(private readonly options: ResolvedSystemOptions) {
    this.whenStopped = new Promise((resolve) => (this.resolveStopped = resolve));
    this.bus = new SystemBus(options.clock, options.topicMatching, options.reportError);
    this.events$ = this.bus.events$;
    this.deadLetters$ = this.bus.deadLetters$;
    const wiring = wireSystem(options, this.bus);
    this.sharedQueue = wiring.sharedQueue;
    this.router = wiring.router;
    this.actorRoot = wiring.actorRoot;
    this.root = wiring.root;
    this.cells = wiring.cells;
    this.parts = wiring;
    this.root.parent = this;
    this.outside = createOcreFacade({
      container: 'system',
      port: {
        publish: (topic, contentType, payload) => this.router.publish(topic, contentType, payload),
        subscribe: () =>
          new OcreError(
            'INVALID_HANDLER',
            'the system itself has no handlers; subscribe from a container',
          ),
      },
      limits: options.limits,
    });
    this.outside.ocre_msg_system_init();
  }

  async start(): Promise<void> {
    if (this.state !== 'created') {
      throw new SystemError(
        'ALREADY_STARTED',
        `the system was already started (it is ${this.state}); create a new one`,
      );
    }
    this.state = 'starting';
    this.bus.markOrigin();
    this.options.hooks?.started?.({
      clock: this.options.clock,
      publish: (topic, contentType, payload) => this.publish(topic, contentType, payload),
      crashSupervisor: (name, reason) =>
        this.root
          .nodes()
          .find((node) => node.name === name)
          ?.crash(reason) ?? false,
      crashContainer: (name, error) => this.crashContainer(name, error),
    });
    this.root.start();
    // The root starts its tree in order: once that sequence is over, nearly every container is
    // past starting. Only the rest (a tree stopped or restarted meanwhile) needs watching, which
    // spares 100k containers a subscription each.
    await this.root.started;
    const settled = (state: string) => state !== 'created' && state !== 'starting';
    await Promise.all(
      this.cells.filter((cell) => !settled(cell.state)).map((cell) => cell.until(settled)),
    );
    if (this.state === 'starting') this.state = 'running';
  }

  stop(options: StopOptions = {}): Promise<SystemStopped> {
    this.stopping ??= this.shutdown(
      options.reason ?? 'stop requested',
      false,
      options.timeoutMs ?? defaultDrainMs,
    );
    return this.stopping;
  }

  /** ChildLink: the root supervisor gave up; `down.error` says which child and why. */
  childDown(_name: string, down: ChildDown): void {
    this.stopping ??= this.shutdown(down.error, true, 0);
  }

  publish(
    topic: string,
    contentType: string,
    payload: PayloadInput,
    payloadLen?: number,
    options?: PublishOptions,
  ): OcreResult<bigint> {
    return this.outside.publish(topic, contentType, payload, payloadLen, options);
  }

  topic$(pattern: string): Observable<OcreMessage> {
    return this.bus.topic$(pattern);
  }

  metrics$(periodMs: number): Observable<SystemMetrics> {
    const stream = createMetricsStream(
      periodMs,
      this.options.clock,
      () => this.counters(),
      () => this.containers(),
      (callback) => this.bus.onClose(callback),
    );
    return this.bus.guarded(stream, 'a metrics$ observer');
  }

  counters(): SystemCounters {
    const containers: Record<string, ContainerCounters> = {};
    let inFlight = 0;
    for (const cell of this.cells) {
      containers[cell.name] = { ...cell.counters };
      inFlight += cell.mailbox.size;
    }
    inFlight += this.router.delayed;
    return {
      published: this.router.published,
      rejected: this.router.rejected,
      delivered: this.router.delivered,
      deadLettered: this.router.deadLettered,
      queued: this.router.queue.size,
      inFlight,
      containers,
      topics: this.router.topics.snapshot(),
    };
  }

  containers(): ContainerInfo[] {
    return this.cells.map((cell) => this.info(cell));
  }

  container(name: string): ContainerInfo {
    const cell = this.cells.find((c) => c.name === name);
    if (cell === undefined) {
      throw new SystemError(
        'UNKNOWN_CONTAINER',
        `no container named "${name}"; known: ${this.cells.map((c) => c.name).join(', ')}`,
      );
    }
    return this.info(cell);
  }

  settle(): Promise<void> {
    return settleSystem(this.parts);
  }

  private info(cell: ContainerCell): ContainerInfo {
    return {
      name: cell.name,
      state: cell.state,
      mailbox: cell.mailbox.size,
      counters: { ...cell.counters },
      subscriptions: this.router.subscriptionsOf(cell),
      ...(cell.lastError === undefined ? {} : { lastError: cell.lastError }),
      ...(cell.status === undefined
        ? {}
        : { status: { state: cell.status.state, counters: { ...cell.status.counters } } }),
    };
  }

  private async shutdown(reason: string, failed: boolean, drainMs: number): Promise<SystemStopped> {
    this.state = 'stopping';
    this.router.state = 'draining';
    this.options.hooks?.stopping?.();
    await drainSystem(this.parts, this.options.clock, drainMs);
    await this.root.stop(reason, 'shutdown');
    this.router.close();
    this.router.deadLetterQueued('shutdown');
    for (const cell of this.cells) cell.closeMailbox('shutdown');
    const stopped: SystemStopped = { reason, failed, counters: this.counters() };
    this.bus.emit({ type: 'system.stopped', reason, failed, counters: stopped.counters });
    this.bus.close();
    // Nothing is left to happen: stop every actor so no timer or subscription outlives the system.
    for (const cell of this.cells) cell.retire();
    this.actorRoot.stop();
    for (const node of this.root.nodes()) node.actor.stop();
    this.state = 'stopped';
    this.resolveStopped(stopped);
    return stopped;
  }

  /** The `crashContainer` control: do what a runtime whose instance died does. */
  private crashContainer(name: string, error: () => unknown): boolean {
    const cell = this.cells.find((c) => c.name === name);
    if (cell?.state !== 'running') return false;
    try {
      cell.runtime.kill();
    } catch (failure) {
      this.options.onWarning(`container "${name}": kill failed: ${describeError(failure)}`);
    }
    cell.runtimeFaulted({ phase: 'runtime', error: error() });
    return true;
  }
}
