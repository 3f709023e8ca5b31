// Owns how a pooled instance's main sleeps: asyncify unwinding it at ocre_sleep into a page of guest memory, the timer (or an event's early wake-up) that resumes it, rewinding it, and what the rewound ocre_sleep returns.
import { ASYNCIFY_NORMAL, ASYNCIFY_REWINDING, ASYNCIFY_UNWINDING } from '../module/asyncify.ts';
import type { AsyncifyExports } from '../module/asyncify.ts';
import { RegionError } from '../guest/message-writer.ts';

const PAGE_BYTES = 65536;

/**
 * Main of one pooled instance, suspended at each `ocre_sleep`: asyncify unwinds it into a data
 * area (one page grown at the end of the guest's memory); when the sleep is over `onResume`
 * runs, and calling `_start` again after {@link rewind} rebuilds main up to that `ocre_sleep`,
 * which then returns.
 */
export class SuspendedMain {
  private readonly dataAddress: number;
  /** When the current ocre_sleep is due to end, and whether an event ended it early. */
  private sleepDeadline = 0;
  private wokeEarly = false;
  /** The length of the ocre_sleep main unwound at. */
  private sleepMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly resume = () => {
    this.timer = undefined;
    this.immediate = undefined;
    this.onResume();
  };

  /**
   * @param memory - the guest's linear memory (one page is grown for the data area)
   * @param asyncify - the exports asyncify added to the module
   * @param onResume - runs main's next turn once its sleep is over
   * @throws RegionError when `memoryMaxPages` leaves no room for that page
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly asyncify: AsyncifyExports,
    private readonly onResume: () => void,
  ) {
    try {
      this.dataAddress = memory.grow(1) * PAGE_BYTES;
    } catch (error) {
      throw new RegionError(
        `a pooled instance needs one more page of memory for its suspended main, but memoryMaxPages leaves no room (${memory.buffer.byteLength / PAGE_BYTES} pages in use); raise memoryMaxPages by 1 or use isolation: 'worker'`,
        { cause: error },
      );
    }
  }

  /** True while main is being rebuilt: the ocre_sleep now called is the one it was suspended in. */
  get rewinding(): boolean {
    return this.asyncify.asyncify_get_state() === ASYNCIFY_REWINDING;
  }

  /** True when main's export returned because main is unwinding at an ocre_sleep. */
  get unwinding(): boolean {
    return this.asyncify.asyncify_get_state() === ASYNCIFY_UNWINDING;
  }

  /**
   * Main is rebuilt up to its ocre_sleep: end the rewind.
   *
   * @returns what that ocre_sleep returns: 0, or (Ocre's current API) the whole milliseconds left
   *   when an event ended it early
   */
  endRewind(): number {
    this.asyncify.asyncify_stop_rewind();
    if (!this.wokeEarly) return 0;
    this.wokeEarly = false;
    return Math.max(0, Math.ceil(this.sleepDeadline - performance.now()));
  }

  /** An ocre_sleep of `delayMs` begins (in main or in a handler): only an event from now on ends it early. */
  beginSleep(delayMs: number): void {
    this.sleepDeadline = performance.now() + delayMs;
    this.wokeEarly = false;
  }

  /** True while main's next turn is queued to run at once (its sleep was 0, or an event ended it). */
  get resumeQueued(): boolean {
    return this.immediate !== undefined;
  }

  /** An event arrived: if main sleeps on a timer, end the sleep now (main resumes at once). */
  wake(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.wokeEarly = true;
    this.immediate = setImmediate(this.resume);
  }

  /** Main will not resume: drop its pending timer or queued turn. */
  cancelResume(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Unwind main at an ocre_sleep of `delayMs`: its export returns to the worker, its frames saved in the data area. */
  unwind(delayMs: number): void {
    const words = new Int32Array(this.memory.buffer);
    words[this.dataAddress >> 2] = this.dataAddress + 8;
    words[(this.dataAddress >> 2) + 1] = this.dataAddress + PAGE_BYTES;
    this.sleepMs = delayMs;
    this.asyncify.asyncify_start_unwind(this.dataAddress);
  }

  /** Main's export returned unwound: end the unwind, and resume main when its sleep is over. */
  suspend(): void {
    this.asyncify.asyncify_stop_unwind();
    // ocre_sleep(0) yields to the other instances and pending mail only: no 1 ms timer floor.
    if (this.sleepMs === 0) this.immediate = setImmediate(this.resume);
    else this.timer = setTimeout(this.resume, this.sleepMs);
  }

  /** Main's export ended otherwise (an exit mid-unwind): leave asyncify's state normal. */
  settle(): void {
    if (this.asyncify.asyncify_get_state() !== ASYNCIFY_NORMAL)
      this.asyncify.asyncify_stop_unwind();
  }

  /** Rebuild main: call its export again right after this. */
  rewind(): void {
    this.asyncify.asyncify_start_rewind(this.dataAddress);
  }
}
