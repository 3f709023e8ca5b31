// Owns the pool of worker threads that pooled WebAssembly containers share: its size, placing instances on the least-loaded worker, quarantine workers, and the watchdog that finds runaway instances.
import { availableParallelism } from 'node:os';
import { WasmLoadError } from '../errors.ts';
import { PoolLink } from './pool-link.ts';
import {
  defaultPoolIdleMs,
  defaultPoolMaxInFlight,
  defaultRingBytes,
  defaultWatchdogMs,
  maxPoolSize,
} from '../defaults.ts';

/** Options of a {@link WasmPool}. */
export interface WasmPoolOptions {
  /** Most worker threads the pool runs. Default `os.availableParallelism()`. */
  readonly size?: number;
  /** How often the watchdog looks for a turn that does not end. Default 100 ms. */
  readonly watchdogMs?: number;
  /** How long an empty worker is kept for the next instance before it exits. Default 1000 ms. */
  readonly idleMs?: number;
  /**
   * Bytes of each worker's delivery ring (a power of two, 4 KiB to 64 MiB). Default 1 MiB. A
   * message whose record needs more than half of it cannot be delivered (a handler fault).
   */
  readonly ringBytes?: number;
  /** Most deliveries in flight per container (1 to 1024). Default 64. */
  readonly maxInFlight?: number;
}

/**
 * Worker threads shared by pooled containers: many instances per worker, each suspended at
 * `ocre_sleep` so others run. Workers start on demand (up to `size`) and exit when empty. A
 * watchdog terminates a worker whose current turn (main between two `ocre_sleep`s, with no mail
 * in flight) outlasts that container's `handlerTimeoutMs`. One owner per deadline: a start or a
 * handler is not the watchdog's to judge but its container's own timers' (`startTimeoutMs`,
 * `handlerTimeoutMs`), whose kill takes the worker down if that guest code still runs.
 */
export class WasmPool {
  /** Most worker threads. */
  readonly size: number;
  /** Bytes of each worker's delivery ring. */
  readonly ringBytes: number;
  /** Most deliveries in flight per container. */
  readonly maxInFlight: number;
  private readonly links: PoolLink[] = [];
  private readonly watchdogMs: number;
  private readonly idleMs: number;
  private readonly dedicated = new Set<PoolLink>();
  private watchdog: NodeJS.Timeout | undefined;
  private spawned = 0;

  /**
   * @param options - size, watchdog period, idle time
   * @throws WasmLoadError `INVALID_OPTION` for a size that is not an integer from 1 to 256
   */
  constructor(options: WasmPoolOptions = {}) {
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1 || size > maxPoolSize) {
      throw new WasmLoadError(
        'INVALID_OPTION',
        'pool',
        `pool size must be an integer from 1 to ${maxPoolSize}, got ${String(size)}`,
      );
    }
    this.size = size;
    const ringBytes = options.ringBytes ?? defaultRingBytes;
    if (
      !Number.isInteger(ringBytes) ||
      ringBytes < 4096 ||
      ringBytes > 1 << 26 ||
      (ringBytes & (ringBytes - 1)) !== 0
    ) {
      throw new WasmLoadError(
        'INVALID_OPTION',
        'pool',
        `ringBytes must be a power of two from 4096 to 67108864, got ${String(ringBytes)}`,
      );
    }
    const maxInFlight = options.maxInFlight ?? defaultPoolMaxInFlight;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 1024) {
      throw new WasmLoadError(
        'INVALID_OPTION',
        'pool',
        `maxInFlight must be an integer from 1 to 1024, got ${String(maxInFlight)}`,
      );
    }
    this.ringBytes = ringBytes;
    this.maxInFlight = maxInFlight;
    this.watchdogMs = options.watchdogMs ?? defaultWatchdogMs;
    this.idleMs = options.idleMs ?? defaultPoolIdleMs;
  }

  /** Worker threads running now (pooled and quarantine). */
  get workerCount(): number {
    return this.links.filter((link) => link.usable).length + this.dedicated.size;
  }

  /** Which worker thread each instance in the pool (quarantine included) runs on now. */
  placements(): { container: string; worker: string }[] {
    const placed: { container: string; worker: string }[] = [];
    for (const link of [...this.links, ...this.dedicated]) {
      for (const member of link.members.values()) {
        placed.push({ container: member.containerName(), worker: link.name });
      }
    }
    return placed;
  }

  /** The worker for a new instance: an empty one if the pool may grow, else the least loaded. */
  assign(): PoolLink {
    this.prune();
    let best: PoolLink | undefined;
    for (const link of this.links) {
      if (best === undefined || link.members.size < best.members.size) best = link;
    }
    if (best === undefined || (best.members.size > 0 && this.links.length < this.size)) {
      best = new PoolLink(`ocre:pool-${++this.spawned}`, this.ringBytes);
      this.links.push(best);
    }
    this.startWatchdog();
    return best;
  }

  /** A worker of its own, outside the pool's size, for a container in quarantine. */
  quarantine(name: string): PoolLink {
    const link = new PoolLink(`ocre:quarantine:${name}`, this.ringBytes);
    this.dedicated.add(link);
    this.startWatchdog();
    return link;
  }

  /** An instance left `link`: an empty worker exits after the idle time unless reused. */
  released(link: PoolLink): void {
    if (link.members.size > 0) return;
    if (this.dedicated.has(link)) {
      this.dedicated.delete(link);
      link.close();
      return;
    }
    setTimeout(() => {
      if (link.members.size > 0) return;
      link.close();
      this.prune();
    }, this.idleMs).unref();
  }

  private prune(): void {
    for (let index = this.links.length - 1; index >= 0; index--) {
      if (!(this.links[index] as PoolLink).usable) this.links.splice(index, 1);
    }
    for (const link of this.dedicated) if (!link.usable) this.dedicated.delete(link);
  }

  private startWatchdog(): void {
    if (this.watchdog !== undefined) return;
    this.watchdog = setInterval(() => {
      const now = performance.now();
      for (const link of [...this.links, ...this.dedicated]) link.check(now);
      this.prune();
      if (this.links.length === 0 && this.dedicated.size === 0) {
        clearInterval(this.watchdog);
        this.watchdog = undefined;
      }
    }, this.watchdogMs);
    this.watchdog.unref();
  }
}

let shared: WasmPool | undefined;

/** The process-wide pool that containers use unless given one (created on first use, default size). */
export function defaultWasmPool(): WasmPool {
  shared ??= new WasmPool();
  return shared;
}
