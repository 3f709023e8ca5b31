// Tests reading a module's imports and memory from its binary, and capping the memory's maximum.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeU32Leb128 } from '../src/module/leb128.ts';
import { capMemoryPages, readModuleLayout } from '../src/module/module-binary.ts';
import { fixture } from './helpers.ts';

/** A module that defines one memory with the given limits and exports it as "memory". */
function memoryModule(flags: number, min: number, max?: number): Uint8Array {
  const limits = [
    flags,
    ...encodeU32Leb128(min),
    ...(max === undefined ? [] : encodeU32Leb128(max)),
  ];
  const memory = [1, ...limits];
  const exportEntry = [1, 6, ...new TextEncoder().encode('memory'), 2, 0];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    5,
    ...encodeU32Leb128(memory.length),
    ...memory,
    7,
    ...encodeU32Leb128(exportEntry.length),
    ...exportEntry,
  ]);
}

function memoryOf(bytes: Uint8Array): WebAssembly.Memory {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)));
  return instance.exports['memory'] as WebAssembly.Memory;
}

describe('readModuleLayout', () => {
  it('lists a C container’s imports with their signatures and its memory', () => {
    const layout = readModuleLayout(readFileSync(fixture('seed-subscriber')));
    expect(layout.imports.filter((entry) => entry.module === 'env')).toEqual([
      { module: 'env', name: 'ocre_msg_system_init', kind: 'function', signature: '() -> ()' },
      {
        module: 'env',
        name: 'ocre_subscribe_message',
        kind: 'function',
        signature: '(i32, i32) -> i32',
      },
      { module: 'env', name: 'ocre_sleep', kind: 'function', signature: '(i32) -> i32' },
    ]);
    expect(layout.memories).toEqual([
      { minPages: 2, maxPages: undefined, shared: false, memory64: false },
    ]);
  });

  it('rejects bytes that are not a module', () => {
    expect(() => readModuleLayout(readFileSync(fixture('malformed')))).toThrow(RangeError);
    expect(() => readModuleLayout(new TextEncoder().encode('int main() {}'))).toThrow(/magic/);
  });
});

describe('capMemoryPages', () => {
  it('adds a maximum to a memory that has none; growth past it fails', () => {
    const capped = capMemoryPages(memoryModule(0, 1), 3);
    expect(readModuleLayout(capped).memories[0]).toMatchObject({ minPages: 1, maxPages: 3 });
    const memory = memoryOf(capped);
    expect(memory.grow(2)).toBe(1);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('lowers a larger maximum and keeps a smaller one', () => {
    expect(
      readModuleLayout(capMemoryPages(memoryModule(1, 1, 100), 10)).memories[0]?.maxPages,
    ).toBe(10);
    expect(readModuleLayout(capMemoryPages(memoryModule(1, 1, 4), 10)).memories[0]?.maxPages).toBe(
      4,
    );
  });

  it('encodes a multi-byte maximum and the section size that grows with it', () => {
    const capped = capMemoryPages(memoryModule(0, 1), 65536);
    expect(capped.length).toBe(memoryModule(0, 1).length + 3);
    expect(readModuleLayout(capped).memories[0]?.maxPages).toBe(65536);
    expect(memoryOf(capped).buffer.byteLength).toBe(65536);
  });

  it('leaves every other section of a real container untouched', () => {
    const original = new Uint8Array(readFileSync(fixture('seed-subscriber')));
    const capped = capMemoryPages(original, 40);
    const before = new WebAssembly.Module(original);
    const after = new WebAssembly.Module(new Uint8Array(capped));
    expect(WebAssembly.Module.imports(after)).toEqual(WebAssembly.Module.imports(before));
    expect(WebAssembly.Module.exports(after)).toEqual(WebAssembly.Module.exports(before));
    expect(readModuleLayout(capped).memories[0]).toMatchObject({ minPages: 2, maxPages: 40 });
    // Only the memory limits grew: one flag change is free, the maximum adds one byte.
    expect(capped.length).toBe(original.length + 1);
  });

  it('refuses memories it cannot cap', () => {
    expect(() => capMemoryPages(memoryModule(0, 8), 4)).toThrow(
      /starts at 8 pages, above the cap of 4/,
    );
    expect(() => capMemoryPages(memoryModule(3, 1, 2), 4)).toThrow(/shared or 64-bit/);
    const noMemory = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    expect(() => capMemoryPages(noMemory, 4)).toThrow(/defines no memory/);
  });
});
