// A durable outbox: readings exported while the broker is down outlive the system that took them, and the next start sends them, in order, with their original origin.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readText } from '@ocre-ts/core';
import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import { defineMqttBridge } from '@ocre-ts/bridge-mqtt';
import { startMosquitto } from '@ocre-ts/bridge-mqtt/testing';

const broker = await startMosquitto();
const outboxFile = join(mkdtempSync(join(tmpdir(), 'ocre-')), 'uplink.outbox');
const wait = async (until: () => boolean) => {
  while (!until()) await new Promise((resolve) => setTimeout(resolve, 10));
};

// System B displays what arrives; its session waits in the broker while the broker is down.
const display = defineContainer({
  name: 'display',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message('sensors/#', 'show');
  },
  handlers: {
    show(message, ctx) {
      ctx.log(`${message.topic} = ${readText(message)}`);
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
  messaging: { topicMatching: 'wildcard' },
  containers: [display, downlink],
  onOutput: (container, _stream, line) => console.log(`B [${container}] ${line}`),
});
await b.start();
await wait(() => downlink.status().state === 'connected');
await broker.stop();

/** System A: a bridge exporting sensors/#, its outbox journalled to `outboxFile`. */
function systemA() {
  const uplink = defineMqttBridge({
    name: 'uplink',
    url: broker.url,
    systemId: 'plant-a',
    export: ['sensors/#'],
    outboxFile,
  });
  const system = createOcreSystem({
    messaging: { topicMatching: 'wildcard' },
    containers: [uplink],
    // Connection refusals name the broker's random port: left out so the output is the same each run.
    onOutput: (container, _stream, line) => {
      if (!line.startsWith('broker '))
        console.log(`A [${container}] ${line.replace(outboxFile, '<dir>/uplink.outbox')}`);
    },
  });
  return { uplink, system };
}

// The first run of A takes three readings while the broker is down, then ends.
const first = systemA();
await first.system.start();
for (const celsius of ['21.5', '21.7', '21.9'])
  first.system.publish('sensors/kitchen/temperature', 'text/plain', celsius);
await wait(() => first.uplink.status().counters.outboxed === 3);
await first.system.stop();

// The next run (after a crash or a reboot, too) replays the file ahead of its own new reading.
const next = systemA();
await next.system.start();
console.log(`A: ${next.uplink.status().counters.journalled} replayed from the outbox file`);
next.system.publish('sensors/kitchen/temperature', 'text/plain', '22.0');
await broker.restart();
await wait(() => downlink.status().counters.imported === 4);
await b.settle();
await Promise.all([next.system.stop(), b.stop()]);
await broker.dispose();
