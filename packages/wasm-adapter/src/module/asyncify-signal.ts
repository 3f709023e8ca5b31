// Owns the shared word and text through which the asyncify thread answers a caller blocked in Atomics.wait.

/** Word 0: still working. */
const SIGNAL_PENDING = 0;
/** Word 0: the transformed module is in the cache file. */
export const SIGNAL_DONE = 1;
/** Word 0: the transform failed; the reason follows as text. */
export const SIGNAL_FAILED = 2;

const TEXT_OFFSET = 8;
const TEXT_BYTES = 4096;

/** What the asyncify thread is given. */
export interface AsyncifyJob {
  /** The module to transform (memory cap already applied). */
  readonly bytes: Uint8Array;
  /** Where to write the result (written to a temporary name, then renamed). */
  readonly outFile: string;
  /** Made by {@link createSignal}. */
  readonly signal: SharedArrayBuffer;
}

/** A fresh signal, pending. */
export function createSignal(): SharedArrayBuffer {
  return new SharedArrayBuffer(TEXT_OFFSET + TEXT_BYTES);
}

/** Worker: publish the outcome and wake the waiter. */
export function writeSignal(signal: SharedArrayBuffer, state: number, text: string): void {
  const encoded = new TextEncoder().encode(text).subarray(0, TEXT_BYTES);
  new Uint8Array(signal, TEXT_OFFSET).set(encoded);
  const words = new Int32Array(signal, 0, 2);
  words[1] = encoded.length;
  Atomics.store(words, 0, state);
  Atomics.notify(words, 0);
}

/** Caller: block until the outcome is published or `timeoutMs` passes. */
export function waitSignal(
  signal: SharedArrayBuffer,
  timeoutMs: number,
): { readonly state: number; readonly text: string } {
  const words = new Int32Array(signal, 0, 2);
  const deadline = performance.now() + timeoutMs;
  while (Atomics.load(words, 0) === SIGNAL_PENDING) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    Atomics.wait(words, 0, SIGNAL_PENDING, remaining);
  }
  const state = Atomics.load(words, 0);
  const length = words[1] ?? 0;
  const text = new TextDecoder().decode(new Uint8Array(signal, TEXT_OFFSET, length).slice());
  return { state, text };
}
