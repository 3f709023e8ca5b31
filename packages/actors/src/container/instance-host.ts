// Owns the host side of one container instance: the facade and callbacks a runtime gets when it starts an instance.
import { createOcreFacade } from '@ocre-ts/core';
import type { OcreFacade, OcreMessage } from '@ocre-ts/core';
import type { DeadLetterReason } from '../dead-letter.ts';
import type { RuntimeFault, RuntimeHost } from '../runtime.ts';
import type { CellEnvironment, HostedCell } from './types.ts';

/** A host as built here: its callbacks read these fields through `this`. */
interface InstanceHost extends RuntimeHost {
  readonly cell: HostedCell;
  readonly env: CellEnvironment;
  readonly instance: number;
}

/**
 * The host for instance number `instance` of `cell`: a fresh facade, and callbacks that are
 * ignored once a newer instance has started (a dead instance cannot disturb its successor).
 * The callbacks are shared functions, not closures per container, and every field is an own
 * property, so a runtime wrapper may spread the host (`{ ...host, api }`) and keep it working.
 */
export function createInstanceHost(
  cell: HostedCell,
  env: CellEnvironment,
  instance: number,
): RuntimeHost {
  const host: InstanceHost = {
    cell,
    env,
    instance,
    name: cell.name,
    api: createFacade(cell, env),
    messaging: {
      sharedQueue: env.sharedQueue,
      producerId: cell.producerId,
      limits: env.limits,
      topicMatching: env.topicMatching,
      releaseAbandonedLock: () => env.releaseAbandonedLock?.(cell.producerId) ?? false,
    },
    fault,
    exited,
    output,
    rejected,
    status,
    deadLetterCurrent,
    queuedCurrent,
    settleQueued,
    wake,
    gpioChanged,
  };
  return host;
}

function createFacade(cell: HostedCell, env: CellEnvironment): OcreFacade {
  return createOcreFacade({
    container: cell.name,
    port: env.router.portFor(cell),
    limits: env.limits,
    hasHandler: (name) => cell.runtime.hasHandler(name),
    onWarning: env.onWarning,
  });
}

function fault(this: InstanceHost, runtimeFault: RuntimeFault): void {
  if (this.cell.isCurrent(this.instance)) this.cell.runtimeFaulted(runtimeFault);
}

function exited(this: InstanceHost, code: number, ended?: boolean): void {
  const { cell } = this;
  if (!cell.isCurrent(this.instance)) return;
  cell.emit({ type: 'container.exited', container: cell.name, code, ended: ended === true });
  if (ended === true) cell.instanceEnded(code);
  else if (code !== 0) cell.runtimeFaulted({ phase: 'runtime', error: `exited with code ${code}` });
}

function output(this: InstanceHost, stream: 'stdout' | 'stderr', line: string): void {
  this.env.onOutput(this.cell.name, stream, line);
}

function rejected(this: InstanceHost, count: number): void {
  this.env.router.countRejected(this.cell, count);
}

function status(
  this: InstanceHost,
  state: string,
  counters: Readonly<Record<string, number>>,
): void {
  this.cell.reportStatus(state, counters);
}

function deadLetterCurrent(this: InstanceHost, reason: DeadLetterReason, error?: string): void {
  if (this.cell.isCurrent(this.instance)) this.cell.delivery.refuseCurrent(reason, error);
}

function gpioChanged(this: InstanceHost, port: number, pin: number, state: 0 | 1): void {
  const { cell } = this;
  if (cell.isCurrent(this.instance))
    cell.emit({ type: 'container.gpio', container: cell.name, port, pin, state });
}

function wake(this: InstanceHost): void {
  if (this.cell.isCurrent(this.instance)) this.cell.delivery.wakeTurn();
}

function queuedCurrent(this: InstanceHost): void {
  if (this.cell.isCurrent(this.instance)) this.cell.delivery.queueCurrent();
}

// Not tied to the instance: a message handed to an instance that has since ended still ends somewhere.
function settleQueued(
  this: InstanceHost,
  message: OcreMessage,
  handler: string,
  reason?: DeadLetterReason,
  error?: string,
): void {
  this.cell.delivery.settleQueued(message, handler, reason, error);
}
