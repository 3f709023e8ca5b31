// Tests capturing guest output: bytes become complete lines, and fd_write checks its iovecs like a kernel would.
import { describe, expect, it } from 'vitest';
import { LineSink, captureFdWrite, maxLineBytes } from '../src/guest/wasi-output.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('LineSink', () => {
  it('emits complete lines only, keeping empty ones, and flushes the rest on demand', () => {
    const lines: string[] = [];
    const sink = new LineSink((line) => lines.push(line));
    sink.write(bytes('Received message on topic: '));
    sink.write(bytes('sensors/temperature\nContent type: application/json\n\nPay'));
    expect(lines).toEqual([
      'Received message on topic: sensors/temperature',
      'Content type: application/json',
      '',
    ]);
    sink.flush();
    expect(lines.at(-1)).toBe('Pay');
    sink.flush();
    expect(lines).toHaveLength(4);
  });

  it('cuts a line that never ends into bounded pieces', () => {
    const lines: string[] = [];
    const sink = new LineSink((line) => lines.push(line));
    sink.write(new Uint8Array(maxLineBytes * 2 + 10).fill(0x78));
    expect(lines.map((line) => line.length)).toEqual([maxLineBytes, maxLineBytes]);
  });
});

describe('captureFdWrite', () => {
  const setup = () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const out: string[] = [];
    const err: string[] = [];
    const other: number[] = [];
    const write = captureFdWrite(
      (fd) => {
        other.push(fd);
        return 8; // EBADF
      },
      () => memory,
      {
        stdout: new LineSink((line) => out.push(line)),
        stderr: new LineSink((line) => err.push(line)),
      },
    );
    const view = new DataView(memory.buffer);
    const u8 = new Uint8Array(memory.buffer);
    return { write, view, u8, out, err, other };
  };

  it('gathers iovecs into lines per stream and reports the bytes written', () => {
    const { write, view, u8, out, err } = setup();
    u8.set(bytes('hello '), 1000);
    u8.set(bytes('world\n'), 2000);
    view.setUint32(100, 1000, true);
    view.setUint32(104, 6, true);
    view.setUint32(108, 2000, true);
    view.setUint32(112, 6, true);
    expect(write(1, 100, 2, 200)).toBe(0);
    expect(view.getUint32(200, true)).toBe(12);
    expect(out).toEqual(['hello world']);
    expect(write(2, 108, 1, 200)).toBe(0);
    expect(err).toEqual(['world']);
  });

  it('answers EFAULT for any iovec or result pointer outside memory, writing nothing', () => {
    const { write, view, out } = setup();
    view.setUint32(100, 65530, true);
    view.setUint32(104, 10, true);
    expect(write(1, 100, 1, 200)).toBe(21);
    expect(write(1, 65532, 1, 200)).toBe(21);
    view.setUint32(104, 1, true);
    expect(write(1, 100, 1, 65534)).toBe(21);
    expect(write(1, 100, 1, -8)).toBe(21);
    expect(write(1, 100, 100_000, 200)).toBe(28);
    expect(out).toEqual([]);
  });

  it('leaves other descriptors to WASI', () => {
    const { write, other } = setup();
    expect(write(3, 0, 0, 0)).toBe(8);
    expect(other).toEqual([3]);
  });
});
