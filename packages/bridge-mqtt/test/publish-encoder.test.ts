// Tests the QoS 0 PUBLISH encoder against mqtt.js's own parser: every field round-trips, batches split into chunks in order, and oversized packets are refused.
import fc from 'fast-check';
import mqttPacket from 'mqtt-packet';
import type { IPublishPacket, Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { readOrigin } from '../src/origin.ts';
import { PublishEncoder, publishPacketBytes } from '../src/publish-encoder.ts';
import type { EncodablePublish } from '../src/publish-encoder.ts';

/** Parse what the encoder wrote the way mqtt.js's client does (MQTT 5). */
function parse(chunks: readonly Buffer[]): IPublishPacket[] {
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  const packets: Packet[] = [];
  const errors: Error[] = [];
  parser.on('packet', (packet: Packet) => packets.push(packet));
  parser.on('error', (error: Error) => errors.push(error));
  for (const chunk of chunks) parser.parse(chunk);
  expect(errors).toEqual([]);
  return packets.map((packet) => {
    expect(packet.cmd).toBe('publish');
    return packet as IPublishPacket;
  });
}

const runAndSystem = ' run123456789 edge 7:plant-a';

function message(
  topic: string,
  payload: Uint8Array,
  mid: bigint,
  contentType = 'application/json',
  origin = runAndSystem,
): EncodablePublish {
  return { topic, payload, contentType, mid, origin };
}

describe('PublishEncoder', () => {
  it('writes packets mqtt.js parses back field for field, with the origin readOrigin accepts', () => {
    const encoder = new PublishEncoder(false, 'ocre-origin', runAndSystem);
    const sent = [
      message('ocre/sensors/temp', Buffer.from('{"c":21.5}'), 0n),
      message('ocre/sensors/temp', Buffer.from('x'), 18_446_744_073_709_551_615n),
      message('ocre/ünïcode/トピック', Uint8Array.of(0, 1, 255), 42n, 'text/plain; charset=utf-8'),
    ];
    for (const m of sent) expect(encoder.add(m, Infinity)).toBe(true);
    const chunks = encoder.take();
    const packets = parse(chunks);
    expect(packets).toHaveLength(3);
    packets.forEach((packet, i) => {
      const m = sent[i] as EncodablePublish;
      expect(packet).toMatchObject({ topic: m.topic, qos: 0, retain: false, dup: false });
      expect(new Uint8Array(packet.payload as Buffer)).toEqual(new Uint8Array(m.payload));
      expect(packet.properties?.contentType).toBe(m.contentType);
      const origin = readOrigin(packet.properties?.userProperties);
      expect(origin).toEqual({ system: 'edge 7:plant-a', key: `${m.mid}${runAndSystem}` });
    });
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(
      sent.reduce((n, m) => n + publishPacketBytes(m, 'ocre-origin', runAndSystem, 0), 0),
    );
    expect(encoder.take()).toEqual([]); // taken once
  });

  it("writes a replayed export's own origin (an earlier run's), not the encoder's", () => {
    const encoder = new PublishEncoder(false, 'ocre-origin', runAndSystem);
    const earlier = ' earlierRun12 edge 7:plant-a';
    const sent = [
      message('ocre/a', Buffer.from('1'), 7n, 'text/plain', earlier),
      message('ocre/a', Buffer.from('2'), 0n),
    ];
    for (const m of sent) encoder.add(m, Infinity);
    const chunks = encoder.take();
    expect(parse(chunks).map((p) => readOrigin(p.properties?.userProperties))).toEqual([
      { system: 'edge 7:plant-a', key: `7${earlier}` },
      { system: 'edge 7:plant-a', key: `0${runAndSystem}` },
    ]);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(
      sent.reduce((n, m) => n + publishPacketBytes(m, 'ocre-origin', m.origin, 0), 0),
    );
  });

  it('sets RETAIN when asked', () => {
    const encoder = new PublishEncoder(true, 'ocre-origin', runAndSystem);
    encoder.add(message('ocre/a', Buffer.from('1'), 1n), Infinity);
    expect(parse(encoder.take())[0]?.retain).toBe(true);
  });

  it('packs a large batch into several chunks, in order, with large payloads in chunks of their own', () => {
    const encoder = new PublishEncoder(false, 'ocre-origin', runAndSystem);
    const big = new Uint8Array(200_000).fill(7);
    const sent: EncodablePublish[] = [];
    for (let i = 0; i < 3000; i++)
      sent.push(message(`ocre/t/${i % 7}`, i === 1500 ? big : Buffer.from(`m${i}`), BigInt(i)));
    for (const m of sent) encoder.add(m, Infinity);
    const chunks = encoder.take();
    expect(chunks.length).toBeGreaterThan(3);
    const packets = parse(chunks);
    expect(packets.map((p) => p.topic)).toEqual(sent.map((m) => m.topic));
    expect(packets.map((p) => readOrigin(p.properties?.userProperties))).toEqual(
      sent.map((m) => ({ system: 'edge 7:plant-a', key: `${m.mid}${runAndSystem}` })),
    );
    expect((packets[1500]?.payload as Buffer).length).toBe(big.length);
  });

  it('refuses a packet over the broker maximum packet size and keeps the batch intact', () => {
    const encoder = new PublishEncoder(false, 'ocre-origin', runAndSystem);
    const small = message('ocre/a', Buffer.from('ok'), 1n);
    const limit = publishPacketBytes(small, 'ocre-origin', runAndSystem, 0);
    expect(encoder.add(small, limit)).toBe(true);
    expect(encoder.add(message('ocre/a', Buffer.from('too long'), 2n), limit)).toBe(false);
    expect(encoder.add(message('ocre/a', Buffer.from('ok'), 3n), limit)).toBe(true);
    const packets = parse(encoder.take());
    expect(packets.map((p) => readOrigin(p.properties?.userProperties))).toEqual([
      { system: 'edge 7:plant-a', key: `1${runAndSystem}` },
      { system: 'edge 7:plant-a', key: `3${runAndSystem}` },
    ]);
  });

  it('round-trips any topic, content type, payload and mid (property test)', () => {
    const topic = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((t) => !t.includes('+') && !t.includes('#') && !t.includes('\0'));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            topic,
            contentType: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }),
            payload: fc.uint8Array({ minLength: 1, maxLength: 300 }),
            mid: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
            origin: fc.constant(runAndSystem),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (sent) => {
          const encoder = new PublishEncoder(false, 'ocre-origin', runAndSystem);
          for (const m of sent) expect(encoder.add(m, Infinity)).toBe(true);
          const packets = parse(encoder.take());
          expect(
            packets.map((p) => [
              p.topic,
              p.properties?.contentType,
              new Uint8Array(p.payload as Buffer),
            ]),
          ).toEqual(sent.map((m) => [m.topic, m.contentType, m.payload]));
          expect(packets.map((p) => readOrigin(p.properties?.userProperties))).toEqual(
            sent.map((m) => ({ system: 'edge 7:plant-a', key: `${m.mid}${runAndSystem}` })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
