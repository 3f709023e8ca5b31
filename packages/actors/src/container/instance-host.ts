// Owns the host side of one container instance: the facade and callbacks a runtime gets when it starts an instance.
import { createOcreFacade } from '@ocre-ts/core';
import type { RuntimeHost } from '../runtime.ts';
import type { CellEnvironment, HostedCell } from './types.ts';

/**
 * The host for instance number `instance` of `cell`: a fresh facade, and callbacks that are
 * ignored once a newer instance has started (a dead instance cannot disturb its successor).
 */
export function createInstanceHost(
  cell: HostedCell,
  env: CellEnvironment,
  instance: number,
): RuntimeHost {
  const api = createOcreFacade({
    container: cell.name,
    port: env.router.portFor(cell),
    limits: env.limits,
    hasHandler: (name) => cell.runtime.hasHandler(name),
    onWarning: env.onWarning,
  });
  return {
    name: cell.name,
    api,
    fault: (fault) => {
      if (cell.isCurrent(instance)) cell.runtimeFaulted(fault);
    },
    exited: (code, ended) => {
      if (!cell.isCurrent(instance)) return;
      cell.emit({ type: 'container.exited', container: cell.name, code, ended: ended === true });
      if (ended === true) cell.instanceEnded(code);
      else if (code !== 0)
        cell.runtimeFaulted({ phase: 'runtime', error: `exited with code ${code}` });
    },
    output: (stream, line) => env.onOutput(cell.name, stream, line),
    messaging: {
      sharedQueue: env.sharedQueue,
      producerId: cell.producerId,
      limits: env.limits,
      topicMatching: env.topicMatching,
      releaseAbandonedLock: () => env.releaseAbandonedLock?.(cell.producerId) ?? false,
    },
    rejected: (count) => env.router.countRejected(cell, count),
    status: (state, counters) => cell.reportStatus(state, counters),
    deadLetterCurrent: (reason, error) => {
      if (cell.isCurrent(instance)) cell.refuseCurrent(reason, error);
    },
  };
}
