// Owns making WebAssembly container specs from system-file entries, through @ocre-ts/wasm-adapter's wasmContainer, and the pool the pooled ones share.
import type { ContainerSpec } from '@ocre-ts/actors';
import { WasmPool, defaultWasmPool, wasmContainer } from '@ocre-ts/wasm-adapter';
import type { DeviceDeclarations } from '@ocre-ts/wasm-adapter';
import { withoutUndefined } from './defined.ts';
import type { WasmEntry } from './system-file/schema.ts';

let pool: WasmPool | undefined;
let pooledContainers = 0;

/** What the system file says about every WebAssembly container: the pool's size, the simulated devices. */
export interface WasmContext {
  readonly poolSize?: number;
  /** `sensors:` and `gpio:`, which Ocre's current-API containers see. */
  readonly devices?: DeviceDeclarations;
}

/**
 * The spec of a WebAssembly container: compiles (or takes from the cache) and validates its
 * module now, so a bad module is reported before anything starts.
 *
 * @param entry - the entry, its `wasm` path already absolute
 * @param wasm - the system file's `wasmPool.size` and devices, if it gives them
 * @throws WasmLoadError (`MALFORMED_MODULE`, `UNKNOWN_IMPORT`, `NO_MEMORY_EXPORT`, `FILE_NOT_FOUND`)
 */
export function wasmContainerSpec(entry: WasmEntry, wasm: WasmContext = {}): ContainerSpec {
  const { poolSize, devices } = wasm;
  pool ??= poolSize === undefined ? defaultWasmPool() : new WasmPool({ size: poolSize });
  if (entry.isolation !== 'worker') pooledContainers++;
  return wasmContainer({
    ...withoutUndefined(entry),
    pool,
    ...(devices === undefined ? {} : { devices }),
  });
}

/** One line about the pool, once a pooled container was composed: its size and its load. */
export function poolSummary(): string | undefined {
  if (pool === undefined || pooledContainers === 0) return undefined;
  return `wasm pool: up to ${pool.size} worker threads for ${pooledContainers} pooled containers`;
}

/** Which worker thread each pooled container runs on now. */
export function workerPlacements(): readonly { container: string; worker: string }[] {
  return pool?.placements() ?? [];
}
