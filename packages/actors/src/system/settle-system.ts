// Owns when a system counts as settled or drained: idle router, quiet containers, and async handlers that stopped making progress.
import type { Clock } from '../clock.ts';
import type { ContainerCell } from '../container/container-cell.ts';
import type { Router } from '../router/router.ts';

/** Event-loop turns without progress after which pending async handlers count as settled. */
const stalledTurnsBeforeSettled = 10;

/** What settling watches: the router and every container cell. */
export interface SettleParts {
  /** The router: its queue, ready list, pending turn and counters. */
  readonly router: Router;
  /** Every container cell: quiet, or waiting on an async handler. */
  readonly cells: readonly ContainerCell[];
}

/**
 * Resolves once nothing can progress without time passing: the router is idle and every
 * container is quiet, or only async handlers remain and they made no progress for a while (they
 * wait on time or I/O).
 */
export async function settleSystem(parts: SettleParts): Promise<void> {
  let stalled = 0;
  let progress = progressOf(parts.router);
  while (!isIdle(parts)) {
    await nextTurn();
    if (!onlyHandlersPending(parts)) continue;
    const now = progressOf(parts.router);
    // Async handlers that made no progress for a while wait on time or I/O: that is settled.
    if (now === progress && ++stalled >= stalledTurnsBeforeSettled) return;
    if (now !== progress) stalled = 0;
    progress = now;
  }
}

/**
 * Let queued mail be handled until idle (no delivery held back by a hook either) or `timeoutMs`
 * of `clock` has passed. With a virtual clock only a pending async handler can hold this up;
 * advance the clock (or use `VirtualClock.drive`) to let its timeout fire.
 */
export async function drainSystem(
  parts: SettleParts,
  clock: Clock,
  timeoutMs: number,
): Promise<void> {
  if (timeoutMs <= 0) return;
  let timedOut = false;
  const timer = clock.setTimeout(() => (timedOut = true), timeoutMs);
  while (!timedOut && !isIdle(parts, true)) await nextTurn();
  clock.clearTimeout(timer);
}

/** Nothing can progress without time passing; with `drained`, no delivery is held back by a hook either. */
function isIdle({ router, cells }: SettleParts, drained = false): boolean {
  if (drained && router.delayed > 0) return false;
  return router.idle && cells.every((cell) => cell.quiet);
}

/** Nothing is queued or waiting to run: only async handlers in progress remain. */
function onlyHandlersPending({ router, cells }: SettleParts): boolean {
  return router.idle && cells.every((cell) => cell.waitingOnHandler || cell.quiet);
}

function progressOf(router: Router): number {
  return router.published + router.delivered + router.deadLettered;
}

function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
