// Tests wasmContainer's composition-time loading: every way a module is refused, the memory cap, the module cache, and the spec it returns.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WasmLoadError } from '../src/errors.ts';
import { encodeU32Leb128 } from '../src/module/leb128.ts';
import { loadWasmModule } from '../src/module/module-loader.ts';
import { wasmContainer } from '../src/container/wasm-container.ts';
import { fixture, wasmDir } from './helpers.ts';

/** The error `load` throws, with the fixture directory shortened for stable snapshots. */
function refusal(load: () => unknown): { code: string; message: string } {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(WasmLoadError);
    const { code, message } = error as WasmLoadError;
    return { code, message: message.replaceAll(wasmDir, '<wasm>/') };
  }
  throw new Error('expected the module to be refused');
}

/** A minimal module: a type section, the given imports, a memory, and the given exports. */
function handMade(imports: readonly (readonly number[])[], exports: readonly string[]): Uint8Array {
  const name = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    return [...encodeU32Leb128(bytes.length), ...bytes];
  };
  const section = (id: number, entries: readonly (readonly number[])[]) => {
    const content = [...encodeU32Leb128(entries.length), ...entries.flat()];
    return [id, ...encodeU32Leb128(content.length), ...content];
  };
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [[0x60, 0, 0]]),
    ...section(2, imports),
    ...section(5, [[0, 1]]),
    ...section(
      7,
      exports.map((entry) => [...name(entry), 2, 0]),
    ),
  ]);
}
const functionImport = (module: string, field: string) => {
  const name = (text: string) => [text.length, ...new TextEncoder().encode(text)];
  return [...name(module), ...name(field), 0, 0];
};

describe('wasmContainer refuses a module at composition', () => {
  it('malformed bytes', () => {
    expect(refusal(() => wasmContainer({ name: 'bad', wasm: fixture('malformed') })))
      .toMatchInlineSnapshot(`
        {
          "code": "MALFORMED_MODULE",
          "message": "<wasm>/malformed.wasm: not a valid WebAssembly module (WebAssembly.Module(): section (code 1, "Type") extends past end of the module (length 127, remaining bytes 39) @+8); rebuild it with buildContainer() and check the path points at the .wasm output",
        }
      `);
  });

  it('an import the host does not provide, listing the ones it does', () => {
    expect(refusal(() => wasmContainer({ name: 'odd', wasm: fixture('unknown-import') })))
      .toMatchInlineSnapshot(`
        {
          "code": "UNKNOWN_IMPORT",
          "message": "<wasm>/unknown-import.wasm: imports env.ocre_frobnicate, which the Ocre host does not provide. A container may import env.ocre_msg_system_init () -> (), env.ocre_publish_message (i32, i32, i32, i32) -> i32, env.ocre_subscribe_message (i32, i32) -> i32, env.ocre_sleep (i32) -> i32 (the 2025 API, messaging.h); or the 38 imports of Ocre's current API (ocre_api.h: env.ocre_get_event, env.ocre_timer_*, env.ocre_sensors_*, env.ocre_gpio_*, env.uname…); and the WASI preview1 functions (wasi_snapshot_preview1.*). Check the name, or include messaging.h or ocre_api.h from the Ocre SDK instead of declaring imports by hand.",
        }
      `);
  });

  it('an Ocre import with the wrong signature', () => {
    const bytes = handMade([functionImport('env', 'ocre_sleep')], ['memory', '_start']);
    expect(refusal(() => wasmContainer({ name: 'sig', wasm: bytes }))).toMatchInlineSnapshot(`
      {
        "code": "IMPORT_SIGNATURE_MISMATCH",
        "message": "<module of "sig">: imports env.ocre_sleep as () -> (), but the host provides (i32) -> i32 (messaging.h and ocre_api.h); declare it as in the header",
      }
    `);
  });

  it('a module that is not a WASI command, or hides its memory', () => {
    expect(refusal(() => wasmContainer({ name: 'r', wasm: handMade([], ['memory']) })).code).toBe(
      'NO_START_EXPORT',
    );
    expect(refusal(() => wasmContainer({ name: 'm', wasm: handMade([], []) })).code).toBe(
      'NO_MEMORY_EXPORT',
    );
  });

  it('a missing file, a bad cap, a memory that starts above the cap', () => {
    const missing = refusal(() => wasmContainer({ name: 'x', wasm: fixture('no-such-module') }));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).toMatch(/^<wasm>\/no-such-module\.wasm: no such file/);
    expect(
      refusal(() =>
        wasmContainer({ name: 'x', wasm: fixture('seed-subscriber'), memoryMaxPages: 0 }),
      ).code,
    ).toBe('INVALID_OPTION');
    expect(
      refusal(() =>
        wasmContainer({ name: 'x', wasm: fixture('seed-subscriber'), memoryMaxPages: 1 }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "code": "MEMORY_LIMIT",
        "message": "<wasm>/seed-subscriber.wasm: the module's memory starts at 2 pages (128 KiB), above memoryMaxPages 1; raise memoryMaxPages or shrink the module's data and stack",
      }
    `);
  });
});

describe('wasmContainer', () => {
  it('returns a container spec that publishes from a worker', () => {
    const spec = wasmContainer({
      name: 'subscriber',
      wasm: fixture('seed-subscriber'),
      handlerTimeoutMs: 300,
    });
    expect(spec).toMatchObject({
      kind: 'container',
      name: 'subscriber',
      publishesFromWorker: true,
      handlerTimeoutMs: 300,
    });
    const runtime = spec.runtime();
    expect(runtime.hasHandler('temperature_handler')).toBe(true);
    expect(runtime.hasHandler('_start')).toBe(false);
    expect(runtime.hasHandler('memory')).toBe(false);
    expect(runtime.hasHandler('no_such_handler')).toBe(false);
  });

  it('shares one compiled module per content and cap, however it was given', () => {
    const bytes = readFileSync(fixture('seed-publisher'));
    const fromPath = loadWasmModule(fixture('seed-publisher'));
    const fromBytes = loadWasmModule(new Uint8Array(bytes));
    expect(fromBytes.module).toBe(fromPath.module);
    expect(fromPath.memoryMaxPages).toBe(256);
    expect(loadWasmModule(bytes, { memoryMaxPages: 32 }).module).not.toBe(fromPath.module);
    expect(fromPath.exportsAllocator).toBe(false);
    expect(loadWasmModule(fixture('allocator-subscriber')).exportsAllocator).toBe(true);
  });
});
