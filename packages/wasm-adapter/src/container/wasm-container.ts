// Owns wasmContainer: the synchronous factory that loads and validates a module at composition and returns its container spec.
import type { ContainerSpec, FaultDirective, RestartType } from '@ocre-ts/actors';
import { asyncifyModule } from '../module/asyncify.ts';
import { WasmLoadError } from '../errors.ts';
import { loadWasmModule } from '../module/module-loader.ts';
import { PooledRuntime } from '../pool/pooled-runtime.ts';
import { defaultWasmPool } from '../pool/wasm-pool.ts';
import type { WasmPool } from '../pool/wasm-pool.ts';
import { WasmRuntime } from '../dedicated/wasm-runtime.ts';
import { defaultIsolation } from '../defaults.ts';
import type { DeviceDeclarations } from '../channel/worker-protocol.ts';

/** Where a container's instances run: many per shared pool worker, or one worker of its own. */
export type WasmIsolation = 'pooled' | 'worker';

/** Options of {@link wasmContainer}. */
export interface WasmContainerOptions {
  /** Unique name in the system; argv[0] of the guest. */
  readonly name: string;
  /** The module: a `.wasm` file path, or its bytes. */
  readonly wasm: string | Uint8Array;
  /** Most linear memory the guest may have, in 64 KiB pages, including the host's message region. Default 256 (16 MiB). */
  readonly memoryMaxPages?: number;
  /** A handler (or, pooled, a turn of main) that has not returned after this long makes the container unresponsive (its worker is terminated). Default 5000 ms. */
  readonly handlerTimeoutMs?: number;
  /** main must reach its first `ocre_sleep` (or return) within this long. Default 5000 ms. */
  readonly startTimeoutMs?: number;
  /** Restart type. Default `permanent`. */
  readonly restart?: RestartType;
  /** Fault directive. Default `restart`. `resume` after a trap restarts anyway: a trapped instance is never re-entered. */
  readonly onFault?: FaultDirective;
  /** Mailbox capacity. Default the system's. */
  readonly mailboxCapacity?: number;
  /** How long a graceful stop may take. Default 5000 ms. */
  readonly shutdownTimeoutMs?: number;
  /** Arguments after argv[0]. */
  readonly args?: readonly string[];
  /** The environment the guest sees. Default empty. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * `pooled` (default): the instance shares a pool worker with others, suspended at each
   * `ocre_sleep` (the module is asyncified once at load). `worker`: a worker thread of its own.
   */
  readonly isolation?: WasmIsolation;
  /** The pool a `pooled` container runs in. Default the process-wide {@link defaultWasmPool}. */
  readonly pool?: WasmPool;
  /**
   * Ocre's current API: the simulated sensors (`ocre_sensors_*`) and GPIO pin names
   * (`ocre_gpio_*_by_name`) the container sees. Default none: no sensors, unnamed pins.
   */
  readonly devices?: DeviceDeclarations;
}

/**
 * Describe a container compiled to WebAssembly (wasm32-wasi, against `messaging.h`). The module
 * is read, validated and compiled now, synchronously, so a missing file, malformed bytes or an
 * unknown import fail the composition instead of restart-looping.
 *
 * @param options - the module, its name, memory cap, timeouts and supervision options
 * @throws WasmLoadError when the module cannot become a container (see its `code`)
 * @example
 * const system = createOcreSystem({
 *   containers: [
 *     wasmContainer({ name: 'publisher', wasm: 'build/publisher.wasm' }),
 *     wasmContainer({ name: 'subscriber', wasm: 'build/subscriber.wasm', handlerTimeoutMs: 500 }),
 *   ],
 * });
 * await system.start();
 */
export function wasmContainer(options: WasmContainerOptions): ContainerSpec {
  const loaded = loadWasmModule(options.wasm, {
    label: typeof options.wasm === 'string' ? options.wasm : `<module of "${options.name}">`,
    ...(options.memoryMaxPages === undefined ? {} : { memoryMaxPages: options.memoryMaxPages }),
  });
  const runtimeOptions = {
    ...(options.args === undefined ? {} : { args: options.args }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.devices === undefined ? {} : { devices: options.devices }),
  };
  const isolation = options.isolation ?? defaultIsolation;
  if (isolation !== 'pooled' && isolation !== 'worker') {
    throw new WasmLoadError(
      'INVALID_OPTION',
      loaded.label,
      `container "${options.name}": isolation must be 'pooled' or 'worker', got ${JSON.stringify(isolation)}`,
    );
  }
  let runtime: () => WasmRuntime | PooledRuntime;
  if (isolation === 'worker') {
    runtime = () => new WasmRuntime(loaded, runtimeOptions);
  } else {
    const module = asyncifyModule(loaded.bytes, loaded.label);
    const key = `${loaded.sha256}/${loaded.memoryMaxPages}`;
    const pool = options.pool ?? defaultWasmPool();
    const pooledOptions = {
      ...runtimeOptions,
      ...(options.handlerTimeoutMs === undefined
        ? {}
        : { handlerTimeoutMs: options.handlerTimeoutMs }),
      ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    };
    runtime = () => new PooledRuntime(loaded, module, key, pool, pooledOptions);
  }
  return {
    kind: 'container',
    name: options.name,
    publishesFromWorker: true,
    runtime,
    ...(options.restart === undefined ? {} : { restart: options.restart }),
    ...(options.onFault === undefined ? {} : { onFault: options.onFault }),
    ...(options.mailboxCapacity === undefined ? {} : { mailboxCapacity: options.mailboxCapacity }),
    ...(options.handlerTimeoutMs === undefined
      ? {}
      : { handlerTimeoutMs: options.handlerTimeoutMs }),
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    ...(options.shutdownTimeoutMs === undefined
      ? {}
      : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  };
}
