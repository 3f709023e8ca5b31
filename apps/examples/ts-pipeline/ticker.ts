// A TypeScript container with a main loop: like C's `while (1) { work(); ocre_sleep(ms); }`, it ticks while its instance runs.
import type { ContainerRuntime, ContainerSpec, RuntimeHost } from '@ocre-ts/actors';
import type { OcreFacade } from '@ocre-ts/core';

/** A container that does its work on a timer instead of in handlers. */
export interface TickerDefinition<TState> {
  /** Its name; a system file's `name:` replaces it. */
  readonly name: string;
  /** Time between ticks, like the C loop's `ocre_sleep`. */
  readonly everyMs: number;
  /** The state a fresh instance starts with (a restart starts again from here). */
  readonly initialState: () => TState;
  /** One turn of the loop; throwing is a fault, and the supervisor decides what happens. */
  readonly tick: (api: OcreFacade, state: TState, log: (line: string) => void) => void;
}

/**
 * The spec of a ticking container. Its timer belongs to the instance: a stop, a kill or a
 * restart clears it, so a restarted ticker never ticks twice.
 *
 * @example
 * export default defineTicker({ name: 'clock', everyMs: 1000, initialState: () => 0,
 *   tick: (api) => api.publish('time', 'text/plain', new Date().toISOString()) });
 */
export function defineTicker<TState>(definition: TickerDefinition<TState>): ContainerSpec {
  return { kind: 'container', name: definition.name, runtime: () => new TickerRuntime(definition) };
}

class TickerRuntime<TState> implements ContainerRuntime {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly definition: TickerDefinition<TState>) {}

  start(host: RuntimeHost): Promise<void> {
    const { definition } = this;
    const state = definition.initialState();
    const log = (line: string) => host.output('stdout', line);
    host.api.ocre_msg_system_init();
    this.timer = setInterval(() => {
      try {
        definition.tick(host.api, state, log);
      } catch (error) {
        this.clear();
        host.fault({ phase: 'runtime', error });
      }
    }, definition.everyMs);
    return Promise.resolve();
  }

  deliver(): void {
    throw new Error('a ticker has no handlers');
  }

  hasHandler(): boolean {
    return false;
  }

  stop(): Promise<void> {
    this.clear();
    return Promise.resolve();
  }

  kill(): void {
    this.clear();
  }

  private clear(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
