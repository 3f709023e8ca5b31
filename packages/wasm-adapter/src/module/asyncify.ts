// Owns making a module suspendable at ocre_sleep: binaryen's asyncify pass, run once per module in a short-lived thread, cached in memory and on disk by the module's hash.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SIGNAL_DONE, createSignal, waitSignal } from './asyncify-signal.ts';
import type { AsyncifyJob } from './asyncify-signal.ts';
import { WasmLoadError } from '../errors.ts';
import { workerScriptUrl } from '../channel/worker-script.ts';
import { asyncifyTimeoutMs } from '../defaults.ts';

/** Bump when the pass options change, so stale cache files are not reused. */
const transformVersion = 'binaryen-132-asyncify-sleep-o2-v1';
/** A transform that takes longer than this is a failure (binaryen loads in ~1 s, transforms in ~1 s). */

/** The exports asyncify adds, which drive suspension. */
export interface AsyncifyExports {
  readonly asyncify_start_unwind: (dataAddress: number) => void;
  readonly asyncify_stop_unwind: () => void;
  readonly asyncify_start_rewind: (dataAddress: number) => void;
  readonly asyncify_stop_rewind: () => void;
  readonly asyncify_get_state: () => number;
}

/** asyncify_get_state values. */
export const ASYNCIFY_NORMAL = 0;
/** The stack is unwinding to the export's caller. */
export const ASYNCIFY_UNWINDING = 1;
/** The stack is being rebuilt by calling the export again. */
export const ASYNCIFY_REWINDING = 2;

const modules = new Map<string, WebAssembly.Module>();

function cacheDirectory(): string {
  let user = 'user';
  try {
    user = String(userInfo().uid);
  } catch {
    // No passwd entry: share the default name.
  }
  return join(tmpdir(), `ocre-ts-asyncify-${user}`);
}

/**
 * The asyncified form of a container module (its memory cap already applied): every function
 * that can reach `env.ocre_sleep` can unwind to its export and be rewound later. Transformed
 * once per distinct module per process (and kept on disk across processes), compiled once;
 * the returned `WebAssembly.Module` is shared by every instance and posted to every worker.
 * Blocks the calling thread while binaryen runs in its own thread (~1–2 s, once).
 *
 * @param bytes - the module's bytes, memory cap applied
 * @param label - how to name the module in errors
 * @throws WasmLoadError `TRANSFORM_FAILED` when binaryen cannot transform it
 */
export function asyncifyModule(bytes: Uint8Array, label: string): WebAssembly.Module {
  const key = createHash('sha256').update(transformVersion).update(bytes).digest('hex');
  const known = modules.get(key);
  if (known !== undefined) return known;
  const directory = cacheDirectory();
  const outFile = join(directory, `${key}.wasm`);
  let transformed = readCached(outFile);
  if (transformed === undefined) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    transformed = runTransform(bytes, outFile, label);
  }
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(new Uint8Array(transformed));
  } catch (error) {
    throw new WasmLoadError(
      'TRANSFORM_FAILED',
      label,
      `${label}: the asyncify transform produced an invalid module (${String(error)}); run it with isolation: 'worker', and delete ${outFile} if the cache is damaged`,
      error,
    );
  }
  modules.set(key, module);
  return module;
}

/** Forget the in-memory transforms (tests). The disk cache stays. */
export function clearAsyncifyCache(): void {
  modules.clear();
}

function readCached(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function runTransform(bytes: Uint8Array, outFile: string, label: string): Uint8Array {
  const signal = createSignal();
  const job: AsyncifyJob = { bytes, outFile, signal };
  const worker = new Worker(workerScriptUrl('module/asyncify-worker'), {
    name: 'ocre:asyncify',
    workerData: job,
  });
  worker.unref();
  const failed = (reason: string, cause?: unknown): WasmLoadError =>
    new WasmLoadError(
      'TRANSFORM_FAILED',
      label,
      `${label}: cannot make the module suspendable for a pooled worker (binaryen asyncify: ${reason}); run it with isolation: 'worker' instead`,
      cause,
    );
  const outcome = waitSignal(signal, asyncifyTimeoutMs);
  void worker.terminate();
  if (outcome.state !== SIGNAL_DONE) {
    throw failed(outcome.state === 0 ? `no answer within ${asyncifyTimeoutMs} ms` : outcome.text);
  }
  const result = readCached(outFile);
  if (result === undefined) throw failed(`the result ${outFile} cannot be read`);
  return result;
}
