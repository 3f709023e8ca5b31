// Owns what `uname` tells a current-API container and writing it as Ocre's `struct _ocre_posix_utsname`.
import type { GuestMemory } from '../guest/guest-memory.ts';

/** Bytes per field of `struct _ocre_posix_utsname` (`OCRE_API_POSIX_BUF_SIZE`), NUL included. */
const utsnameFieldBytes = 65;
const fieldOrder = ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'] as const;
/** `sizeof(struct _ocre_posix_utsname)`: six fields of 65 bytes. */
export const utsnameBytes = utsnameFieldBytes * fieldOrder.length;

/** The six fields `uname` fills; each is cut to 64 UTF-8 bytes at a character boundary. */
export type SystemDescription = Record<(typeof fieldOrder)[number], string>;

/** The description with defaults filled in: `ocre-ts` on this Node.js, machine `wasm32`. */
export function systemDescription(given: Partial<SystemDescription> = {}): SystemDescription {
  return {
    sysname: 'ocre-ts',
    nodename: 'ocre-ts',
    release: '0.1.0',
    version: `Node.js ${process.version}`,
    machine: 'wasm32',
    domainname: '',
    ...given,
  };
}

/**
 * Writes `description` at `pointer` as `struct _ocre_posix_utsname` (each field NUL-terminated,
 * zero-filled).
 *
 * @returns false, writing nothing, when the 390 bytes at `pointer` are not all inside memory or
 *   `pointer` is NULL
 */
export function writeUtsname(
  memory: GuestMemory,
  pointer: number,
  description: SystemDescription,
): boolean {
  const address = pointer >>> 0;
  if (address === 0 || !memory.contains(address, utsnameBytes)) return false;
  const bytes = memory.bytes();
  bytes.fill(0, address, address + utsnameBytes);
  const encoder = new TextEncoder();
  fieldOrder.forEach((field, index) => {
    const encoded = encoder.encode(description[field]);
    let length = Math.min(encoded.length, utsnameFieldBytes - 1);
    while (length > 0 && length < encoded.length && ((encoded[length] ?? 0) & 0xc0) === 0x80) {
      length--;
    }
    bytes.set(encoded.subarray(0, length), address + index * utsnameFieldBytes);
  });
  return true;
}
