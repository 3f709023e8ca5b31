// Owns createTestSystem: a system on a virtual clock, with faults injected from a seeded plan, everything it does recorded, and helpers to drive time.
import type { PayloadInput } from '@ocre-ts/core';
import { flushMicrotasks, VirtualClock } from '../clock.ts';
import type { Clock } from '../clock.ts';
import type { DeadLetter } from '../dead-letter.ts';
import type { SystemEvent, SystemEventType } from '../events.ts';
import { createOcreSystem } from '../system/create-ocre-system.ts';
import type { OcreSystem, StopOptions, SystemStopped } from '../system/ocre-system.ts';
import type { OcreSystemOptions } from '../system/system-options.ts';
import { assertHistory } from './assert-history.ts';
import { checkHistory } from './check-history.ts';
import type { HistoryViolation } from './check-history.ts';
import { combineHooks } from './combine-hooks.ts';
import type { FaultPlan } from './fault-plan.ts';
import { recordHistory } from './history.ts';
import type { HistoryEntry } from './history.ts';
import { injectFaults } from './inject-faults.ts';
import type { FaultInjection } from './fault-plan.ts';
import { probe } from './probe.ts';
import type { Probe } from './probe.ts';
import { createRandom, deriveSeed, resolveSeed } from './random.ts';

/** Options of {@link createTestSystem}: the system's, plus faults and a seed. */
export interface TestSystemOptions extends OcreSystemOptions {
  /** Faults to inject; see {@link FaultPlan}. */
  readonly faults?: FaultPlan;
  /**
   * Seed of the faults' random choices and of backoff jitter. Default: the plan's seed, else
   * `OCRE_SEED` from the environment, else random. It is in every failure message.
   */
  readonly seed?: number;
  /**
   * Record the message history (installs tracing hooks). Default `true`. With `false` the system
   * runs exactly as in production, with no hooks; `check` and `assertHistory` then throw.
   */
  readonly record?: boolean;
}

/** A system under test and everything it did. */
export interface TestSystem {
  /** The system itself. */
  readonly system: OcreSystem;
  /** Its clock: a `VirtualClock` unless `clock` was given. */
  readonly clock: Clock;
  /** The seed of this run: pass it back as `seed` to replay the run. */
  readonly seed: number;
  /** The injected faults and what fired; undefined without `faults`. */
  readonly injection: FaultInjection | undefined;
  /** Every event of `events$`. */
  readonly events: SystemEvent[];
  /** Every dead letter. */
  readonly deadLetters: DeadLetter[];
  /** The message history for {@link checkHistory}. */
  readonly history: HistoryEntry[];
  /** Container lines as `[name] line` (stdout and stderr). */
  readonly output: string[];
  /** Runtime warnings. */
  readonly warnings: string[];
  /** Errors reported through `reportError` (throwing observers). */
  readonly errors: { readonly error: unknown; readonly where: string }[];
  /** Start the system; on a virtual clock, running time as far as the start needs it. */
  start(): Promise<void>;
  /** Publish from outside (content type `text/plain` unless given); the id, or the error code. */
  publish(topic: string, payload: PayloadInput, contentType?: string): bigint | string;
  /** Wait until nothing can progress without time passing (supervision decisions included). */
  settle(): Promise<void>;
  /** Settle, move the clock `ms` forward (firing due timers in order; real time: wait), settle. */
  advance(ms: number): Promise<void>;
  /** Record what a topic pattern carries from now on. */
  probe(pattern: string): Probe;
  /** The events of one type. */
  eventsOf<TType extends SystemEventType>(type: TType): Extract<SystemEvent, { type: TType }>[];
  /** Stop the system, running virtual time as the stop needs it. */
  stop(options?: StopOptions): Promise<SystemStopped>;
  /** {@link checkHistory} over this run. */
  check(): HistoryViolation[];
  /** {@link assertHistory} over this run: throws with every violation and the seed. */
  assertHistory(): void;
}

/**
 * Create a system for tests: on a `VirtualClock` (unless `clock` is given), with `faults`
 * injected from a seeded plan, and its events, dead letters, output and message history
 * recorded. Backoff jitter draws from the seed too, so a run replays exactly.
 *
 * @example
 * const t = createTestSystem({
 *   containers: [sensor, display],
 *   faults: { seed: 7, faults: [{ kind: 'throw', container: 'display', nth: 1 }] },
 * });
 * await t.start();
 * t.publish('sensors/temperature', '21.5');
 * await t.advance(100);
 * await t.stop();
 * t.assertHistory();
 */
export function createTestSystem(options: TestSystemOptions): TestSystem {
  const { faults, seed: givenSeed, record = true, ...systemOptions } = options;
  const seed = resolveSeed(givenSeed, faults?.seed);
  const clock = options.clock ?? new VirtualClock();
  const events: SystemEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  const output: string[] = [];
  const warnings: string[] = [];
  const errors: { error: unknown; where: string }[] = [];
  const recorder = recordHistory();
  const base: { -readonly [K in keyof OcreSystemOptions]: OcreSystemOptions[K] } = {
    random: createRandom(deriveSeed(seed, -1)),
    onOutput: (name, _stream, line) => output.push(`[${name}] ${line}`),
    onWarning: (message) => warnings.push(message),
    reportError: (error, where) => errors.push({ error, where }),
    ...systemOptions,
    clock,
  };
  if (record) base.hooks = combineHooks(recorder.hooks, systemOptions.hooks);
  const injection = faults === undefined ? undefined : injectFaults(base, faults, { seed });
  const system = createOcreSystem(injection?.options ?? base);
  if (record) recorder.attach(system);
  system.events$.subscribe((event) => events.push(event));
  system.deadLetters$.subscribe((letter) => deadLetters.push(letter));
  const recordedHistory = (): HistoryEntry[] => {
    if (!record)
      throw new Error(
        'this test system was created with record: false: it has no history to check',
      );
    return recorder.history;
  };
  // Supervision runs on its own turns after a fault: let it, then settle what it started.
  const settle = async () => {
    await system.settle();
    await flushMicrotasks();
    await system.settle();
  };
  return {
    system,
    clock,
    seed,
    injection,
    events,
    deadLetters,
    history: recorder.history,
    output,
    warnings,
    errors,
    // A start can wait on time (a child's restart backoff before a later child's first start).
    start: () => (clock instanceof VirtualClock ? clock.drive(system.start()) : system.start()),
    publish(topic, payload, contentType = 'text/plain') {
      const result = system.publish(topic, contentType, payload);
      return result.ok ? result.value : result.error.code;
    },
    settle,
    async advance(ms) {
      await settle();
      if (clock instanceof VirtualClock) await clock.advance(ms);
      else await new Promise((resolve) => setTimeout(resolve, ms));
      await settle();
    },
    probe: (pattern) => probe(system, pattern),
    eventsOf: <TType extends SystemEventType>(type: TType) =>
      events.filter((event): event is Extract<SystemEvent, { type: TType }> => event.type === type),
    stop: (stopOptions) =>
      clock instanceof VirtualClock
        ? clock.drive(system.stop(stopOptions))
        : system.stop(stopOptions),
    check: () => checkHistory(recordedHistory()),
    assertHistory: () => assertHistory(recordedHistory(), { seed }),
  };
}
