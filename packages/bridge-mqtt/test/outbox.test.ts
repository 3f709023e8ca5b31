// Tests the outbox against a plain-array model: bounded, in order, acknowledged entries leave only behind older ones, and a lost connection resends oldest first.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Outbox, OutboxEntry } from '../src/outbox.ts';

const entry = (mid: number) =>
  new OutboxEntry(`ocre/t/${mid}`, Buffer.from([mid & 0xff]), 'x', BigInt(mid), ' run sys');
const mids = (entries: readonly (OutboxEntry | undefined)[]) => entries.map((e) => e?.mid);

type Op =
  | { readonly kind: 'push' }
  | { readonly kind: 'send'; readonly count: number }
  | { readonly kind: 'ack'; readonly pick: number }
  | { readonly kind: 'lost' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: 'push' } as const),
  fc.record({ kind: fc.constant('send' as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }),
  fc.constant({ kind: 'lost' } as const),
);

describe('Outbox', () => {
  it('sends in order, keeps an entry until it and every older one are acknowledged, resends the rest after a loss', () => {
    const outbox = new Outbox(4);
    const [a, b, c, d, e] = [entry(1), entry(2), entry(3), entry(4), entry(5)];
    for (const x of [a, b, c, d]) expect(outbox.push(x)).toBe(true);
    expect(outbox.push(e)).toBe(false); // full: capacity 4
    expect(mids([outbox.takeUnsent(), outbox.takeUnsent(), outbox.takeUnsent()])).toEqual([
      1n,
      2n,
      3n,
    ]);
    outbox.ack(b); // out of order: a is older, so nothing leaves yet
    expect(outbox.size).toBe(4);
    expect(outbox.inFlight).toBe(2);
    outbox.resend(); // the connection was lost with a and c unacknowledged
    expect(outbox.inFlight).toBe(0);
    expect(mids([outbox.takeUnsent(), outbox.takeUnsent(), outbox.takeUnsent()])).toEqual([
      1n,
      3n,
      4n,
    ]);
    expect(outbox.takeUnsent()).toBeUndefined();
    outbox.ack(a); // a and the already-acknowledged b leave together
    expect(outbox.size).toBe(2);
    expect(outbox.push(e)).toBe(true);
  });

  it('behaves like the plain-array model for any sequence of pushes, sends, acks and losses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(op, { maxLength: 400 }),
        (capacity, ops) => {
          const outbox = new Outbox(capacity);
          const model: OutboxEntry[] = []; // held entries, oldest first
          let next = 0;
          for (const o of ops) {
            if (o.kind === 'push') {
              // Bursts, so the ring has to grow past its first 1024 slots.
              for (let i = 0; i < 600; i++) {
                const x = entry(next++);
                const full = model.length >= capacity;
                expect(outbox.push(x)).toBe(!full);
                if (!full) model.push(x);
              }
            } else if (o.kind === 'send') {
              for (let i = 0; i < o.count; i++) {
                const expected = model.find((x) => !x.sent && !x.acked);
                expect(outbox.takeUnsent()).toBe(expected); // takeUnsent marks it sent
              }
            } else if (o.kind === 'ack') {
              const inFlight = model.filter((x) => x.sent);
              const chosen = inFlight[o.pick % Math.max(1, inFlight.length)];
              if (chosen !== undefined) outbox.ack(chosen);
              while (model[0]?.acked === true) model.shift();
            } else {
              outbox.resend();
            }
            expect(outbox.size).toBe(model.length);
            expect(outbox.isFull).toBe(model.length >= capacity);
            expect(outbox.inFlight).toBe(model.filter((x) => x.sent).length);
          }
          // Every held entry is still sent, in order, after one more loss.
          outbox.resend();
          const rest: OutboxEntry[] = [];
          for (let x = outbox.takeUnsent(); x !== undefined; x = outbox.takeUnsent()) rest.push(x);
          expect(rest).toEqual(model.filter((x) => !x.acked));
        },
      ),
      { numRuns: 60 },
    );
  });
});
