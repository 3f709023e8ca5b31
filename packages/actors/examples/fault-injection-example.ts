// Injects faults from a seeded plan into a two-container system on virtual time, then checks the recorded run against the system's guarantees.
import { readJson } from '@ocre-ts/core';
import { defineContainer } from '@ocre-ts/actors';
import { createTestSystem } from '@ocre-ts/actors/testing';

const topic = 'sensors/temperature';

const display = defineContainer({
  name: 'display',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message(topic, 'temperature_handler');
  },
  handlers: {
    temperature_handler(message, ctx) {
      const { celsius } = readJson(message) as { celsius: number };
      ctx.log(`${celsius} °C`);
    },
  },
});

const logger = defineContainer({
  name: 'logger',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message(topic, 'log_handler');
  },
  handlers: {
    log_handler(message, ctx) {
      ctx.log(`reading #${message.mid}`);
    },
  },
});

const t = createTestSystem({
  containers: [display, logger],
  supervisor: { backoff: { minMs: 20, jitter: 0 } },
  faults: {
    seed: 7, // every random choice comes from it: the same seed replays the same run
    faults: [
      { kind: 'throw', container: 'display', nth: 2 }, // its 2nd reading throws
      { kind: 'delay', container: 'logger', ms: 30, nth: 3 }, // its 3rd waits 30 ms (the rest queue behind)
      { kind: 'drop', container: 'display', probability: 0.25 }, // each delivery lost with p = 0.25
    ],
  },
});

await t.start(); // on a VirtualClock: time moves only when the test says so
for (const celsius of [20, 21, 22, 23, 24, 25]) {
  t.publish(topic, JSON.stringify({ celsius }));
  await t.advance(10);
}
await t.advance(100);
await t.stop();

for (const fault of t.injection?.fired ?? [])
  console.log(`${fault.time} ms: ${fault.kind} ${fault.target}: ${fault.detail}`);
for (const line of t.output) console.log(line);
for (const letter of t.deadLetters)
  console.log(`dead letter #${letter.message.mid} for ${letter.container}: ${letter.reason}`);
const violations = t.check(); // every message accounted for, ids, FIFO, restart intensity, …
console.log(`${t.history.length} steps recorded, ${violations.length} violations (seed ${t.seed})`);
