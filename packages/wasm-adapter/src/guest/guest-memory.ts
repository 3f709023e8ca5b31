// Owns bounds-checked reads of guest pointers: NUL-terminated UTF-8 strings and byte ranges, each failure a typed OcreError, never an exception.
import { OcreError } from '@ocre-ts/core';
import type { OcreErrorCode } from '@ocre-ts/core';

/** How to read and judge one string argument of a host call. */
export interface StringField {
  /** The call, for messages: `ocre_publish_message`. */
  readonly call: string;
  /** The C parameter's name: `topic`, `content_type`, `handler_name`. */
  readonly name: string;
  /** Longest accepted string in bytes, NUL excluded. */
  readonly maxBytes: number;
  /** Code for a bad pointer, an unterminated string or invalid UTF-8. */
  readonly invalid: OcreErrorCode;
  /** Code for a string longer than `maxBytes`. */
  readonly tooLong: OcreErrorCode;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Hex for messages: guest pointers are unsigned 32-bit. */
export function hex(pointer: number): string {
  return `0x${pointer.toString(16).padStart(8, '0')}`;
}

/**
 * A view of a guest's linear memory that checks every pointer before use. Views are taken
 * afresh on each call, since `memory.grow` detaches the old buffer.
 */
export class GuestMemory {
  /** @param memory - the instance's exported memory */
  constructor(readonly memory: WebAssembly.Memory) {}

  /** Current size in bytes. */
  get size(): number {
    return this.memory.buffer.byteLength;
  }

  /** The whole memory as bytes (invalid after the next grow). */
  bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /**
   * Read a NUL-terminated UTF-8 string at `pointer` (an i32 as the guest passed it: pointers at
   * or above 2 GiB arrive negative).
   *
   * @returns null for NULL, the string, or the error saying what is wrong with it
   */
  readString(pointer: number, field: StringField): string | null | OcreError {
    const address = pointer >>> 0;
    if (address === 0) return null;
    const size = this.size;
    if (address >= size) {
      return this.error(
        field.invalid,
        field,
        `pointer ${hex(address)} is outside linear memory (${size} bytes)`,
      );
    }
    // Look one byte past the limit: a NUL there still means "too long", not "unterminated".
    const end = Math.min(size, address + field.maxBytes + 1);
    const window = new Uint8Array(this.memory.buffer, address, end - address);
    const length = window.indexOf(0);
    if (length < 0) {
      return end === size
        ? this.error(
            field.invalid,
            field,
            `string at ${hex(address)} is not NUL-terminated before the end of linear memory (${size} bytes)`,
          )
        : this.error(
            field.tooLong,
            field,
            `string at ${hex(address)} is longer than ${field.maxBytes} bytes`,
          );
    }
    if (length > field.maxBytes) {
      return this.error(
        field.tooLong,
        field,
        `string at ${hex(address)} is ${length} bytes, over the limit of ${field.maxBytes}`,
      );
    }
    try {
      return utf8.decode(window.subarray(0, length));
    } catch {
      return this.error(field.invalid, field, `string at ${hex(address)} is not valid UTF-8`);
    }
  }

  /**
   * View `length` bytes at `pointer` for a payload. A non-positive or over-limit length yields an
   * empty view so that the facade reports it with the contract's own error.
   *
   * @returns null for NULL, a view into guest memory, or the error for a range outside memory
   */
  readPayload(
    pointer: number,
    length: number,
    maxBytes: number,
    call: string,
  ): Uint8Array | null | OcreError {
    const address = pointer >>> 0;
    if (address === 0) return null;
    if (length <= 0 || length > maxBytes) return new Uint8Array(0);
    const size = this.size;
    // address < 2^32 and length < 2^31, so the sum is exact in a double: no wrap-around.
    if (address + length > size) {
      return new OcreError(
        'INVALID_PAYLOAD',
        `${call}: payload ${hex(address)} + payload_len ${length} runs past the end of linear memory (${size} bytes)`,
      );
    }
    return new Uint8Array(this.memory.buffer, address, length);
  }

  /** True when `[address, address + length)` lies inside memory. */
  contains(address: number, length: number): boolean {
    return address >= 0 && length >= 0 && address + length <= this.size;
  }

  private error(code: OcreErrorCode, field: StringField, problem: string): OcreError {
    return new OcreError(code, `${field.call}: ${field.name} ${problem}`);
  }
}
