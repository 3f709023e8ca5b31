// Owns the benchmark CLI: pick scenarios, run each in a fresh process, print the table and write JSON / Markdown.
//
//   pnpm bench                                   every scenario, full size (the README numbers)
//   pnpm bench --quick                           every scenario, small and few rounds (smoke)
//   pnpm bench --only fanout-1x1,topic-index     just these
//   pnpm bench --json out.json --markdown bench/RESULTS.md
//
// Each scenario runs in its own `node --expose-gc` process whose TypeScript is compiled by tsc's
// transpiler (bench/loader), as the published packages are; see bench/README.md for why.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { environment, outcomePrefix } from './harness.ts';
import type { ScenarioOutcome } from './harness.ts';
import { benchReport, formatMarkdown, formatTable, reportJson } from './report.ts';
import type { ScenarioResult } from './report.ts';
import { scenarioEntries } from './scenarios/index.ts';

const usage = `usage: pnpm bench [--quick] [--only <name>[,<name>…]] [--json <file>] [--markdown <file>]
scenarios: ${scenarioEntries.map((s) => s.name).join(', ')}`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    json: { type: 'string' },
    markdown: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

const wanted = (values.only ?? []).flatMap((list) => list.split(',')).filter((n) => n !== '');
const unknown = wanted.filter((name) => !scenarioEntries.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}\n${usage}`);
  process.exit(2);
}
const selected =
  wanted.length === 0 ? scenarioEntries : scenarioEntries.filter((s) => wanted.includes(s.name));

const env = environment();
const quick = values.quick;
const log = (line: string) => process.stderr.write(`${line}\n`);
const loader = fileURLToPath(new URL('loader/run.mjs', import.meta.url));
const runner = fileURLToPath(new URL('run-scenario.ts', import.meta.url));

/** Run one scenario in a fresh process; its progress goes to our stderr. */
function runScenario(name: string): Promise<ScenarioOutcome> {
  return new Promise((resolve, reject) => {
    const args = ['--expose-gc', loader, runner, name, ...(quick ? ['--quick'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(outcomePrefix));
      if (code !== 0 || line === undefined) {
        reject(new Error(`scenario ${name} failed (exit code ${code})\n${stdout}`));
        return;
      }
      resolve(JSON.parse(line.slice(outcomePrefix.length)) as ScenarioOutcome);
    });
  });
}

log(`ocre-ts bench: node ${env.node}, ${env.cpu} × ${env.cores}, ${quick ? 'quick' : 'full'} mode`);
const results: ScenarioResult[] = [];
const notes: string[] = [];
const failed: string[] = [];
const started = performance.now();
for (const { name } of selected) {
  log(`▶ ${name}`);
  const at = performance.now();
  try {
    const outcome = await runScenario(name);
    results.push(...outcome.results);
    notes.push(...outcome.notes.map((note) => `${name}: ${note}`));
  } catch (error) {
    failed.push(name);
    log(error instanceof Error ? error.message : String(error));
  }
  log(`  ${name} took ${((performance.now() - at) / 1000).toFixed(1)} s`);
}
log(`all scenarios took ${((performance.now() - started) / 1000).toFixed(1)} s`);

process.stdout.write(`\n${formatTable(results)}\n`);
if (notes.length > 0) process.stdout.write(`${notes.map((n) => `- ${n}`).join('\n')}\n`);

if (values.json !== undefined) {
  await writeFile(values.json, reportJson(benchReport(env, quick, results)));
  log(`wrote ${values.json}`);
}
if (values.markdown !== undefined) {
  // Formatted as `pnpm lint` expects, so a committed RESULTS.md stays lint-clean.
  const markdown = formatMarkdown(env, quick, results, notes);
  const options = (await resolveConfig(values.markdown)) ?? {};
  await writeFile(values.markdown, await format(markdown, { ...options, parser: 'markdown' }));
  log(`wrote ${values.markdown}`);
}
if (failed.length > 0) {
  log(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
