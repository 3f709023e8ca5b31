// Owns running a real current-API module on the main thread for tests: node:wasi, the current imports, a synchronous manual clock, and a script run at each ocre_sleep.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import type { Clock, TimerHandle } from '@ocre-ts/actors';
import {
  CurrentEventQueue,
  TimerTable,
  createCurrentImports,
} from '../../src/current-api/index.ts';
import type {
  CurrentApiGuest,
  CurrentMessagingPort,
  GuestAllocator,
} from '../../src/current-api/index.ts';
import { GuestMemory } from '../../src/guest/guest-memory.ts';
import { LineSink, captureFdWrite } from '../../src/guest/wasi-output.ts';
import type { FdWrite } from '../../src/guest/wasi-output.ts';
import { fixture } from '../helpers.ts';

/** A clock that moves only when told to, synchronously (imports cannot await). */
export class ManualClock implements Clock {
  private current = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; callback: () => void }>();

  now(): number {
    return this.current;
  }
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { due: this.current + Math.max(0, delayMs), callback });
    return id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }
  /** Moves time forward by `ms`, firing due timers in deadline order. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let next: [number, { due: number; callback: () => void }] | undefined;
      for (const entry of this.timers)
        if (next === undefined || entry[1].due < next[1].due) next = entry;
      if (next === undefined || next[1].due > end) break;
      this.timers.delete(next[0]);
      this.current = next[1].due;
      next[1].callback();
    }
    this.current = end;
  }
}

/** Thrown from ocre_sleep to end the guest's endless main loop. */
class StopGuest extends Error {}

/** What a test sees of a running guest. */
export interface GuestContext {
  readonly clock: ManualClock;
  readonly events: CurrentEventQueue;
  readonly timers: TimerTable;
  readonly lines: string[];
  readonly guest: CurrentApiGuest;
  /** Frees the guest made through the host. */
  readonly frees: number[];
}

/** Options of {@link runCurrentGuest}. */
export interface RunOptions {
  readonly messaging: CurrentMessagingPort;
  /** Runs at every ocre_sleep(ms); return the ms left to end the sleep early, 'stop' to end the run. */
  readonly onSleep: (context: GuestContext, milliseconds: number) => number | 'stop';
}

/** Instantiates `test/wasm/<name>.wasm` and runs its main until `onSleep` says stop. */
export function runCurrentGuest(name: string, options: RunOptions): GuestContext {
  const module = new WebAssembly.Module(readFileSync(fixture(name)));
  const wasi = new WASI({ version: 'preview1', args: [name], env: {}, returnOnExit: true });
  const wasiImports = (
    wasi.getImportObject() as { wasi_snapshot_preview1: Record<string, unknown> }
  ).wasi_snapshot_preview1;
  const linked: { memory?: GuestMemory; exports?: WebAssembly.Exports } = {};
  const memory = (): GuestMemory => linked.memory as GuestMemory;
  const clock = new ManualClock();
  const events = new CurrentEventQueue();
  const lines: string[] = [];
  const frees: number[] = [];
  const timers = new TimerTable({
    clock,
    onFire: (id) => events.push({ type: 0, timerId: id }),
  });
  const exportedFunctions = new Set(
    WebAssembly.Module.exports(module)
      .filter((entry) => entry.kind === 'function')
      .map((entry) => entry.name),
  );
  const allocator = (): GuestAllocator => {
    const exports = linked.exports as Record<string, (...args: number[]) => number>;
    return {
      malloc: (size) => exports['malloc']?.(size) ?? 0,
      free: (pointer) => {
        frees.push(pointer);
        exports['free']?.(pointer);
      },
    };
  };
  const holder: { context?: GuestContext } = {};
  const guest = createCurrentImports({
    memory,
    allocator,
    exportedFunctions,
    events,
    timers,
    messaging: options.messaging,
    sleep: (milliseconds) => {
      const left = options.onSleep(holder.context as GuestContext, milliseconds);
      if (left === 'stop') throw new StopGuest();
      return left;
    },
  });
  const context: GuestContext = { clock, events, timers, lines, guest, frees };
  holder.context = context;
  const sink = new LineSink((line) => lines.push(line));
  const instance = new WebAssembly.Instance(module, {
    env: { ...guest.imports },
    wasi_snapshot_preview1: {
      ...wasiImports,
      fd_write: captureFdWrite(wasiImports['fd_write'] as FdWrite, () => memory().memory, {
        stdout: sink,
        stderr: sink,
      }),
    },
  });
  linked.exports = instance.exports;
  linked.memory = new GuestMemory(instance.exports['memory'] as WebAssembly.Memory);
  try {
    wasi.start(instance);
  } catch (error) {
    if (!(error instanceof StopGuest)) throw error;
  }
  return context;
}
