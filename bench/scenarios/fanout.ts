// Owns the in-process fan-out scenario shared by fanout-1x1, fanout-1x10 and publish-outside: one topic, N subscribers, ours against the usual in-process peers.
import { EventEmitter } from 'node:events';
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import type { OcreSystem, OcreSystemOptions } from '@ocre-ts/actors';
import type { OcreError, OcreFacade } from '@ocre-ts/core';
import { Subject } from 'rxjs';
import { createActor, setup } from 'xstate';
import { compare, perSecond } from '../harness.ts';
import type { Contender, RunOptions, Scenario, ScenarioOutcome } from '../harness.ts';
import { scenarioResult } from '../report.ts';

/**
 * Router queue and mailbox capacity used for our system. The router drains 1024 messages per
 * turn, so a mailbox must hold at least that; 4096 lets the publisher run four router turns
 * ahead before it has to yield. (The Ocre default of 100 would make the publisher yield every
 * 100 messages: that measures the event loop, not the router.)
 */
const fanoutCapacity = 4096;

const topic = 'bench/fanout';
const contentType = 'application/octet-stream';
/** Every contender delivers this same 16-byte payload. */
const payload = new Uint8Array(16).fill(7);

/** Sizes of one run. */
interface FanoutSize {
  /** Messages for ours, EventEmitter and RxJS (1e6 in a full run). */
  readonly messages: number;
  /** The plain loop is so fast that 1e6 takes ~3 ms; it gets more for a stable clock reading. */
  readonly loopMessages: number;
  /** xstate runs near 0.5M transitions/s; fewer messages keep the suite under 5 minutes. */
  readonly xstateMessages: number;
  readonly rounds: number;
}

/** The sizes of a full or quick run. */
export function sizeFor(quick: boolean, subscribers: number): FanoutSize {
  return quick
    ? { messages: 1e5, loopMessages: 1e6, xstateMessages: 2e4 / subscribers, rounds: 3 }
    : { messages: 1e6, loopMessages: 1e7, xstateMessages: 2e5 / subscribers, rounds: 7 };
}

/** Something attached to the measured system (the dashboard-attached variant); not timed. */
export interface SystemAttachment {
  /** The options to create the system with. */
  prepare(options: OcreSystemOptions): Promise<OcreSystemOptions>;
  /** Called once the system exists, before it starts. */
  attach(system: OcreSystem): Promise<void>;
}

/** Who publishes in our system: a container's `ocre_publish_message`, or `system.publish` from outside. */
type Publisher = 'container' | 'outside';

/**
 * Time `messages` publishes through a real supervised system; returns deliveries per second.
 *
 * @param from - who publishes
 * @param attachment - watches the system while it runs (default: nothing)
 */
export async function measureOurs(
  subscribers: number,
  messages: number,
  from: Publisher = 'container',
  attachment?: SystemAttachment,
): Promise<number> {
  let received = 0;
  let publisherApi: OcreFacade | undefined;
  const publisher = defineContainer({
    name: 'publisher',
    init(api) {
      api.ocre_msg_system_init();
      publisherApi = api;
    },
  });
  const handlers = {
    on_message() {
      received++;
    },
  };
  const subscriberSpecs = Array.from({ length: subscribers }, (_, i) =>
    defineContainer({
      name: `subscriber-${i}`,
      init(api) {
        api.ocre_msg_system_init();
        api.ocre_subscribe_message(topic, 'on_message');
      },
      handlers,
    }),
  );
  const options: OcreSystemOptions = {
    messaging: { queueCapacity: fanoutCapacity, mailboxCapacity: fanoutCapacity },
    containers: [publisher, ...subscriberSpecs],
  };
  const system = createOcreSystem(
    attachment === undefined ? options : await attachment.prepare(options),
  );
  await attachment?.attach(system);
  await system.start();
  const api = publisherApi as OcreFacade;
  let fullYields = 0;
  const start = performance.now();
  for (let sent = 0; sent < messages;) {
    let refused: OcreError | undefined;
    if (from === 'outside') {
      const result = system.publish(topic, contentType, payload, payload.length);
      if (!result.ok) refused = result.error;
    } else if (api.ocre_publish_message(topic, contentType, payload, payload.length) !== 0) {
      refused = api.lastError();
    }
    if (refused === undefined) {
      sent++;
    } else if (refused.code === 'QUEUE_FULL') {
      // Backpressure: let the router drain and the subscribers run, then carry on.
      fullYields++;
      await system.settle();
    } else {
      throw refused;
    }
  }
  await system.settle();
  const elapsed = performance.now() - start;
  const counters = system.counters();
  await system.stop();
  const expected = messages * subscribers;
  if (received !== expected || counters.delivered !== expected || counters.deadLettered !== 0) {
    throw new Error(
      `fanout: expected ${expected} deliveries, handlers saw ${received}, counters say delivered ${counters.delivered}, dead-lettered ${counters.deadLettered}`,
    );
  }
  if (fullYields === 0 && messages > fanoutCapacity) {
    throw new Error(
      'fanout: the publisher never met a full queue; the backpressure path is untested',
    );
  }
  return perSecond(expected, elapsed);
}

