// Owns unsigned LEB128, the variable-length integers of the WebAssembly binary format (u32 only).

/** A decoded value and the offset just past it. */
export interface Leb128Read {
  /** The decoded value, 0 to 2^32 - 1. */
  readonly value: number;
  /** Offset of the first byte after the encoding. */
  readonly next: number;
}

/**
 * Decode an unsigned LEB128 u32 at `offset`. At most 5 bytes; the last may use only 4 bits.
 *
 * @param bytes - the binary
 * @param offset - where the encoding starts
 * @throws RangeError when the encoding runs past the end, is longer than 5 bytes or exceeds 2^32 - 1
 * @example
 * readU32Leb128(Uint8Array.of(0xe5, 0x8e, 0x26), 0); // { value: 624485, next: 3 }
 */
export function readU32Leb128(bytes: Uint8Array, offset: number): Leb128Read {
  let value = 0;
  for (let index = 0; index < 5; index++) {
    const byte = bytes[offset + index];
    if (byte === undefined) {
      throw new RangeError(`LEB128 at byte ${offset} runs past the end of the module`);
    }
    if (index === 4 && (byte & 0xf0) !== 0) {
      throw new RangeError(`LEB128 at byte ${offset} does not fit in 32 bits`);
    }
    value += (byte & 0x7f) * 2 ** (7 * index);
    if ((byte & 0x80) === 0) return { value, next: offset + index + 1 };
  }
  throw new RangeError(`LEB128 at byte ${offset} is longer than 5 bytes`);
}

/**
 * Encode `value` as the shortest unsigned LEB128.
 *
 * @param value - an integer from 0 to 2^32 - 1
 * @throws RangeError for anything else
 * @example
 * encodeU32Leb128(624485); // Uint8Array [0xe5, 0x8e, 0x26]
 */
export function encodeU32Leb128(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`cannot encode ${value} as a u32 LEB128`);
  }
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return Uint8Array.from(out);
}
