// Tests the asyncify transform: a module is made suspendable once and shared, its ABI unchanged, and a module binaryen refuses is a typed load error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asyncifyModule, clearAsyncifyCache } from '../src/module/asyncify.ts';
import { WasmLoadError } from '../src/errors.ts';
import { loadWasmModule } from '../src/module/module-loader.ts';
import { fixture } from './helpers.ts';

const names = (entries: readonly { name: string }[]) => entries.map((entry) => entry.name).sort();

describe('asyncifyModule', () => {
  it('adds the asyncify exports and keeps every import and export of the module', () => {
    const loaded = loadWasmModule(fixture('seed-publisher'));
    const module = asyncifyModule(loaded.bytes, 'seed-publisher');
    const exports = names(WebAssembly.Module.exports(module));
    expect(exports).toEqual(
      [
        ...names(WebAssembly.Module.exports(loaded.module)),
        'asyncify_get_state',
        'asyncify_start_rewind',
        'asyncify_start_unwind',
        'asyncify_stop_rewind',
        'asyncify_stop_unwind',
      ].sort(),
    );
    expect(WebAssembly.Module.imports(module)).toEqual(WebAssembly.Module.imports(loaded.module));
  });

  it('transforms and compiles a module once: the same bytes give the same Module, from memory or disk', () => {
    const bytes = loadWasmModule(fixture('seed-subscriber')).bytes;
    const first = asyncifyModule(bytes, 'a');
    expect(asyncifyModule(new Uint8Array(bytes), 'b')).toBe(first);
    clearAsyncifyCache();
    // From the disk cache now: a fresh Module with the same shape.
    const again = asyncifyModule(bytes, 'c');
    expect(again).not.toBe(first);
    expect(names(WebAssembly.Module.exports(again))).toEqual(
      names(WebAssembly.Module.exports(first)),
    );
  });

  it('refuses bytes binaryen cannot read with TRANSFORM_FAILED, naming the way out', () => {
    const bytes = readFileSync(fixture('malformed'));
    let thrown: unknown;
    try {
      asyncifyModule(bytes, 'malformed.wasm');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WasmLoadError);
    expect(thrown).toMatchObject({ code: 'TRANSFORM_FAILED', module: 'malformed.wasm' });
    expect((thrown as Error).message).toMatch(/isolation: 'worker'/);
  });
});
