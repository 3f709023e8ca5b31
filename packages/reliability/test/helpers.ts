// Owns what the reliability tests share: fixture paths, building this suite's own C fixtures, hand-assembled modules, real-time waiting, and systems whose history is recorded for checkHistory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realClock } from '@ocre-ts/actors';
import type {
  DeadLetter,
  OcreSystem,
  OcreSystemOptions,
  SystemEvent,
  SystemEventType,
  SystemStopped,
} from '@ocre-ts/actors';
import { createTestSystem } from '@ocre-ts/actors/testing';
import type { FaultInjection, FaultPlan, HistoryEntry } from '@ocre-ts/actors/testing';
import { buildContainer, wasmContainer } from '@ocre-ts/wasm-adapter';
import type { WasmContainerOptions, WasmIsolation } from '@ocre-ts/wasm-adapter';

/** Path of the wasm-adapter's committed fault fixture `test/wasm/<name>.wasm`. */
export function wasmFixture(name: string): string {
  return fileURLToPath(new URL(`../../wasm-adapter/test/wasm/${name}.wasm`, import.meta.url));
}

const builds = new Map<string, Promise<string>>();
let buildDir: string | undefined;

/** Compile this suite's own `test/c/<name>.c` (once per process) and return the module's path. */
export function buildFixture(name: string): Promise<string> {
  let build = builds.get(name);
  if (build === undefined) {
    buildDir ??= mkdtempSync(join(tmpdir(), 'ocre-reliability-'));
    const source = fileURLToPath(new URL(`./c/${name}.c`, import.meta.url));
    const outFile = join(buildDir, `${name}.wasm`);
    build = buildContainer(source, { outFile }).then(() => outFile);
    builds.set(name, build);
  }
  return build;
}

/** A supervisor that restarts at once and gives up after 3 restarts in 10 s. */
export const quickSupervisor = {
  maxRestarts: 3,
  withinMs: 10_000,
  backoff: { minMs: 1, maxMs: 5, jitter: 0 },
} as const;

/** A system on real time with everything it does recorded. */
export interface Run {
  readonly system: OcreSystem;
  readonly history: HistoryEntry[];
  readonly events: SystemEvent[];
  readonly deadLetters: DeadLetter[];
  readonly warnings: string[];
  readonly injection: FaultInjection | undefined;
  /** The lines `container` printed on `stream`. */
  lines(container: string, stream?: 'stdout' | 'stderr'): string[];
  /** The events of one type. */
  eventsOf<TType extends SystemEventType>(type: TType): Extract<SystemEvent, { type: TType }>[];
  /** Stop (draining at most `timeoutMs`); idempotent. */
  stop(timeoutMs?: number): Promise<SystemStopped>;
}

const running = new Set<Run>();

/** Stop every run a test left going (call from afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((run) => run.stop(100)));
  running.clear();
}

/**
 * Create a system on real time whose events, dead letters, output and message history are
 * recorded (createTestSystem on the real clock), with `plan`'s faults injected when given.
 */
export function runSystem(options: OcreSystemOptions, plan?: FaultPlan): Run {
  const printed: { container: string; stream: string; line: string }[] = [];
  const t = createTestSystem({
    clock: realClock,
    onOutput: (container, stream, line) => printed.push({ container, stream, line }),
    ...options,
    ...(plan === undefined ? {} : { faults: plan }),
  });
  const run: Run = {
    system: t.system,
    history: t.history,
    events: t.events,
    deadLetters: t.deadLetters,
    warnings: t.warnings,
    injection: t.injection,
    lines: (container, stream = 'stdout') =>
      printed.filter((p) => p.container === container && p.stream === stream).map((p) => p.line),
    eventsOf: (type) => t.eventsOf(type),
    stop: (timeoutMs = 1000) => t.system.stop({ timeoutMs }),
  };
  running.add(run);
  return run;
}

/** A wasm module from its sections: magic, version, then `[id, ...content]` for each. */
function assemble(sections: readonly (readonly number[])[]): Uint8Array {
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const [id, ...content] of sections) bytes.push(id as number, content.length, ...content);
  return Uint8Array.from(bytes);
}

const name = (text: string) => [text.length, ...[...text].map((c) => c.charCodeAt(0))];
const voidType = [1, 1, 0x60, 0, 0]; // type section: one type, () -> ()

/** A WASI command that defines its memory but does not export it. */
export const noMemoryExportModule = assemble([
  voidType,
  [3, 1, 0], // function section: one function of type 0
  [5, 1, 0x00, 1], // memory section: one memory, at least 1 page
  [7, 1, ...name('_start'), 0x00, 0], // export _start = function 0
  [10, 1, 2, 0, 0x0b], // code: an empty body
]);

/** A WASI command whose start function (run while instantiating) loops forever. */
export const loopingStartModule = assemble([
  voidType,
  [3, 2, 0, 0], // two functions of type 0
  [5, 1, 0x00, 2], // one memory, at least 2 pages
  [7, 2, ...name('_start'), 0x00, 0, ...name('memory'), 0x02, 0], // export _start, memory
  [8, 1], // start section: function 1
  [10, 2, 2, 0, 0x0b, 7, 0, 0x03, 0x40, 0x0c, 0, 0x0b, 0x0b], // _start: empty; 1: loop { br 0 }
]);

/** vi.waitFor options for real-time waits (workers are real): poll every 5 ms, give up after 10000 ms. */
export const realTime = { timeout: 10_000, interval: 5 } as const;

/** Both isolation modes of a WebAssembly container: every WASM row runs in each. */
export const isolationModes: readonly WasmIsolation[] = ['worker', 'pooled'];

/** `wasmContainer` with `isolation` preset (a row's own option still wins). */
export function wasmContainerIn(isolation: WasmIsolation): typeof wasmContainer {
  return (options: WasmContainerOptions) => wasmContainer({ isolation, ...options });
}
