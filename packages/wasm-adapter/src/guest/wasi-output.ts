// Owns capturing a guest's stdout and stderr: a WASI fd_write for fds 1 and 2 that checks its iovecs and turns bytes into complete lines.

/** WASI errno values fd_write returns. */
const ERRNO_SUCCESS = 0;
const ERRNO_FAULT = 21;
const ERRNO_INVAL = 28;
/** POSIX IOV_MAX: more iovecs than this in one call is EINVAL. */
const IOV_MAX = 1024;
/** A line longer than this is passed on in pieces, so a guest cannot grow the buffer without bound. */
export const maxLineBytes = 16 * 1024;

/** Decodes complete lines; shared by every sink of the thread (a call without `stream` keeps no state). */
const decoder = new TextDecoder();

/** Collects bytes written to one stream and emits each complete line (without its `\n`). */
export class LineSink {
  private buffer = new Uint8Array(256);
  private length = 0;

  /** @param emit - receives each line */
  constructor(private readonly emit: (line: string) => void) {}

  /** Take bytes; emit every line they complete. */
  write(bytes: Uint8Array): void {
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(10, start);
      const end = newline < 0 ? bytes.length : newline;
      this.append(bytes.subarray(start, end));
      if (newline < 0) return;
      this.flush(true);
      start = newline + 1;
    }
  }

  /** Emit what is buffered as a line; with `always`, even an empty one. */
  flush(always = false): void {
    if (this.length === 0 && !always) return;
    const line = decoder.decode(this.buffer.subarray(0, this.length));
    this.length = 0;
    this.emit(line);
  }

  private append(bytes: Uint8Array): void {
    let rest = bytes;
    while (this.length + rest.length > maxLineBytes) {
      const room = maxLineBytes - this.length;
      this.append(rest.subarray(0, room));
      this.flush();
      rest = rest.subarray(room);
    }
    if (this.length + rest.length > this.buffer.length) {
      const grown = new Uint8Array(Math.min(maxLineBytes, (this.length + rest.length) * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(rest, this.length);
    this.length += rest.length;
  }
}

/** The WASI fd_write signature: (fd, iovs, iovs_len, nwritten) -> errno. */
export type FdWrite = (fd: number, iovs: number, iovsLength: number, nwritten: number) => number;

/**
 * Wrap WASI's fd_write so fds 1 and 2 go to `stdout` / `stderr` sinks instead of the process's
 * streams. Every iovec and the `nwritten` pointer are checked against memory: a bad one is
 * EFAULT, as a kernel would answer. Other fds go to `original`.
 *
 * @param original - node:wasi's fd_write
 * @param memory - the instance's memory (available once instantiated)
 * @param sinks - the sinks for fd 1 and fd 2
 */
export function captureFdWrite(
  original: FdWrite,
  memory: () => WebAssembly.Memory,
  sinks: { readonly stdout: LineSink; readonly stderr: LineSink },
): FdWrite {
  return (fd, iovs, iovsLength, nwritten) => {
    if (fd !== 1 && fd !== 2) return original(fd, iovs, iovsLength, nwritten);
    const sink = fd === 1 ? sinks.stdout : sinks.stderr;
    const buffer = memory().buffer;
    const size = buffer.byteLength;
    const vectors = iovs >>> 0;
    const count = iovsLength >>> 0;
    const written = nwritten >>> 0;
    if (count > IOV_MAX) return ERRNO_INVAL;
    if (vectors + count * 8 > size || written + 4 > size) return ERRNO_FAULT;
    const view = new DataView(buffer);
    // Check every vector before writing any, so a bad call has no partial effect.
    let total = 0;
    for (let index = 0; index < count; index++) {
      const pointer = view.getUint32(vectors + index * 8, true);
      const length = view.getUint32(vectors + index * 8 + 4, true);
      if (pointer + length > size) return ERRNO_FAULT;
      total += length;
    }
    for (let index = 0; index < count; index++) {
      const pointer = view.getUint32(vectors + index * 8, true);
      const length = view.getUint32(vectors + index * 8 + 4, true);
      sink.write(new Uint8Array(buffer, pointer, length));
    }
    view.setUint32(written, total >>> 0, true);
    return ERRNO_SUCCESS;
  };
}
