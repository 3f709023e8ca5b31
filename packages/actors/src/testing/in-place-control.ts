// Owns live fault control of a container the plan does not target: its own runtime object stays in place, with nothing added to its message path until a per-message fault is armed on it.
import type { ContainerRuntime, RuntimeHost } from '../runtime.ts';
import { FaultyRuntime } from './faulty-runtime.ts';
import type { ContainerRule, RuntimeFaultContext } from './faulty-runtime.ts';

/**
 * Takes fault control of one runtime without wrapping it: the container keeps its own runtime
 * object (and every capability it has beyond {@link ContainerRuntime}). Its rare calls (`start`,
 * `stop`, `kill`) are shadowed at once so a {@link FaultyRuntime} tracks the instance and can
 * crash it; `deliver` is shadowed only by {@link InPlaceControl.arm}, when a fault that acts on
 * messages is injected, so an untouched container's deliveries cost what they cost without a
 * dashboard.
 */
export class InPlaceControl {
  /** Acts out the faults; its inner runtime is the object's own methods. */
  readonly faulty: FaultyRuntime;
  private armed = false;

  /**
   * @param runtime - the container's runtime, extensible (check with {@link InPlaceControl.fits})
   * @param rules - the container's faults; live faults join this array
   * @param context - the clock and the record of fired faults
   */
  constructor(
    private readonly runtime: ContainerRuntime,
    rules: readonly ContainerRule[],
    context: RuntimeFaultContext,
  ) {
    // The object's own methods, taken before any is shadowed.
    const own: ContainerRuntime = {
      start: runtime.start.bind(runtime),
      deliver: runtime.deliver.bind(runtime),
      hasHandler: runtime.hasHandler.bind(runtime),
      stop: runtime.stop.bind(runtime),
      kill: runtime.kill.bind(runtime),
    };
    const faulty = new FaultyRuntime(own, rules, context);
    this.faulty = faulty;
    Object.assign(runtime, {
      start: (host: RuntimeHost) => faulty.start(host),
      stop: () => faulty.stop(),
      kill: () => faulty.kill(),
    });
  }

  /** True when `runtime` can be controlled in place (its methods can be shadowed). */
  static fits(runtime: ContainerRuntime): boolean {
    return Object.isExtensible(runtime);
  }

  /** A fault that acts on messages was injected: route this container's deliveries through it from now on. */
  arm(): void {
    if (this.armed) return;
    this.armed = true;
    const faulty = this.faulty;
    this.runtime.deliver = (message, handlerName) => faulty.deliver(message, handlerName);
  }
}
