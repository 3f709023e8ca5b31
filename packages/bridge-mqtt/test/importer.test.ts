// Tests the import checks a real broker never lets through (Mosquitto refuses such topics itself): not UTF-8, outside the prefix.
import { describe, expect, it } from 'vitest';
import type { IPublishPacket } from 'mqtt';
import { createOcreFacade } from '@ocre-ts/core';
import { realClock } from '@ocre-ts/actors';
import { createBridgeCounters } from '../src/bridge-status.ts';
import { DedupeWindow } from '../src/dedupe-window.ts';
import { Importer } from '../src/importer.ts';

function importer() {
  const published: string[] = [];
  const api = createOcreFacade({
    container: 'bridge:test',
    port: {
      publish: (topic) => (published.push(topic), BigInt(published.length - 1)),
      subscribe: () => undefined,
    },
  });
  api.ocre_msg_system_init();
  const counters = createBridgeCounters();
  const subject = new Importer({
    prefix: 'ocre/',
    systemId: 'b',
    counters,
    dedupe: new DedupeWindow(10),
    clock: realClock,
    current: () => api,
    isLive: () => true,
    publishedLocally: () => undefined,
  });
  return { subject, counters, published };
}

const packet = (topic: string): IPublishPacket => ({
  cmd: 'publish',
  qos: 1,
  dup: false,
  retain: false,
  topic,
  payload: Buffer.from('x'),
});

describe('Importer', () => {
  it('rejects a topic decoded from bytes that are not UTF-8, and one outside the prefix, acknowledging both', () => {
    const { subject, counters, published } = importer();
    const acks: string[] = [];
    // mqtt-packet decodes invalid UTF-8 as U+FFFD, which is how the bridge recognises it.
    const invalid = Buffer.from([0x6f, 0x63, 0x72, 0x65, 0x2f, 0xff, 0xfe]).toString('utf8');
    subject.receive(packet(invalid), 1, () => acks.push('invalid'));
    subject.receive(packet('elsewhere/x'), 1, () => acks.push('outside'));
    subject.receive(packet('ocre/fine'), 1, () => acks.push('fine'));
    expect(acks).toEqual(['invalid', 'outside', 'fine']);
    expect(published).toEqual(['fine']);
    expect(counters).toMatchObject({
      rejected: 2,
      imported: 1,
      'rejected.invalid-utf8': 1,
      'rejected.outside-prefix': 1,
    });
  });
});
