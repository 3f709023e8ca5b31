// Owns loading a container module: reading, validating against the host ABI, capping its memory, compiling, and the content-hash module cache.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { recogniseApi } from './api-profile.ts';
import type { ApiProfile } from './api-profile.ts';
import { WasmLoadError } from '../errors.ts';
import {
  handlerExportNames,
  ocreImportModule,
  wasiImportModule,
  wasiPreview1Functions,
} from './host-imports.ts';
import { capMemoryPages, readModuleLayout } from './module-binary.ts';
import type { ModuleImport, ModuleLayout } from './module-binary.ts';
import { defaultMemoryMaxPages, maxMemoryPages } from '../defaults.ts';

/** A validated, compiled container module, ready to be posted to workers. */
export interface LoadedWasmModule {
  /** The compiled module, memory maximum already capped; shared by every instance and worker. */
  readonly module: WebAssembly.Module;
  /** The module's bytes with the memory cap written in (what `module` was compiled from). */
  readonly bytes: Uint8Array;
  /** sha256 of the module's bytes as given (hex). */
  readonly sha256: string;
  /** The module as the user named it, for messages. */
  readonly label: string;
  /** The memory cap compiled in, in 64 KiB pages. */
  readonly memoryMaxPages: number;
  /** Exported functions usable as handlers, in export order. */
  readonly handlers: readonly string[];
  /** True when the module exports `malloc` and `free`: messages are allocated with them. */
  readonly exportsAllocator: boolean;
  /** The Ocre API the module is written against, recognised from its imports. */
  readonly api: ApiProfile;
}

/** Options of {@link loadWasmModule}. */
export interface LoadWasmModuleOptions {
  /** Memory cap in 64 KiB pages; default {@link defaultMemoryMaxPages}. */
  readonly memoryMaxPages?: number;
  /** How to name the module in messages; default the path, or `<N bytes>`. */
  readonly label?: string;
}

type CachedModule = Omit<LoadedWasmModule, 'label'>;
const cache = new Map<string, CachedModule>();

/**
 * Read (when given a path), validate and compile a container module, synchronously. Modules
 * are cached by the sha256 of their bytes and the memory cap, so restarts, workers and
 * repeated compositions share one compiled `WebAssembly.Module`.
 *
 * @param source - a `.wasm` file path, or the module's bytes
 * @param options - memory cap and label
 * @throws WasmLoadError with a code saying what is wrong: `FILE_NOT_FOUND`, `FILE_UNREADABLE`,
 *   `MALFORMED_MODULE`, `UNKNOWN_IMPORT`, `IMPORT_SIGNATURE_MISMATCH`, `MIXED_API`,
 *   `NO_MEMORY_EXPORT`, `NO_START_EXPORT`, `UNSUPPORTED_MEMORY`,
 *   `MEMORY_LIMIT` or `INVALID_OPTION`
 * @example
 * const loaded = loadWasmModule('build/app.wasm', { memoryMaxPages: 64 });
 * loaded.handlers; // ['temperature_handler']
 */
export function loadWasmModule(
  source: string | Uint8Array,
  options: LoadWasmModuleOptions = {},
): LoadedWasmModule {
  const label = options.label ?? (typeof source === 'string' ? source : `<${source.length} bytes>`);
  const memoryMaxPages = options.memoryMaxPages ?? defaultMemoryMaxPages;
  if (!Number.isInteger(memoryMaxPages) || memoryMaxPages < 1 || memoryMaxPages > maxMemoryPages) {
    throw new WasmLoadError(
      'INVALID_OPTION',
      label,
      `${label}: memoryMaxPages must be an integer from 1 to ${maxMemoryPages} (64 KiB pages), got ${String(memoryMaxPages)}`,
    );
  }
  const bytes = typeof source === 'string' ? readModuleFile(source) : source;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const key = `${sha256}/${memoryMaxPages}`;
  let cached = cache.get(key);
  if (cached === undefined) {
    cached = { ...compileContainer(bytes, label, memoryMaxPages), sha256, memoryMaxPages };
    cache.set(key, cached);
  }
  return { ...cached, label };
}

/** Forget every cached module (tests; a long-lived host that reloads many versions). */
export function clearModuleCache(): void {
  cache.clear();
}

function readModuleFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') {
      throw new WasmLoadError(
        'FILE_NOT_FOUND',
        path,
        `${path}: no such file (resolved to ${resolve(path)}); build the container first, e.g. with buildContainer(), or fix the path`,
        error,
      );
    }
    throw new WasmLoadError(
      'FILE_UNREADABLE',
      path,
      `${path}: cannot read the module: ${(error as Error).message}`,
      error,
    );
  }
}

function compileContainer(
  bytes: Uint8Array,
  label: string,
  memoryMaxPages: number,
): Omit<CachedModule, 'sha256' | 'memoryMaxPages'> {
  let layout: ModuleLayout;
  try {
    layout = readModuleLayout(bytes);
  } catch (error) {
    // The engine's own diagnosis is the most precise: compile throws it; ours is the fallback.
    compile(bytes, label);
    throw malformed(label, error);
  }
  for (const entry of layout.imports) checkImport(entry, label);
  const api = recogniseApi(layout.imports, label);
  const memory = layout.memories[0];
  if (memory === undefined) {
    throw new WasmLoadError(
      'NO_MEMORY_EXPORT',
      label,
      `${label}: the module defines no memory; an Ocre container must define and export "memory" (clang --target=wasm32-wasi does this)`,
    );
  }
  if (layout.memories.length > 1 || memory.shared || memory.memory64) {
    throw new WasmLoadError(
      'UNSUPPORTED_MEMORY',
      label,
      `${label}: only one unshared 32-bit memory is supported; build for wasm32-wasi without threads or multi-memory`,
    );
  }
  if (memory.minPages > memoryMaxPages) {
    throw new WasmLoadError(
      'MEMORY_LIMIT',
      label,
      `${label}: the module's memory starts at ${memory.minPages} pages (${memory.minPages * 64} KiB), above memoryMaxPages ${memoryMaxPages}; raise memoryMaxPages or shrink the module's data and stack`,
    );
  }
  const capped = capMemoryPages(bytes, memoryMaxPages);
  const module = compile(capped, label);
  const exports = WebAssembly.Module.exports(module);
  const kindOf = (name: string) => exports.find((entry) => entry.name === name)?.kind;
  if (kindOf('memory') !== 'memory') {
    throw new WasmLoadError(
      'NO_MEMORY_EXPORT',
      label,
      `${label}: the module does not export its memory as "memory"; the host needs it to pass messages (link with wasm-ld's default exports)`,
    );
  }
  if (kindOf('_start') !== 'function') {
    throw new WasmLoadError(
      'NO_START_EXPORT',
      label,
      `${label}: the module exports no "_start" function, so it is not a WASI command; give it a main() and build it with clang --target=wasm32-wasi (not -mexec-model=reactor)`,
    );
  }
  return {
    module,
    bytes: capped,
    handlers: handlerExportNames(module),
    exportsAllocator: kindOf('malloc') === 'function' && kindOf('free') === 'function',
    api: api.profile,
  };
}

function compile(bytes: Uint8Array, label: string): WebAssembly.Module {
  try {
    return new WebAssembly.Module(new Uint8Array(bytes));
  } catch (error) {
    throw malformed(label, error);
  }
}

function malformed(label: string, error: unknown): WasmLoadError {
  const reason = error instanceof Error ? error.message : String(error);
  return new WasmLoadError(
    'MALFORMED_MODULE',
    label,
    `${label}: not a valid WebAssembly module (${reason}); rebuild it with buildContainer() and check the path points at the .wasm output`,
    error,
  );
}

/** Checks a non-`env` import; `env` imports are judged by `recogniseApi`. */
function checkImport(entry: ModuleImport, label: string): void {
  const { module, name, kind } = entry;
  if (module === ocreImportModule) return;
  if (module !== wasiImportModule || !wasiPreview1Functions.has(name) || kind !== 'function') {
    const what = kind === 'function' ? '' : ` (a ${kind})`;
    throw new WasmLoadError(
      'UNKNOWN_IMPORT',
      label,
      `${label}: imports ${module}.${name}${what}, which the Ocre host does not provide. A container may import the Ocre API (module env, declared by messaging.h or ocre_api.h) and the WASI preview1 functions (wasi_snapshot_preview1.*). Check the name, or include an Ocre SDK header instead of declaring imports by hand.`,
    );
  }
}
