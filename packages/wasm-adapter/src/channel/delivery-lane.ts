// Owns one pooled instance's delivery lane: two shared words (started, completed) through which the worker reports progress on the instance's mail and the main thread fences it, so no message runs twice.
/*
 * Layout: an Int32Array of 2 words over its own SharedArrayBuffer.
 *   [0] STARTED   sequence + 1 of the last delivery the worker started (mod 2^30), with bit 30
 *                 (FENCED) set by the main thread once the instance is gone: the worker then
 *                 starts nothing more. The worker claims a delivery by a compare-and-swap that
 *                 fails once FENCED is set, so the main thread's fence returns an exact count.
 *                 A start the worker has not begun when the lane is fenced never runs either.
 *   [1] COMPLETED sequence + 1 of the last delivery whose handler returned (mod 2^30).
 * Sequence numbers are per instance, consecutive, from 0, mod 2^30.
 */
const L_STARTED = 0;
const L_COMPLETED = 1;
const FENCED = 0x40000000;
const MASK = 0x3fffffff;

/** A fresh lane for a new instance. */
export function createLane(): SharedArrayBuffer {
  return new SharedArrayBuffer(8);
}

/** The sequence number after `seq`. */
export function nextSeq(seq: number): number {
  return (seq + 1) & MASK;
}

/** True when the mark (a STARTED or COMPLETED value) has reached delivery `seq`. */
export function reached(mark: number, seq: number): boolean {
  return ((mark - seq - 1) & MASK) < FENCED >> 1;
}

/** Worker: claim delivery `seq` before running it; false once the lane is fenced (run nothing). */
export function claim(lane: Int32Array, seq: number): boolean {
  for (;;) {
    const value = Atomics.load(lane, L_STARTED);
    if ((value & FENCED) !== 0) return false;
    if (Atomics.compareExchange(lane, L_STARTED, value, nextSeq(seq)) === value) return true;
  }
}

/** Worker: true once the main thread fenced the lane (the instance was killed; run none of its guest code). */
export function isFenced(lane: Int32Array): boolean {
  return (Atomics.load(lane, L_STARTED) & FENCED) !== 0;
}

/** Worker: delivery `seq` was handled. */
export function complete(lane: Int32Array, seq: number): void {
  Atomics.store(lane, L_COMPLETED, nextSeq(seq));
}

/** Main thread: fence the lane (the worker starts nothing more) and read its final marks. */
export function fence(lane: Int32Array): { started: number; completed: number } {
  let value = Atomics.load(lane, L_STARTED);
  while ((value & FENCED) === 0) {
    const seen = Atomics.compareExchange(lane, L_STARTED, value, value | FENCED);
    if (seen === value) break;
    value = seen;
  }
  return { started: value & MASK, completed: Atomics.load(lane, L_COMPLETED) };
}

/** Main thread: the COMPLETED mark now. */
export function completedMark(lane: Int32Array): number {
  return Atomics.load(lane, L_COMPLETED);
}
