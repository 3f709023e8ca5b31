// Owns the suite's access to WebAssembly containers: whether the runtime exists yet, and where the bench modules are.
import type { ContainerSpec } from '@ocre-ts/actors';
import { fileURLToPath } from 'node:url';

/** The part of @ocre-ts/wasm-adapter the suite uses. */
export interface WasmRuntime {
  /** A supervised container running the module at `wasm` (a file path) in its own worker. */
  wasmContainer(options: {
    readonly name: string;
    readonly wasm: string;
    readonly startTimeoutMs?: number;
  }): ContainerSpec;
}

/**
 * The WASM runtime, or undefined while @ocre-ts/wasm-adapter does not export `wasmContainer`
 * yet: scenarios then report "pending" and never a number.
 */
export async function loadWasmRuntime(): Promise<WasmRuntime | undefined> {
  const adapter = (await import('@ocre-ts/wasm-adapter')) as unknown as Record<string, unknown>;
  const factory = adapter['wasmContainer'];
  return typeof factory === 'function'
    ? { wasmContainer: factory as WasmRuntime['wasmContainer'] }
    : undefined;
}

/** Path of a committed bench module, `bench/wasm/<name>.wasm` (built by bench/build-wasm.ts). */
export function wasmModule(name: string): string {
  return fileURLToPath(new URL(`wasm/${name}.wasm`, import.meta.url));
}

/** Why a WASM part is missing. */
export const wasmPending = 'pending: WASM runtime not available';
