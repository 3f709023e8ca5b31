// Owns the public shape of a running system: the OcreSystem interface and the records it reports.
import type { Observable } from 'rxjs';
import type { OcreMessage, OcreResult, PayloadInput, PublishOptions } from '@ocre-ts/core';
import type { ContainerInfo, SystemCounters } from '../counters.ts';
import type { DeadLetter } from '../dead-letter.ts';
import type { SystemEvent } from '../events.ts';
import type { SystemMetrics } from '../streams/metrics.ts';

/** A system's life. */
export type SystemState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/** How a system ended. */
export interface SystemStopped {
  /** Why it stopped. */
  readonly reason: string;
  /** True when the root supervisor gave up; false for a requested stop. */
  readonly failed: boolean;
  /** The final counters. */
  readonly counters: SystemCounters;
}

/** Options of {@link OcreSystem.stop}. */
export interface StopOptions {
  /** Time allowed to drain queued mail before containers are stopped. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Recorded in `system.stopped`. Default "stop requested". */
  readonly reason?: string;
}

/** A running container system: start it, publish into it, watch it, stop it. */
export interface OcreSystem {
  /** Life state. */
  readonly state: SystemState;
  /** Start every container in order; resolves once each is running or has faulted. */
  start(): Promise<void>;
  /** Graceful stop: refuse publishes, drain, stop containers in reverse order, dead-letter the rest. */
  stop(options?: StopOptions): Promise<SystemStopped>;
  /** Resolves when the system has stopped, for whatever reason. */
  readonly whenStopped: Promise<SystemStopped>;
  /**
   * Publish from outside any container (publisher `system`); the message id or the error. A byte
   * payload is copied unless `options.transfer` hands it over (never write to it again then).
   */
  publish(
    topic: string,
    contentType: string,
    payload: PayloadInput,
    payloadLen?: number,
    options?: PublishOptions,
  ): OcreResult<bigint>;
  /** Messages on topics matching `pattern` (in the system's matching mode). */
  topic$(pattern: string): Observable<OcreMessage>;
  /** Every lifecycle, supervision and delivery event. */
  readonly events$: Observable<SystemEvent>;
  /** Every dead letter. */
  readonly deadLetters$: Observable<DeadLetter>;
  /** Counters and container states every `periodMs`. */
  metrics$(periodMs: number): Observable<SystemMetrics>;
  /** The counters now. */
  counters(): SystemCounters;
  /** Every container, in start order. */
  containers(): ContainerInfo[];
  /** One container by name. */
  container(name: string): ContainerInfo;
  /**
   * Resolves once nothing can progress without time passing: the router queue is empty, every
   * running container has handled its mail (mail for a container in backoff keeps waiting), and
   * async handlers still pending have made no progress for a few event-loop turns (they wait on
   * a timer or I/O). Use it in tests between publishing and advancing a virtual clock.
   */
  settle(): Promise<void>;
}
