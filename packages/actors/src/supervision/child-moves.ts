// Owns what a supervisor does to one child: take it down for a restart, stop it, fail it, and whether a sibling's group restart includes it.
import type { ChildRecord, NestedSupervisor } from './types.ts';

/** A child of a supervisor, whatever the nested supervisor's class. */
type Child = ChildRecord<NestedSupervisor>;

/**
 * Take `child` down for restart `id` (it starts again when the restart is due): a container
 * waits `delayMs` in `restarting`; a nested supervisor stops its tree, keeping its children's mail.
 *
 * @param supervisor - the name of the supervisor restarting it, for the nested stop's reason
 */
export function takeDown(child: Child, delayMs: number, id: number, supervisor: string): void {
  child.restarts++;
  child.generation++;
  child.pendingRestart = id;
  if (child.cell !== undefined) {
    child.cell.send({ type: 'restart', attempt: child.restarts, delayMs });
  } else if (child.node !== undefined) {
    const stopping = child.node.stop(`restarting under "${supervisor}"`, 'restart');
    child.stopping = stopping;
    void stopping.then(() => {
      if (child.stopping === stopping) child.stopping = undefined;
    });
  }
}

/** Stop `child` for good (down): its mail, now and later, becomes dead letters. */
export function stopChild(child: Child, reason: string): void {
  child.generation++;
  child.pendingRestart = undefined;
  if (child.cell !== undefined) child.cell.send({ type: 'stop', reason, mode: 'down' });
  else void child.node?.stop(reason, 'down');
}

/** `child` will not be restarted: a container fails, a nested supervisor stops for good. */
export function failChild(child: Child, reason: string): void {
  child.generation++;
  child.pendingRestart = undefined;
  if (child.cell !== undefined) child.cell.send({ type: 'fail', reason });
  else void child.node?.stop(reason, 'down');
}

/** Up, or waiting for a restart: a sibling's group restart includes it. */
export function isUp(child: Child): boolean {
  if (child.pendingRestart !== undefined) return true;
  const state = child.cell?.state ?? child.node?.state;
  return state !== 'stopped' && state !== 'failed' && state !== 'stopping';
}
