// Owns the outbox file's low-level writes: a whole buffer per write, a durable directory entry, and done seqs as ranges.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Sorted seqs as [first, last, first, last, …] runs of consecutive numbers. */
export function doneRanges(seqs: number[]): number[] {
  if (seqs.length === 0) return [];
  seqs.sort((a, b) => a - b);
  const ranges = [seqs[0] as number, seqs[0] as number];
  for (let i = 1; i < seqs.length; i++) {
    const seq = seqs[i] as number;
    if (seq === (ranges[ranges.length - 1] as number) + 1) ranges[ranges.length - 1] = seq;
    else ranges.push(seq, seq);
  }
  return ranges;
}

/** Write all of `bytes` at the file position (a regular file may take them in several writes). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** Make a rename durable: fsync the directory (not possible on every platform; then skipped). */
export function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a directory.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
