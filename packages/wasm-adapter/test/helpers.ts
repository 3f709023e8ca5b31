// Owns what the WASM tests share: fixture paths, a system that records everything it emits, waiting for a condition, and runtime wrappers.
import { fileURLToPath } from 'node:url';
import { realClock } from '@ocre-ts/actors';
import { createTestSystem } from '@ocre-ts/actors/testing';
import type {
  ContainerRuntime,
  ContainerSpec,
  DeadLetter,
  OcreSystem,
  OcreSystemOptions,
  SystemEvent,
} from '@ocre-ts/actors';
import type { PooledRuntime } from '../src/pool/pooled-runtime.ts';
import type { WasmIsolation } from '../src/container/wasm-container.ts';
import type { WasmRuntime } from '../src/dedicated/wasm-runtime.ts';

/** Both isolation modes, for tests that must hold in each. */
export const isolations: readonly WasmIsolation[] = ['worker', 'pooled'];

/** Either runtime a `wasmContainer` makes. */
export type AnyWasmRuntime = WasmRuntime | PooledRuntime;

/**
 * How many fresh threads the runtime has needed beyond its first: with `worker` isolation,
 * workers spawned minus one; pooled, 1 once the container was moved to a worker of its own.
 */
export function extraWorkers(runtime: AnyWasmRuntime): number {
  return 'workersStarted' in runtime ? runtime.workersStarted - 1 : runtime.quarantined ? 1 : 0;
}

/** The directory of the committed test modules (with a trailing slash). */
export const wasmDir = fileURLToPath(new URL('./wasm/', import.meta.url));

/** Path of the committed module `test/wasm/<name>.wasm`. */
export function fixture(name: string): string {
  return `${wasmDir}${name}.wasm`;
}

/** A supervisor that restarts at once and gives up after 3 restarts in 10 s. */
export const quickSupervisor = {
  maxRestarts: 3,
  withinMs: 10_000,
  backoff: { minMs: 1, maxMs: 5, jitter: 0 },
} as const;

/** A line a container printed. */
export interface PrintedLine {
  readonly container: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

/** A system plus everything it has emitted so far. */
export interface RecordedSystem {
  readonly system: OcreSystem;
  readonly printed: PrintedLine[];
  readonly events: SystemEvent[];
  readonly deadLetters: DeadLetter[];
  readonly warnings: string[];
  /** The lines `container` printed on `stream`. */
  lines(container: string, stream?: 'stdout' | 'stderr'): string[];
  /** The events of one type. */
  eventsOf<TType extends SystemEvent['type']>(type: TType): Extract<SystemEvent, { type: TType }>[];
}

/**
 * Create a system on real time whose output, events, dead letters and warnings are recorded:
 * createTestSystem on the real clock, without history hooks (the path production takes).
 */
export function recordSystem(
  options: Omit<OcreSystemOptions, 'onOutput' | 'onWarning'>,
): RecordedSystem {
  const printed: PrintedLine[] = [];
  const t = createTestSystem({
    clock: realClock,
    record: false,
    ...options,
    onOutput: (container, stream, line) => printed.push({ container, stream, line }),
  });
  return {
    system: t.system,
    printed,
    events: t.events,
    deadLetters: t.deadLetters,
    warnings: t.warnings,
    lines: (container, stream = 'stdout') =>
      printed
        .filter((entry) => entry.container === container && entry.stream === stream)
        .map((entry) => entry.line),
    eventsOf: (type) => t.eventsOf(type),
  };
}

/** The spec, plus access to the runtime the system makes from it. */
export function exposeRuntime(spec: ContainerSpec): {
  spec: ContainerSpec;
  runtime: () => AnyWasmRuntime;
} {
  let made: AnyWasmRuntime | undefined;
  return {
    spec: { ...spec, runtime: () => (made = spec.runtime() as AnyWasmRuntime) },
    runtime: () => {
      if (made === undefined) throw new Error(`container "${spec.name}" has no runtime yet`);
      return made;
    },
  };
}

/** The spec with every start held back until `gate` resolves (to order starts in a test). */
export function startAfter(spec: ContainerSpec, gate: Promise<unknown>): ContainerSpec {
  return {
    ...spec,
    runtime: (): ContainerRuntime => {
      const inner = spec.runtime();
      return {
        start: async (host) => {
          await gate;
          return inner.start(host);
        },
        deliver: (message, handler) => inner.deliver(message, handler),
        hasHandler: (handler) => inner.hasHandler(handler),
        stop: () => inner.stop(),
        kill: () => inner.kill(),
      };
    },
  };
}

/** vi.waitFor options for real-time waits (workers are real): poll every 5 ms, give up after 5000 ms. */
export const realTime = { timeout: 5000, interval: 5 } as const;
