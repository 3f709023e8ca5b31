// Tests the u32 LEB128 codec: known encodings, round trips, and rejection of malformed input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeU32Leb128, readU32Leb128 } from '../src/module/leb128.ts';

describe('u32 LEB128', () => {
  it('encodes and decodes the spec examples', () => {
    expect([...encodeU32Leb128(0)]).toEqual([0]);
    expect([...encodeU32Leb128(127)]).toEqual([0x7f]);
    expect([...encodeU32Leb128(128)]).toEqual([0x80, 0x01]);
    expect([...encodeU32Leb128(624485)]).toEqual([0xe5, 0x8e, 0x26]);
    expect([...encodeU32Leb128(0xffffffff)]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(readU32Leb128(Uint8Array.of(9, 0xe5, 0x8e, 0x26, 9), 1)).toEqual({
      value: 624485,
      next: 4,
    });
  });

  it('accepts a padded (non-minimal) encoding, as the binary format allows', () => {
    expect(readU32Leb128(Uint8Array.of(0x80, 0x80, 0x00), 0)).toEqual({ value: 0, next: 3 });
  });

  it('round-trips every u32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        const bytes = encodeU32Leb128(value);
        expect(bytes.length).toBeLessThanOrEqual(5);
        expect(readU32Leb128(bytes, 0)).toEqual({ value, next: bytes.length });
      }),
    );
  });

  it('rejects truncated, over-long and out-of-range input', () => {
    expect(() => readU32Leb128(Uint8Array.of(0x80, 0x80), 0)).toThrow(RangeError);
    expect(() => readU32Leb128(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 0)).toThrow(
      /does not fit in 32 bits/,
    );
    expect(() => readU32Leb128(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f), 0)).toThrow(
      /does not fit in 32 bits/,
    );
    expect(() => encodeU32Leb128(-1)).toThrow(RangeError);
    expect(() => encodeU32Leb128(2 ** 32)).toThrow(RangeError);
    expect(() => encodeU32Leb128(1.5)).toThrow(RangeError);
  });
});
