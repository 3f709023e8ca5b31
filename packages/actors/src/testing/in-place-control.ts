// Owns live fault control of a container the plan does not target: its own runtime object stays in place, untouched until a per-message fault is armed on it.
import type { ContainerRuntime, RuntimeHost } from '../runtime.ts';
import { FaultyRuntime } from './faulty-runtime.ts';
import type { ContainerRule, RuntimeFaultContext } from './faulty-runtime.ts';

/**
 * Takes fault control of one runtime without wrapping it: the container keeps its own runtime
 * object, unchanged (same shape, every capability it has beyond {@link ContainerRuntime}), so an
 * untouched container's deliveries cost what they cost without a dashboard. {@link arm} (a fault
 * that acts on messages was injected) shadows its methods with a {@link FaultyRuntime}'s; a kill
 * needs no arming (the system's `crashContainer` control does it).
 */
export class InPlaceControl {
  private armed = false;

  /**
   * @param runtime - the container's runtime, extensible (check with {@link InPlaceControl.fits})
   * @param rules - the container's faults; live faults join this array
   * @param context - the clock and the record of fired faults
   */
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly rules: readonly ContainerRule[],
    private readonly context: RuntimeFaultContext,
  ) {}

  /**
   * True when `runtime` can be controlled in place: its methods can be shadowed, and it takes one
   * delivery at a time. A pipelined runtime (`maxInFlight` > 1) is wrapped instead: an injected
   * fault must not land in the middle of deliveries already in flight, where it could make a
   * later message run twice.
   */
  static fits(runtime: ContainerRuntime): boolean {
    return Object.isExtensible(runtime) && (runtime.maxInFlight ?? 1) <= 1;
  }

  /** A fault that acts on messages was injected: route this container's calls through it from now on. */
  arm(): void {
    if (this.armed) return;
    this.armed = true;
    const runtime = this.runtime;
    // The object's own methods, taken before they are shadowed.
    const own: ContainerRuntime = {
      start: runtime.start.bind(runtime),
      deliver: runtime.deliver.bind(runtime),
      hasHandler: runtime.hasHandler.bind(runtime),
      stop: runtime.stop.bind(runtime),
      kill: runtime.kill.bind(runtime),
    };
    const faulty = new FaultyRuntime(own, this.rules, this.context);
    Object.assign(runtime, {
      start: (host: RuntimeHost) => faulty.start(host),
      deliver: (message: Parameters<ContainerRuntime['deliver']>[0], handlerName: string) =>
        faulty.deliver(message, handlerName),
      stop: () => faulty.stop(),
      kill: () => faulty.kill(),
    });
  }
}
