// Tests the delivery ring on its own (one thread plays both sides): records come out in order and intact across wrap-around, a full ring refuses instead of overwriting, and a message too large for it becomes an OVERSIZED record.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OcreMessage } from '@ocre-ts/core';
import {
  OVERSIZED,
  RingReader,
  RingWriter,
  createDeliveryRing,
} from '../src/channel/delivery-ring.ts';
import type { RingDelivery } from '../src/channel/delivery-ring.ts';

const decoder = new TextDecoder();

function message(mid: number, topic: string, payload: Uint8Array): OcreMessage {
  return {
    mid: BigInt(mid),
    topic,
    contentType: 'application/octet-stream',
    payload,
    payloadLen: payload.length,
  };
}

interface Seen {
  readonly mid: bigint;
  readonly seq: number;
  readonly topic: string;
  readonly payload: number[];
  readonly handlerIndex: number;
}

function copy(delivery: RingDelivery): Seen {
  return {
    mid: delivery.mid,
    seq: delivery.seq,
    topic: decoder.decode(delivery.topic.slice()),
    payload: [...delivery.payload],
    handlerIndex: delivery.handlerIndex,
  };
}

describe('delivery ring', () => {
  it('hands every record over once, in order and intact, however writes and reads interleave across wrap-around', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.integer({ min: 1, max: 900 }),
            topic: fc.string({ maxLength: 20 }),
            read: fc.integer({ min: 0, max: 3 }),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        (plan) => {
          const ring = createDeliveryRing(4096);
          const writer = new RingWriter(ring);
          const reader = new RingReader(ring);
          const sent: Seen[] = [];
          const got: Seen[] = [];
          const waiting: Seen[] = [];
          let seq = 0;
          const take = (limit: number) =>
            reader.read(limit, (delivery) => got.push(copy(delivery)));
          for (const step of plan) {
            const payload = Uint8Array.from(
              { length: step.size },
              (_, index) => (index * 7 + seq) & 255,
            );
            const seen = {
              mid: BigInt(seq),
              seq,
              topic: `t/${step.topic}`,
              payload: [...payload],
              handlerIndex: seq % 5,
            };
            seq++;
            waiting.push(seen);
            // A full ring refuses: the record waits (as the pool's sender keeps it) and is retried after reads.
            while (waiting.length > 0) {
              const next = waiting[0] as Seen;
              const ok = writer.tryWrite({
                id: 1,
                epoch: 0,
                seq: next.seq,
                message: message(next.seq, next.topic, Uint8Array.from(next.payload)),
                handlerIndex: next.handlerIndex,
              });
              if (!ok) break;
              sent.push(waiting.shift() as Seen);
            }
            if (waiting.length > 0) take(Number.MAX_SAFE_INTEGER);
            else take(step.read);
          }
          while (waiting.length > 0 || got.length < sent.length) {
            take(Number.MAX_SAFE_INTEGER);
            const next = waiting[0];
            if (
              next !== undefined &&
              writer.tryWrite({
                id: 1,
                epoch: 0,
                seq: next.seq,
                message: message(next.seq, next.topic, Uint8Array.from(next.payload)),
                handlerIndex: next.handlerIndex,
              })
            )
              sent.push(waiting.shift() as Seen);
          }
          expect(got).toEqual(sent);
          expect(got.map((s) => s.seq)).toEqual(plan.map((_, index) => index));
          expect(reader.empty()).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a record when full instead of overwriting one not read yet', () => {
    const ring = createDeliveryRing(4096);
    const writer = new RingWriter(ring);
    const payload = new Uint8Array(1000);
    let written = 0;
    while (
      writer.tryWrite({
        id: 1,
        epoch: 0,
        seq: written,
        message: message(written, 'a', payload),
        handlerIndex: 0,
      })
    )
      written++;
    expect(written).toBe(3);
    const seqs: number[] = [];
    new RingReader(ring).read(10, (delivery) => seqs.push(delivery.seq));
    expect(seqs).toEqual([0, 1, 2]);
  });

  it('writes a message needing more than half the ring as an OVERSIZED record with no bytes, in its place', () => {
    const ring = createDeliveryRing(4096);
    const writer = new RingWriter(ring);
    expect(
      writer.tryWrite({
        id: 7,
        epoch: 2,
        seq: 0,
        message: message(40, 'big', new Uint8Array(3000)),
        handlerIndex: 1,
      }),
    ).toBe(true);
    expect(
      writer.tryWrite({
        id: 7,
        epoch: 2,
        seq: 1,
        message: message(41, 'small', new Uint8Array(10)),
        handlerIndex: 1,
      }),
    ).toBe(true);
    const seen: {
      seq: number;
      handlerIndex: number;
      payload: number;
      mid: bigint;
      epoch: number;
    }[] = [];
    new RingReader(ring).read(10, (delivery) =>
      seen.push({
        seq: delivery.seq,
        handlerIndex: delivery.handlerIndex,
        payload: delivery.payload.length,
        mid: delivery.mid,
        epoch: delivery.epoch,
      }),
    );
    expect(seen).toEqual([
      { seq: 0, handlerIndex: OVERSIZED, payload: 0, mid: 40n, epoch: 2 },
      { seq: 1, handlerIndex: 1, payload: 10, mid: 41n, epoch: 2 },
    ]);
  });
});
