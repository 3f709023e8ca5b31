// Owns the per-container status table the demo draws live and in its summary, with rates from consecutive metrics samples.
import type { ContainerInfo, SystemMetrics } from '@ocre-ts/actors';

/** One container's row. */
export interface ContainerRow {
  readonly name: string;
  readonly state: string;
  readonly restarts: number;
  readonly faults: number;
  readonly handled: number;
  readonly published: number;
  readonly mailbox: number;
  /** Handled per second since the previous sample. */
  readonly handledPerSecond: number;
  /** Published per second since the previous sample. */
  readonly publishedPerSecond: number;
}

/**
 * Rows for a metrics sample; rates compare it with `previous` (zero without one).
 *
 * @param sample - the latest metrics$ sample
 * @param previous - the sample before it
 */
export function containerRows(sample: SystemMetrics, previous?: SystemMetrics): ContainerRow[] {
  const seconds = previous === undefined ? 0 : (sample.time - previous.time) / 1000;
  const before = new Map(previous?.containers.map((c) => [c.name, c]) ?? []);
  return sample.containers.map((info) => {
    const last = before.get(info.name);
    const rate = (pick: (c: ContainerInfo) => number) =>
      last === undefined || seconds <= 0 ? 0 : (pick(info) - pick(last)) / seconds;
    return {
      name: info.name,
      // A runtime that reports a state of its own (a bridge: connected, reconnecting) shows it too.
      state: info.status === undefined ? info.state : `${info.state}/${info.status.state}`,
      restarts: info.counters.restarts,
      faults: info.counters.faults,
      handled: info.counters.delivered,
      published: info.counters.published,
      mailbox: info.mailbox,
      handledPerSecond: rate((c) => c.counters.delivered),
      publishedPerSecond: rate((c) => c.counters.published),
    };
  });
}

/**
 * Rows of cells as lines with aligned columns: the first `leftAligned` left-aligned (names,
 * states), the rest right-aligned (numbers).
 */
export function alignColumns(rows: readonly (readonly string[])[], leftAligned = 1): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i < leftAligned ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** The live table: state, restarts, faults, rates and mailbox depth per container. */
export function liveTable(rows: readonly ContainerRow[]): string[] {
  return alignColumns(
    [
      ['container', 'state', 'restarts', 'faults', 'handled/s', 'published/s', 'mailbox'],
      ...rows.map((r) => [
        r.name,
        r.state,
        String(r.restarts),
        String(r.faults),
        r.handledPerSecond.toFixed(1),
        r.publishedPerSecond.toFixed(1),
        String(r.mailbox),
      ]),
    ],
    2,
  );
}
