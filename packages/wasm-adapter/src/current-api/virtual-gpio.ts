// Owns the virtual GPIO pins of one system for Ocre's current API: direction and state per (port, pin), names, and the containers watching a pin.
import { fail } from './errno.ts';
import type { ErrnoResult } from './errno.ts';

/** Ocre's `ocre_gpio_direction_t`. */
type GpioDirection = 0 | 1;

/** A pin changed state. `by` is the container that set or toggled it, or `external` for `drive`. */
export interface GpioChange {
  readonly port: number;
  readonly pin: number;
  readonly state: 0 | 1;
  readonly by: string;
}

/** Options of {@link VirtualGpio}. */
export interface VirtualGpioOptions {
  /** Ports 0..maxPorts-1; default 8 (`CONFIG_OCRE_GPIO_MAX_PORTS`). */
  readonly maxPorts?: number;
  /** Pins 0..pinsPerPort-1 on each port; default 16 (`CONFIG_OCRE_GPIO_PINS_PER_PORT`). */
  readonly pinsPerPort?: number;
  /** Names for the `*_by_name` calls. */
  readonly names?: Readonly<Record<string, { readonly port: number; readonly pin: number }>>;
  /** Every change of a pin's state (the system shows these in `events$`). */
  readonly onChange?: (change: GpioChange) => void;
}

interface Pin {
  direction: GpioDirection;
  state: 0 | 1;
  readonly watchers: Map<string, (change: GpioChange) => void>;
}

/**
 * Pins that exist only in memory. A pin must be configured before it is set, read, toggled or
 * watched (-EINVAL otherwise, as for a port or pin out of range). A container sets output pins;
 * `drive` changes an input pin from outside (a simulated button). Every change reaches the
 * watchers of that pin (each container that registered a callback for it) and `onChange`.
 */
export class VirtualGpio {
  private readonly pins = new Map<number, Pin>();
  private readonly maxPorts: number;
  private readonly pinsPerPort: number;

  /** @param options - sizes, names and the change hook */
  constructor(private readonly options: VirtualGpioOptions = {}) {
    this.maxPorts = options.maxPorts ?? 8;
    this.pinsPerPort = options.pinsPerPort ?? 16;
  }

  /** The (port, pin) called `name`, if any. */
  resolve(name: string): { readonly port: number; readonly pin: number } | undefined {
    return Object.hasOwn(this.options.names ?? {}, name) ? this.options.names?.[name] : undefined;
  }

  /** `ocre_gpio_configure`. */
  configure(port: number, pin: number, direction: number): ErrnoResult {
    if (!this.inRange(port, pin) || (direction !== 0 && direction !== 1)) return fail('EINVAL');
    const existing = this.pins.get(this.key(port, pin));
    if (existing === undefined) {
      this.pins.set(this.key(port, pin), { direction, state: 0, watchers: new Map() });
    } else existing.direction = direction;
    return 0;
  }

  /** `ocre_gpio_pin_set` by container `by`: only an output pin; 0 or 1 (any non-zero is 1). */
  set(port: number, pin: number, state: number, by: string): ErrnoResult {
    const found = this.pin(port, pin);
    if (found?.direction !== 1) return fail('EINVAL');
    this.change(port, pin, found, state === 0 ? 0 : 1, by);
    return 0;
  }

  /** `ocre_gpio_pin_toggle` by container `by`. */
  toggle(port: number, pin: number, by: string): ErrnoResult {
    const found = this.pin(port, pin);
    if (found?.direction !== 1) return fail('EINVAL');
    this.change(port, pin, found, found.state === 0 ? 1 : 0, by);
    return 0;
  }

  /** `ocre_gpio_pin_get`: the state, or -EINVAL. */
  get(port: number, pin: number): number {
    return this.pin(port, pin)?.state ?? fail('EINVAL');
  }

  /** Changes an input pin from outside, as a button would. */
  drive(port: number, pin: number, state: 0 | 1): ErrnoResult {
    const found = this.pin(port, pin);
    if (found?.direction !== 0) return fail('EINVAL');
    this.change(port, pin, found, state, 'external');
    return 0;
  }

  /** `ocre_gpio_register_callback` for container `watcher`: it is told of every change. */
  watch(
    port: number,
    pin: number,
    watcher: string,
    notify: (change: GpioChange) => void,
  ): ErrnoResult {
    const found = this.pin(port, pin);
    if (found === undefined) return fail('EINVAL');
    found.watchers.set(watcher, notify);
    return 0;
  }

  /** `ocre_gpio_unregister_callback`: -EINVAL when `watcher` was not watching. */
  unwatch(port: number, pin: number, watcher: string): ErrnoResult {
    return this.pin(port, pin)?.watchers.delete(watcher) === true ? 0 : fail('EINVAL');
  }

  /** Forgets every watch of `watcher` (the container stopped). */
  unwatchAll(watcher: string): void {
    for (const pin of this.pins.values()) pin.watchers.delete(watcher);
  }

  private change(port: number, pin: number, found: Pin, state: 0 | 1, by: string): void {
    if (found.state === state) return;
    found.state = state;
    const change: GpioChange = { port, pin, state, by };
    for (const notify of found.watchers.values()) notify(change);
    this.options.onChange?.(change);
  }

  private pin(port: number, pin: number): Pin | undefined {
    return this.inRange(port, pin) ? this.pins.get(this.key(port, pin)) : undefined;
  }

  private inRange(port: number, pin: number): boolean {
    return (
      Number.isInteger(port) &&
      Number.isInteger(pin) &&
      port >= 0 &&
      pin >= 0 &&
      port < this.maxPorts &&
      pin < this.pinsPerPort
    );
  }

  private key(port: number, pin: number): number {
    return port * this.pinsPerPort + pin;
  }
}
