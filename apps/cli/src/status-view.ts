// Owns the demo's terminal view: on a TTY a status block redrawn below the scrolling output, otherwise plain lines.
import type { SystemMetrics } from '@ocre-ts/actors';
import { formatDuration } from './duration.ts';
import { RateWindow, ratePerSecond } from './rate-window.ts';
import { describeStatusCounters } from './event-lines.ts';
import { containerRows, liveTable } from './table.ts';

/** What the demo shows as the system runs. */
export interface StatusView {
  /** A container's output line. */
  log(container: string, line: string): void;
  /** A supervision event worth a line (a fault, a restart). */
  event(line: string): void;
  /** A new metrics sample. */
  update(sample: SystemMetrics): void;
  /** Flush and remove the live block (on a TTY) before the summary is printed. */
  finish(): void;
}

/** Options of the views. */
export interface StatusViewOptions {
  /** Title of the status block. */
  readonly title: string;
  /** How long the run is planned to last, ms, for the progress shown. */
  readonly plannedMs: number;
  /** Where to write; defaults to process.stdout. */
  readonly stream?: NodeJS.WriteStream;
}

/** Rates are averaged over this long. */
const rateWindowMs = 2000;

const ansi = {
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
};

/** The system-wide rates of a sample, smoothed: `4.0 msg/s published, 8.0 msg/s handled`. */
function systemRates(sample: SystemMetrics, base: SystemMetrics | undefined): string {
  const published = ratePerSecond(sample, base, (m) => m.counters.published);
  const handled = ratePerSecond(sample, base, (m) => m.counters.delivered);
  return `${published.toFixed(1)} msg/s published, ${handled.toFixed(1)} msg/s handled`;
}

/** The view for a terminal: output scrolls, the status block stays at the bottom. */
export function createTtyView(options: StatusViewOptions): StatusView {
  const stream = options.stream ?? process.stdout;
  const rates = new RateWindow(rateWindowMs);
  let drawn = 0;
  let block: string[] = [];
  let pending: string[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const showCursor = () => stream.write('\x1b[?25h');
  process.once('exit', showCursor);
  stream.write('\x1b[?25l');
  const width = () => Math.max(20, (stream.columns || 100) - 1);
  // Output is batched, so a chatty container redraws the block a few times a second, not per line.
  const redraw = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const clear = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    const lines = block.map((line) => clip(line, width()));
    stream.write(`${clear}${[...pending, ...lines].map((l) => `${l}\n`).join('')}`);
    pending = [];
    drawn = lines.length;
  };
  const add = (line: string) => {
    pending.push(line);
    flushTimer ??= setTimeout(redraw, 50);
  };
  return {
    log: (container, line) => add(`${ansi.cyan(`[${container}]`)} ${line}`),
    event: (line) => add(ansi.yellow(`⚠ ${line}`)),
    update(sample) {
      const base = rates.add(sample);
      const elapsed = Math.min(sample.time, options.plannedMs);
      const planned = formatDuration(options.plannedMs);
      const bar = progressBar(elapsed / options.plannedMs, 24);
      const c = sample.counters;
      block = [
        '',
        ansi.bold(`${options.title} · ${formatDuration(elapsed)} of ${planned} ${bar}`),
        ...liveTable(containerRows(sample, base)).map((line, i) =>
          i === 0 ? ansi.dim(line) : line,
        ),
        ansi.dim(
          `${c.published} published · ${c.delivered} handled · ${c.deadLettered} dead-lettered · ` +
            systemRates(sample, base),
        ),
        ...sample.containers.flatMap((info) =>
          info.status === undefined
            ? []
            : [
                ansi.dim(
                  `${info.name} ${info.status.state}${describeStatusCounters(info.status.counters)}`,
                ),
              ],
        ),
      ];
      redraw();
    },
    finish() {
      block = [];
      redraw();
      showCursor();
      process.off('exit', showCursor);
    },
  };
}

/** The view for a pipe or a file: every line as it comes, a status line every `everyMs`. */
export function createPlainView(
  options: StatusViewOptions & { readonly everyMs: number },
): StatusView {
  const stream = options.stream ?? process.stdout;
  const rates = new RateWindow(rateWindowMs);
  let lastPrinted = -Infinity;
  return {
    log: (container, line) => stream.write(`[${container}] ${line}\n`),
    event: (line) => stream.write(`! ${line}\n`),
    update(sample) {
      const base = rates.add(sample);
      if (sample.time - lastPrinted < options.everyMs) return;
      lastPrinted = sample.time;
      const states = containerRows(sample, base)
        .map((r) => `${r.name} ${r.state} (${r.restarts} restarts)`)
        .join(', ');
      const bridges = sample.containers
        .flatMap((c) =>
          c.status === undefined ? [] : [`${c.name}${describeStatusCounters(c.status.counters)}`],
        )
        .join(', ');
      stream.write(
        `status at ${formatDuration(sample.time)}: ${states}; ${systemRates(sample, base)}${bridges === '' ? '' : `; ${bridges}`}\n`,
      );
    },
    finish: () => undefined,
  };
}

function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** Cut a line to `width` visible characters, keeping ANSI sequences intact. */
function clip(line: string, width: number): string {
  let visible = 0;
  let out = '';
  // eslint-disable-next-line no-control-regex -- splitting on ANSI escapes is the point
  for (const part of line.split(/(\x1b\[[0-9;]*[A-Za-z])/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
    } else {
      const room = Math.max(0, width - visible);
      out += part.slice(0, room);
      visible += Math.min(part.length, room);
    }
  }
  return out;
}