function measureLoop(subscribers: number, messages: number): number {
  let received = 0;
  const handlers = Array.from({ length: subscribers }, () => (message: Uint8Array) => {
    received += message.length === 16 ? 1 : 0;
  });
  const start = performance.now();
  for (let i = 0; i < messages; i++) {
    for (let h = 0; h < handlers.length; h++) (handlers[h] as (m: Uint8Array) => void)(payload);
  }
  const elapsed = performance.now() - start;
  if (received !== messages * subscribers) throw new Error('function-loop lost calls');
  return perSecond(messages * subscribers, elapsed);
}

function measureEventEmitter(subscribers: number, messages: number): number {
  let received = 0;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(subscribers + 1);
  for (let s = 0; s < subscribers; s++) {
    emitter.on(topic, (message: Uint8Array) => {
      received += message.length === 16 ? 1 : 0;
    });
  }
  const start = performance.now();
  for (let i = 0; i < messages; i++) emitter.emit(topic, payload);
  const elapsed = performance.now() - start;
  if (received !== messages * subscribers) throw new Error('EventEmitter lost events');
  return perSecond(messages * subscribers, elapsed);
}

function measureSubject(subscribers: number, messages: number): number {
  let received = 0;
  const subject = new Subject<Uint8Array>();
  for (let s = 0; s < subscribers; s++) {
    subject.subscribe((message) => {
      received += message.length === 16 ? 1 : 0;
    });
  }
  const start = performance.now();
  for (let i = 0; i < messages; i++) subject.next(payload);
  const elapsed = performance.now() - start;
  subject.complete();
  if (received !== messages * subscribers) throw new Error('RxJS Subject lost values');
  return perSecond(messages * subscribers, elapsed);
}

function measureXstate(subscribers: number, messages: number): number {
  let received = 0;
  const machine = setup({
    types: { events: {} as { type: 'message'; payload: Uint8Array } },
    actions: {
      count: ({ event }) => {
        received += event.payload.length === 16 ? 1 : 0;
      },
    },
  }).createMachine({ on: { message: { actions: 'count' } } });
  const actors = Array.from({ length: subscribers }, () => createActor(machine).start());
  const start = performance.now();
  for (let i = 0; i < messages; i++) {
    const event = { type: 'message' as const, payload };
    for (const actor of actors) actor.send(event);
  }
  const elapsed = performance.now() - start;
  for (const actor of actors) actor.stop();
  if (received !== messages * subscribers) throw new Error('xstate lost events');
  return perSecond(messages * subscribers, elapsed);
}

/** Goals from the issue, as (baseline, least ratio) pairs. */
function goalsFor(subscribers: number, from: Publisher): readonly (readonly [string, number])[] {
  if (from === 'outside') return [['EventEmitter', 0.5]];
  return subscribers === 1
    ? [
        ['EventEmitter', 0.5],
        ['RxJS Subject', 1.5],
      ]
    : [['EventEmitter', 1]];
}

/**
 * The fan-out scenario with `subscribers` subscribers (1 or 10), published by a container, or
 * (`outside`, the `publish-outside` scenario) by `system.publish`.
 */
export function fanoutScenario(subscribers: number, from: Publisher = 'container'): Scenario {
  const name = from === 'outside' ? 'publish-outside' : `fanout-1x${subscribers}`;
  return {
    name,
    async run({ quick, log }: RunOptions): Promise<ScenarioOutcome> {
      const size = sizeFor(quick, subscribers);
      const contenders: Contender[] = [
        { name: 'ours', measure: () => measureOurs(subscribers, size.messages, from) },
        { name: 'function-loop', measure: () => measureLoop(subscribers, size.loopMessages) },
        { name: 'EventEmitter', measure: () => measureEventEmitter(subscribers, size.messages) },
        { name: 'RxJS Subject', measure: () => measureSubject(subscribers, size.messages) },
        { name: 'xstate send', measure: () => measureXstate(subscribers, size.xstateMessages) },
      ];
      const measured = await compare(contenders, { rounds: size.rounds, log });
      const value = (contender: string) => measured.get(contender)?.median ?? NaN;
      const ours = value('ours');
      const baselines = Object.fromEntries(
        contenders.slice(1).map((c) => [c.name, value(c.name)] as const),
      );
      const result = scenarioResult({
        name,
        unit: subscribers === 1 ? 'msgs/s' : 'deliveries/s',
        ours,
        baselines,
        goals: goalsFor(subscribers, from).map(([baseline, least]) => ({
          text: `≥ ${least}× ${baseline}`,
          against: baseline,
          met: ours / (baselines[baseline] ?? Infinity) >= least,
        })),
      });
      const spread = measured
        .get('ours')
        ?.rounds.map((r) => (r / 1e6).toFixed(2))
        .join(', ');
      return {
        results: [result],
        notes: [
          `${size.messages} messages per round (function-loop ${size.loopMessages}, xstate send ${size.xstateMessages} per subscriber), median of ${size.rounds} rounds, rounds interleaved; ours per round (M/s): ${spread}`,
          from === 'outside'
            ? `ours: system.publish from outside any container into ${subscribers} TypeScript subscriber container(s) under the root supervisor (defaults except queueCapacity = mailboxCapacity = ${fanoutCapacity}); awaits system.settle() on QUEUE_FULL; delivery counts checked, zero dead letters`
            : `ours: publisher and ${subscribers} subscriber(s) are TypeScript containers under the root supervisor (defaults except queueCapacity = mailboxCapacity = ${fanoutCapacity}); publishes with ocre_publish_message and awaits system.settle() on QUEUE_FULL; delivery counts checked, zero dead letters`,
        ],
      };
    },
  };
}
