// Owns the messages between the main thread and a pooled worker, which runs many instances: each command names its instance by id, and reports carry that id as their `generation`.
import type { StartCommand } from '../channel/worker-protocol.ts';

/** Main → worker: a compiled (asyncified) module, sent once per worker before its first instance. */
interface ModuleCommand {
  readonly type: 'module';
  /** The module's cache key; later starts name it. */
  readonly key: string;
  readonly module: WebAssembly.Module;
}

/** Main → worker: instantiate `key`'s module as instance `generation` (its id) and run main to its first yield. */
export interface PoolStartCommand extends Omit<StartCommand, 'module' | 'control' | 'slot'> {
  readonly key: string;
  /** The instance's delivery lane (see channel/delivery-lane.ts). */
  readonly lane: SharedArrayBuffer;
}

/**
 * Main → worker: put a message into the event queue of current-API instance `id` (Ocre's current
 * API takes its mail with `ocre_process_events`, so it does not ride the delivery ring, whose
 * records are handler calls).
 */
export interface HandOverCommand {
  readonly type: 'hand-over';
  readonly id: number;
  readonly mid: bigint;
  readonly topic: Uint8Array;
  readonly contentType: Uint8Array;
  readonly payload: Uint8Array;
}

/** Main → worker: drop instance `id` (it is at a yield whenever the worker reads this); `ack` asks for an `ended` report once its output is flushed. */
interface KillCommand {
  readonly type: 'kill';
  readonly id: number;
  readonly ack: boolean;
}

/** Main → worker: end the thread. */
interface PoolExitCommand {
  readonly type: 'exit';
}

/** Everything the main thread posts to a pooled worker. */
export type PoolCommand =
  | ModuleCommand
  | (PoolStartCommand & { readonly type: 'start' })
  | HandOverCommand
  | KillCommand
  | PoolExitCommand;

/** Worker → main: instance `generation` has been dropped and its output flushed. */
export interface EndedReport {
  readonly type: 'ended';
  readonly generation: number;
}
