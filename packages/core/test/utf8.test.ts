// Tests the UTF-8 helpers against the platform's TextEncoder, lone surrogates and cut characters included.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeUtf8, encodeUtf8Prefix, utf8ByteLength } from '../src/utf8.ts';

const platform = new TextEncoder();

/** Strings mixing 1- to 4-byte characters and lone surrogates, short and long. */
const textArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .array(fc.constantFrom('a', '/', 'é', 'ߺ', '€', '\uffff', '😀', '\ud800', '\udfff', '\u0000'), {
      maxLength: 60,
    })
    .map((parts) => parts.join('')),
);

describe('utf8', () => {
  it('counts and encodes like TextEncoder', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const expected = platform.encode(text);
        expect(utf8ByteLength(text)).toBe(expected.length);
        expect(encodeUtf8(text)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes any prefix of the bytes, even one that cuts a character', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), (text, cut) => {
        const expected = platform.encode(text);
        fc.pre(expected.length > 0);
        const length = 1 + (cut % expected.length);
        const prefix = encodeUtf8Prefix(text, length);
        expect(prefix).toEqual(expected.subarray(0, length));
        expect(prefix.length).toBe(length);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes the edge characters exactly', () => {
    expect([...encodeUtf8('é€😀')]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect([...encodeUtf8('\ud800x')]).toEqual([0xef, 0xbf, 0xbd, 0x78]);
    expect([...encodeUtf8Prefix('😀', 2)]).toEqual([0xf0, 0x9f]);
  });
});
