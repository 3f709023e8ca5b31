// Owns UTF-8 byte counting, encoding and decoding shared by validation and message helpers.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/**
 * Strings up to this many UTF-16 code units are encoded by a loop here rather than by
 * TextEncoder: for short text the call into TextEncoder (~300 ns in Node 20) costs far more than
 * the loop, while longer text is where TextEncoder wins.
 */
const shortTextLength = 32;

/**
 * The number of bytes `text` takes in UTF-8, computed without allocating.
 *
 * @param text - any string; lone surrogates count as the 3-byte replacement character
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Encode `text` as UTF-8 bytes; lone surrogates become U+FFFD, as with TextEncoder. */
export function encodeUtf8(text: string): Uint8Array {
  if (text.length > shortTextLength) return encoder.encode(text);
  const bytes = new Uint8Array(utf8ByteLength(text));
  writeUtf8(text, bytes);
  return bytes;
}

/**
 * The first `byteLength` bytes of `text` in UTF-8 (a cut may split a character, as a C caller's
 * length can), without encoding more than needed for short text.
 *
 * @param byteLength - at most `utf8ByteLength(text)`
 */
export function encodeUtf8Prefix(text: string, byteLength: number): Uint8Array {
  if (text.length > shortTextLength) {
    const encoded = encoder.encode(text);
    return byteLength === encoded.length ? encoded : encoded.subarray(0, byteLength);
  }
  const bytes = new Uint8Array(byteLength);
  writeUtf8(text, bytes);
  return bytes;
}

/** Writes the UTF-8 encoding of `text` into `bytes` until it is full; writes past the end are dropped. */
function writeUtf8(text: string, bytes: Uint8Array): void {
  let at = 0;
  for (let i = 0; i < text.length && at < bytes.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes[at++] = code;
      continue;
    }
    if (code < 0x800) {
      bytes[at++] = 0xc0 | (code >> 6);
      bytes[at++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = code <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        bytes[at++] = 0xf0 | (code >> 18);
        bytes[at++] = 0x80 | ((code >> 12) & 0x3f);
        bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
        bytes[at++] = 0x80 | (code & 0x3f);
        continue;
      }
      code = 0xfffd;
    }
    bytes[at++] = 0xe0 | (code >> 12);
    bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
    bytes[at++] = 0x80 | (code & 0x3f);
  }
}

/** Decode UTF-8 `bytes` to a string; invalid sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
