// Tests the bounds checks on guest pointers: every bad pointer, length or string is a typed error, never an exception.
import { OcreError } from '@ocre-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../src/guest/guest-memory.ts';
import type { StringField } from '../src/guest/guest-memory.ts';

const topic: StringField = {
  call: 'ocre_publish_message',
  name: 'topic',
  maxBytes: 16,
  invalid: 'INVALID_TOPIC',
  tooLong: 'TOPIC_TOO_LONG',
};

/** One page of memory with `text` (no NUL added) written at `at`. */
function memoryWith(at: number, bytes: ArrayLike<number>): GuestMemory {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
  new Uint8Array(memory.buffer).set(bytes, at);
  return new GuestMemory(memory);
}

const ascii = (text: string) => [...new TextEncoder().encode(text)];

function codeOf(result: unknown): string | undefined {
  return result instanceof OcreError ? result.code : undefined;
}

describe('GuestMemory.readString', () => {
  it('reads a NUL-terminated UTF-8 string, and NULL as null', () => {
    const memory = memoryWith(100, [...ascii('sensors/ü'), 0]);
    expect(memory.readString(100, topic)).toBe('sensors/ü');
    expect(memory.readString(0, topic)).toBeNull();
  });

  it('refuses pointers outside memory, including ones at or above 2 GiB that arrive negative', () => {
    const memory = memoryWith(0, []);
    expect(memory.readString(65536, topic)).toEqual(
      new OcreError(
        'INVALID_TOPIC',
        'ocre_publish_message: topic pointer 0x00010000 is outside linear memory (65536 bytes)',
      ),
    );
    expect(codeOf(memory.readString(0x80000010 | 0, topic))).toBe('INVALID_TOPIC');
    expect(codeOf(memory.readString(-1, topic))).toBe('INVALID_TOPIC');
  });

  it('refuses a string that runs into the end of memory', () => {
    const memory = memoryWith(65536 - 4, ascii('ABCD'));
    const result = memory.readString(65536 - 4, topic);
    expect(codeOf(result)).toBe('INVALID_TOPIC');
    expect((result as OcreError).message).toMatch(
      /not NUL-terminated before the end of linear memory/,
    );
  });

  it('tells a too-long string from an unterminated one', () => {
    const exact = memoryWith(8, [...ascii('a'.repeat(16)), 0]);
    expect(exact.readString(8, topic)).toBe('a'.repeat(16));
    const over = memoryWith(8, [...ascii('a'.repeat(17)), 0]);
    expect(codeOf(over.readString(8, topic))).toBe('TOPIC_TOO_LONG');
    const endless = memoryWith(8, ascii('a'.repeat(100)));
    expect(codeOf(endless.readString(8, topic))).toBe('TOPIC_TOO_LONG');
  });

  it('refuses invalid UTF-8', () => {
    const memory = memoryWith(8, [0x73, 0xc3, 0x28, 0]);
    expect(memory.readString(8, topic)).toEqual(
      new OcreError(
        'INVALID_TOPIC',
        'ocre_publish_message: topic string at 0x00000008 is not valid UTF-8',
      ),
    );
  });

  it('never throws, whatever the pointer', () => {
    const memory = memoryWith(0, ascii('no terminator anywhere near'));
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (pointer) => {
        const result = memory.readString(pointer, topic);
        expect(result === null || typeof result === 'string' || result instanceof OcreError).toBe(
          true,
        );
      }),
    );
  });
});

describe('GuestMemory.readPayload', () => {
  const memory = memoryWith(0, []);
  const read = (pointer: number, length: number) =>
    memory.readPayload(pointer, length, 1024, 'ocre_publish_message');

  it('views in-bounds bytes, up to the last byte of memory', () => {
    expect(read(65536 - 4, 4)).toHaveLength(4);
    expect(read(0, 0)).toBeNull();
  });

  it('refuses a range past the end, wrapping past 2^32, or at 2 GiB', () => {
    expect(codeOf(read(65536 - 4, 5))).toBe('INVALID_PAYLOAD');
    expect(codeOf(read(0xfffffff0 | 0, 0x20))).toBe('INVALID_PAYLOAD');
    expect(codeOf(read(0x80000010 | 0, 4))).toBe('INVALID_PAYLOAD');
    expect((read(65536, 1) as OcreError).message).toBe(
      'ocre_publish_message: payload 0x00010000 + payload_len 1 runs past the end of linear memory (65536 bytes)',
    );
  });

  it('leaves bad lengths to the contract’s own checks (an empty view)', () => {
    expect(read(16, 0)).toEqual(new Uint8Array(0));
    expect(read(16, -1)).toEqual(new Uint8Array(0));
    expect(read(16, 2 ** 31 - 1)).toEqual(new Uint8Array(0));
  });
});
