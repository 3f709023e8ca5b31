// Two systems joined through a real Mosquitto: A's readings reach B's display, carrying their content type, and nothing comes back.
import { readText } from '@ocre-ts/core';
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import { defineMqttBridge } from '@ocre-ts/bridge-mqtt';
import { startMosquitto } from '@ocre-ts/bridge-mqtt/testing';

const broker = await startMosquitto(); // mosquitto on a free loopback port, persistence on

// System B: a display of every sensor reading, fed by a bridge that imports sensors/#.
const display = defineContainer({
  name: 'display',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message('sensors/#', 'show');
  },
  handlers: {
    show(message, ctx) {
      ctx.log(`${message.topic} = ${readText(message)} (${message.contentType})`);
    },
  },
});
const downlink = defineMqttBridge({
  name: 'downlink',
  url: broker.url,
  systemId: 'plant-b',
  import: ['sensors/#'],
});
const b = createOcreSystem({
  messaging: { topicMatching: 'wildcard' }, // bridge patterns are MQTT wildcards
  containers: [display, downlink], // the bridge last: its imports find the display subscribed
  onOutput: (container, _stream, line) => console.log(`B [${container}] ${line}`),
});
b.events$.subscribe((event) => {
  if (event.type === 'container.status') console.log(`B: ${event.container} ${event.state}`);
});

// System A: only a bridge that exports sensors/#; readings are published from outside here.
const uplink = defineMqttBridge({
  name: 'uplink',
  url: broker.url,
  systemId: 'plant-a',
  export: ['sensors/#'],
});
const a = createOcreSystem({
  messaging: { topicMatching: 'wildcard' },
  containers: [uplink],
});

await Promise.all([a.start(), b.start()]);
const connected = () => [uplink, downlink].every((bridge) => bridge.status().state === 'connected');
while (!connected()) await new Promise((resolve) => setTimeout(resolve, 10));

a.publish('sensors/kitchen/temperature', 'application/json', '{"celsius":21.5}');
a.publish('sensors/kitchen/humidity', 'text/plain', '40 %');
a.publish('actuators/fan', 'text/plain', 'on'); // not exported
// B can hold both before A has the broker's acknowledgement of the second: wait for both sides.
const done = () =>
  downlink.status().counters.imported >= 2 && uplink.status().counters.outboxed === 0;
while (!done()) await new Promise((r) => setTimeout(r, 10));
await b.settle();

const { exported, outboxed } = uplink.status().counters;
const { imported, duplicates, loops } = downlink.status().counters;
console.log(`A: ${exported} exported, ${outboxed} waiting in the outbox`);
console.log(`B: ${imported} imported, ${duplicates} duplicates, ${loops} loops`);
await Promise.all([a.stop(), b.stop()]);
await broker.dispose();
