// Tests recognising a module's Ocre API (2025 or current) from its imports, and the loader refusing a module that mixes them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recogniseApi } from '../src/module/api-profile.ts';
import { WasmLoadError } from '../src/errors.ts';
import { readModuleLayout } from '../src/module/module-binary.ts';
import type { ModuleImport } from '../src/module/module-binary.ts';
import { clearModuleCache, loadWasmModule } from '../src/module/module-loader.ts';
import { fixture } from './helpers.ts';

const importsOf = (name: string) => readModuleLayout(readFileSync(fixture(name))).imports;
const env = (name: string, signature: string): ModuleImport => ({
  module: 'env',
  name,
  kind: 'function',
  signature,
});

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof WasmLoadError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a WasmLoadError');
}

describe('recogniseApi', () => {
  it('recognises the seed’s containers as the 2025 API', () => {
    expect(recogniseApi(importsOf('seed-subscriber'), 'sub')).toEqual({
      profile: '2025',
      evidence: [
        'env.ocre_msg_system_init () -> ()',
        'env.ocre_subscribe_message (i32, i32) -> i32',
      ],
    });
    expect(recogniseApi(importsOf('seed-publisher'), 'pub').profile).toBe('2025');
  });

  it('recognises containers built with ocre_api.h as the current API', () => {
    const subscriber = recogniseApi(importsOf('current-subscriber'), 'sub');
    expect(subscriber.profile).toBe('current');
    expect(subscriber.evidence).toContain('env.ocre_subscribe_message (i32) -> i32');
    expect(recogniseApi(importsOf('current-publisher'), 'pub').evidence).toContain(
      'env.ocre_timer_start (i32, i32, i32) -> i32',
    );
  });

  it('takes a module that uses only shared imports, or none, as the 2025 API', () => {
    const shared = [
      env('ocre_sleep', '(i32) -> i32'),
      env('ocre_publish_message', '(i32, i32, i32, i32) -> i32'),
    ];
    expect(recogniseApi(shared, 'x')).toEqual({ profile: '2025', evidence: [] });
    expect(recogniseApi([], 'x')).toEqual({ profile: '2025', evidence: [] });
  });

  it('refuses a mix, naming the imports of each API', () => {
    const mixed = [
      env('ocre_sleep', '(i32) -> i32'),
      env('ocre_subscribe_message', '(i32, i32) -> i32'),
      env('ocre_timer_create', '(i32) -> i32'),
    ];
    expect(refusal(() => recogniseApi(mixed, 'app.wasm'))).toMatchInlineSnapshot(`
      {
        "code": "MIXED_API",
        "message": "app.wasm: mixes the two Ocre APIs: it imports env.ocre_subscribe_message (i32, i32) -> i32 from the 2025 API (messaging.h) and env.ocre_timer_create (i32) -> i32 from Ocre's current API (ocre_api.h). Build each container against one header: messaging.h or ocre_api.h.",
      }
    `);
  });

  it('refuses a known name whose signature neither API has, naming both', () => {
    const wrong = [env('ocre_subscribe_message', '(i32, i32, i32) -> i32')];
    expect(refusal(() => recogniseApi(wrong, 'app.wasm'))).toMatchInlineSnapshot(`
      {
        "code": "IMPORT_SIGNATURE_MISMATCH",
        "message": "app.wasm: imports env.ocre_subscribe_message as (i32, i32, i32) -> i32, but the host provides (i32, i32) -> i32 (messaging.h) or (i32) -> i32 (ocre_api.h); declare it as in the header",
      }
    `);
  });

  it('refuses a name neither API has', () => {
    const error = refusal(() => recogniseApi([env('ocre_frobnicate', '() -> ()')], 'a'));
    expect(error.code).toBe('UNKNOWN_IMPORT');
    expect(error.message).toContain('env.ocre_get_event');
  });
});

describe('loadWasmModule and the API profiles', () => {
  it('reports the API of a 2025 module', () => {
    clearModuleCache();
    expect(loadWasmModule(fixture('seed-subscriber')).api).toBe('2025');
  });

  it('refuses a real module that mixes the APIs', () => {
    const error = refusal(() => loadWasmModule(fixture('mixed-api'), { label: 'mixed-api.wasm' }));
    expect(error.code).toBe('MIXED_API');
    expect(error.message).toContain('env.ocre_msg_system_init () -> ()');
    expect(error.message).toContain('env.ocre_get_event (i32, i32, i32, i32, i32, i32) -> i32');
  });

  it('loads a current-API module and records its API', () => {
    const loaded = loadWasmModule(fixture('current-subscriber'), { label: 'sub' });
    expect(loaded.api).toBe('current');
  });
});
