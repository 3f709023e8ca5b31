// Owns instantiating a guest: a fresh node:wasi (no preopens, captured stdout/stderr, proc_exit that unwinds) plus the env.ocre_* imports, linked to the shared module.
import { createRequire } from 'node:module';
import type { WASI } from 'node:wasi';
import { GuestMemory } from './guest-memory.ts';
import { createOcreImports } from './ocre-imports.ts';
import { captureFdWrite } from './wasi-output.ts';
import type { FdWrite, LineSink } from './wasi-output.ts';
import type { WorkerMessagingPort } from './worker-port.ts';
import type { StartCommand, WorkerReport } from '../channel/worker-protocol.ts';

// Loaded on first use, after the worker has installed its warning filter: node:wasi emits its
// ExperimentalWarning when it is loaded, and a static import is evaluated before any code.
const require = createRequire(import.meta.url);
let wasiClass: typeof WASI | undefined;
function loadWasi(): typeof WASI {
  wasiClass ??= (require('node:wasi') as { WASI: typeof WASI }).WASI;
  return wasiClass;
}

/** A function of node:wasi's import object. */
type WasiFunction = (...args: number[]) => number;

/** The WASI functions each module imports, read once per module per thread. */
const wasiNamesByModule = new WeakMap<WebAssembly.Module, readonly string[]>();

function importedWasiNames(module: WebAssembly.Module): readonly string[] {
  let names = wasiNamesByModule.get(module);
  if (names === undefined) {
    names = WebAssembly.Module.imports(module)
      .filter((entry) => entry.module === 'wasi_snapshot_preview1' && entry.kind === 'function')
      .map((entry) => entry.name);
    wasiNamesByModule.set(module, names);
  }
  return names;
}

/**
 * The node:wasi functions `module` imports, wrapped in plain JavaScript closures. node:wasi's own
 * are bound C++ methods, and V8 links those to an instance several times more slowly than
 * closures: on Node 20, a `WebAssembly.Instance` of the seed subscriber took ~0.9 ms with them and
 * ~0.15 ms with these, most of a pooled start's time in its worker. Only the imported ones are
 * wrapped (a handful of the ~46): fewer closures per instance. The rest parameters keep the
 * argument count, which node:wasi checks. A name node:wasi lacks stays missing: a LinkError.
 */
function jsImports(
  module: WebAssembly.Module,
  native: Readonly<Record<string, WasiFunction | undefined>>,
): Record<string, WasiFunction> {
  const wrapped: Record<string, WasiFunction> = {};
  for (const name of importedWasiNames(module)) {
    const call = native[name];
    if (call !== undefined) wrapped[name] = (...args) => call(...args);
  }
  return wrapped;
}

/** Thrown by the guest's proc_exit: carries the status out through the guest's frames. */
export class ProcExit extends Error {
  /** @param code - the status the guest passed, as a signed i32 */
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}

/** What instantiating needs from a start command (the generation names the instance in reports). */
export type GuestCommand = Pick<
  StartCommand,
  'generation' | 'module' | 'name' | 'args' | 'env' | 'limits' | 'handlers'
>;

/** What an instance is linked to. */
export interface GuestLinks {
  readonly port: WorkerMessagingPort;
  readonly post: (report: WorkerReport) => void;
  readonly stdout: LineSink;
  readonly stderr: LineSink;
  /** ocre_sleep's behaviour. */
  readonly sleep: (milliseconds: number) => number;
  /**
   * The `env` imports of a module written against Ocre's current API, made from the guest's
   * memory and exports (both usable once instantiated); without it the 2025 API's imports are linked.
   */
  readonly currentEnv?: (
    guest: LinkedGuest,
  ) => Readonly<Record<string, (...args: number[]) => number>>;
}

/** A guest's memory and exports, for imports made before it is instantiated. */
export interface LinkedGuest {
  readonly memory: () => GuestMemory;
  readonly exports: () => WebAssembly.Exports;
}

/** A linked instance, its WASI and its memory. */
export interface Guest {
  readonly instance: WebAssembly.Instance;
  readonly wasi: WASI;
  readonly memory: GuestMemory;
}

/**
 * Instantiate `command.module`: WASI preview1 with argv `[name, ...args]`, the given environment,
 * no preopened directories, fds 1 and 2 captured line by line, and `proc_exit` throwing
 * {@link ProcExit} (so an exit anywhere unwinds to the worker, which decides what it means).
 *
 * @throws WebAssembly.LinkError when the module needs something else (loading checks make this rare)
 */
export function instantiateGuest(command: GuestCommand, links: GuestLinks): Guest {
  const WasiClass = loadWasi();
  const wasi = new WasiClass({
    version: 'preview1',
    args: [command.name, ...command.args],
    env: command.env,
    returnOnExit: true,
  });
  const wasiImports = jsImports(
    command.module,
    (wasi.getImportObject() as { wasi_snapshot_preview1: Record<string, WasiFunction | undefined> })
      .wasi_snapshot_preview1,
  );
  // Set once the instance exists; no import can run before that.
  const linked: { memory?: GuestMemory; exports?: WebAssembly.Exports } = {};
  const guestMemory = (): GuestMemory => {
    if (linked.memory === undefined) throw new Error('the guest called the host before linking');
    return linked.memory;
  };
  const exports = (): WebAssembly.Exports => {
    if (linked.exports === undefined) throw new Error('the guest called the host before linking');
    return linked.exports;
  };
  const env =
    links.currentEnv?.({ memory: guestMemory, exports }) ??
    createOcreImports({
      name: command.name,
      generation: command.generation,
      limits: command.limits,
      port: links.port,
      handlers: command.handlers,
      memory: guestMemory,
      sleep: links.sleep,
      post: links.post,
    });
  const instance = new WebAssembly.Instance(command.module, {
    env: { ...env },
    wasi_snapshot_preview1: {
      ...wasiImports,
      fd_write: captureFdWrite(wasiImports['fd_write'] as FdWrite, () => guestMemory().memory, {
        stdout: links.stdout,
        stderr: links.stderr,
      }),
      proc_exit: (code: number) => {
        throw new ProcExit(code | 0);
      },
    },
  });
  const memory = new GuestMemory(instance.exports['memory'] as WebAssembly.Memory);
  linked.memory = memory;
  linked.exports = instance.exports;
  return { instance, wasi, memory };
}
