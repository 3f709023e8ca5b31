// Two TypeScript containers under one supervisor; the display's handler faults on a bad reading and is restarted, watched through events$ and topic$.
import { readJson } from '@ocre-ts/core';
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';

const topic = 'sensors/temperature';

// Subscribes like the seed's C subscriber; its state starts afresh with every instance.
const display = defineContainer({
  name: 'display',
  initialState: () => ({ readings: 0 }),
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message(topic, 'temperature_handler');
  },
  handlers: {
    temperature_handler(message, ctx) {
      const { celsius } = readJson(message) as { celsius: number };
      if (celsius < -273.15) throw new Error(`impossible reading: ${celsius} °C`);
      ctx.state.readings++;
      ctx.log(`${celsius} °C (reading ${ctx.state.readings} of this instance)`);
    },
  },
});

// Publishes three readings when it starts, like the seed's C publisher; the second is bad.
const sensor = defineContainer({
  name: 'sensor',
  init(api) {
    api.ocre_msg_system_init();
    for (const celsius of [21.5, -999, 22]) {
      const payload = JSON.stringify({ celsius });
      api.ocre_publish_message(topic, 'application/json', payload, payload.length);
    }
  },
});

const system = createOcreSystem({
  containers: [display, sensor], // started in this order, stopped in reverse
  supervisor: {
    strategy: 'one-for-one',
    maxRestarts: 3,
    withinMs: 5000,
    backoff: { minMs: 20, jitter: 0 },
  },
  onOutput: (container, _stream, line) => console.log(`[${container}] ${line}`),
});

system.events$.subscribe((event) => {
  if (event.type === 'container.running') console.log(`events$: ${event.container} running`);
  if (event.type === 'container.faulted')
    console.log(`events$: ${event.container} faulted: ${event.error}`);
  if (event.type === 'container.restarting')
    console.log(`events$: ${event.container} restarting in ${event.delayMs} ms`);
  if (event.type === 'message.dead-lettered')
    console.log(`events$: message #${event.mid} dead-lettered (${event.reason})`);
});
system
  .topic$(topic)
  .subscribe((message) =>
    console.log(`topic$: #${message.mid} ${JSON.stringify(readJson(message))}`),
  );

await system.start();
await system.settle(); // the readings are routed; the bad one faults the display
await new Promise((resolve) => setTimeout(resolve, 50)); // the restart's 20 ms backoff elapses
await system.settle(); // the reading that waited in the display's mailbox is handled

const { counters } = await system.stop();
console.log(
  `stopped: ${counters.published} published, ${counters.delivered} delivered, ${counters.deadLettered} dead-lettered`,
);
