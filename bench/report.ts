// Owns the shape of benchmark results and how they are shown: the stdout table, the JSON file and the Markdown table.
import type { BenchEnvironment } from './harness.ts';

/** Whether a row meets the goal the issue set for it. */
interface GoalCheck {
  /** The goal in words, e.g. "≥ 0.5× EventEmitter". */
  readonly text: string;
  readonly met: boolean;
  /** The baseline the goal compares with, if any: the table shows the verdict on its line. */
  readonly against?: string;
}

/**
 * One row of the report. `ratios[name]` is always `ours / baselines[name]`: above 1 is better for
 * rates, below 1 is better for times and bytes.
 */
export interface ScenarioResult {
  /** A scenario name from the issue: `fanout-1x1`, `topic-index`, … */
  readonly name: string;
  /** Which measurement of the scenario, when it has several (`exact`, `100k`, `p99`…). */
  readonly variant?: string;
  readonly unit: string;
  readonly ours: number;
  readonly baselines: Readonly<Record<string, number>>;
  readonly ratios: Readonly<Record<string, number>>;
  readonly goals?: readonly GoalCheck[];
}

/** Build a row, computing every ratio as ours / baseline. */
export function scenarioResult(row: Omit<ScenarioResult, 'ratios'>): ScenarioResult {
  const ratios: Record<string, number> = {};
  for (const [name, value] of Object.entries(row.baselines)) ratios[name] = row.ours / value;
  return { ...row, ratios };
}

/** The JSON document `--json` writes. */
export interface BenchReport {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly date: string;
  readonly mode: 'full' | 'quick';
  readonly scenarios: readonly ScenarioResult[];
}

/** Assemble the JSON document. */
export function benchReport(
  env: BenchEnvironment,
  quick: boolean,
  results: readonly ScenarioResult[],
): BenchReport {
  return {
    node: env.node,
    cpu: env.cpu,
    cores: env.cores,
    date: env.date,
    mode: quick ? 'quick' : 'full',
    scenarios: results,
  };
}

/** JSON with bigint-free numbers rounded to 4 significant digits (more would be noise). */
export function reportJson(report: BenchReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' ? round(value) : value), 2)}\n`;
}

function round(value: number): number {
  return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(4)) : value;
}

/** A number with an SI suffix and 3 significant digits: 1.23M, 456k, 78.9. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (!Number.isFinite(value)) return String(value);
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  if (abs >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}

/** A ratio such as 0.512×. */
function formatRatio(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)}×`;
}

interface Line {
  readonly cells: readonly string[];
}

function lines(results: readonly ScenarioResult[]): Line[] {
  const out: Line[] = [];
  for (const row of results) {
    const label = row.variant === undefined ? row.name : `${row.name} (${row.variant})`;
    const baselines = Object.entries(row.baselines);
    const verdict = (g: GoalCheck) => `${g.met ? 'met' : 'MISSED'}: ${g.text}`;
    const goals = row.goals ?? [];
    const unplaced = goals.filter((g) => g.against === undefined || !(g.against in row.baselines));
    const count = Math.max(1, baselines.length, unplaced.length);
    for (let i = 0; i < count; i++) {
      const baseline = baselines[i];
      const here = [
        ...(i === 0 ? unplaced : []),
        ...goals.filter((g) => baseline !== undefined && g.against === baseline[0]),
      ];
      out.push({
        cells: [
          i === 0 ? label : '',
          i === 0 ? row.unit : '',
          i === 0 ? formatNumber(row.ours) : '',
          baseline?.[0] ?? '',
          baseline === undefined ? '' : formatNumber(baseline[1]),
          baseline === undefined ? '' : formatRatio(row.ratios[baseline[0]] ?? NaN),
          here.map(verdict).join('; '),
        ],
      });
    }
  }
  return out;
}

const headers = ['scenario', 'unit', 'ours', 'baseline', 'value', 'ours/baseline', 'goal'];

/** The stdout table: one line per baseline, the goal verdicts beside them. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = [headers, ...lines(results).map((l) => l.cells)];
  const widths = headers.map((_, column) => Math.max(...rows.map((r) => (r[column] ?? '').length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    render(headers),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(render),
  ]
    .join('\n')
    .concat('\n');
}

/** The Markdown page `--markdown` writes: the machine, the table, the notes. */
export function formatMarkdown(
  env: BenchEnvironment,
  quick: boolean,
  results: readonly ScenarioResult[],
  notes: readonly string[],
): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const table = [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...lines(results).map((l) => `| ${l.cells.map(escape).join(' | ')} |`),
  ];
  return [
    '# Benchmark results',
    '',
    `- date: ${env.date.slice(0, 10)}`,
    `- node: ${env.node}`,
    `- cpu: ${env.cpu} (${env.cores} cores, ${env.memoryGiB} GiB), ${env.platform}`,
    `- mode: ${quick ? 'quick (smoke numbers, not for comparison)' : 'full'}`,
    '- reproduce: `npx --yes pnpm@10.34.8 bench --markdown bench/RESULTS.md --json bench-results.json`',
    '',
    'Each ratio is ours / baseline: above 1× is better for rates, below 1× for times and bytes.',
    '',
    ...table,
    '',
    '## Notes',
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}
