// Owns making WebAssembly container specs from system-file entries, through @ocre-ts/wasm-adapter's wasmContainer.
import type { ContainerSpec } from '@ocre-ts/actors';
import { wasmContainer } from '@ocre-ts/wasm-adapter';
import { withoutUndefined } from './defined.ts';
import type { WasmEntry } from './system-file/schema.ts';

/**
 * The spec of a WebAssembly container: compiles (or takes from the cache) and validates its
 * module now, so a bad module is reported before anything starts.
 *
 * @param entry - the entry, its `wasm` path already absolute
 * @throws WasmLoadError (`MALFORMED_MODULE`, `UNKNOWN_IMPORT`, `NO_MEMORY_EXPORT`, `FILE_NOT_FOUND`)
 */
export function wasmContainerSpec(entry: WasmEntry): ContainerSpec {
  return wasmContainer(withoutUndefined(entry));
}
