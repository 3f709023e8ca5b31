// Owns the host side of one container instance: the facade and callbacks a runtime gets when it starts an instance.
import { createOcreFacade } from '@ocre-ts/core';
import type { OcreFacade } from '@ocre-ts/core';
import type { RuntimeFault, RuntimeHost, RuntimeMessaging } from '../runtime.ts';
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
  return new InstanceHost(cell, env, instance);
}

/** Methods on the prototype, shared by every instance; only the facade is made per instance. */
class InstanceHost implements RuntimeHost {
  readonly name: string;
  readonly api: OcreFacade;

  constructor(
    private readonly cell: HostedCell,
    private readonly env: CellEnvironment,
    private readonly instance: number,
  ) {
    this.name = cell.name;
    this.api = createOcreFacade({
      container: cell.name,
      port: env.router.portFor(cell),
      limits: env.limits,
      hasHandler: (name) => cell.runtime.hasHandler(name),
      onWarning: env.onWarning,
    });
  }

  /** Made when a runtime asks (WebAssembly runtimes do; TypeScript ones never). */
  get messaging(): RuntimeMessaging {
    const { cell, env } = this;
    return {
      sharedQueue: env.sharedQueue,
      producerId: cell.producerId,
      limits: env.limits,
      topicMatching: env.topicMatching,
      releaseAbandonedLock: () => env.releaseAbandonedLock?.(cell.producerId) ?? false,
    };
  }

  fault(fault: RuntimeFault): void {
    if (this.cell.isCurrent(this.instance)) this.cell.runtimeFaulted(fault);
  }

  exited(code: number, ended?: boolean): void {
    const { cell } = this;
    if (!cell.isCurrent(this.instance)) return;
    cell.emit({ type: 'container.exited', container: cell.name, code, ended: ended === true });
    if (ended === true) cell.instanceEnded(code);
    else if (code !== 0)
      cell.runtimeFaulted({ phase: 'runtime', error: `exited with code ${code}` });
  }

  output(stream: 'stdout' | 'stderr', line: string): void {
    this.env.onOutput(this.cell.name, stream, line);
  }

  rejected(count: number): void {
    this.env.router.countRejected(this.cell, count);
  }
}
