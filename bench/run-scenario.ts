// Owns running one scenario in its own process (started by bench/index.ts) and handing its outcome back as the last stdout line.
//
//   node --expose-gc bench/loader/run.mjs bench/run-scenario.ts <name> [--quick]
import { outcomePrefix } from './harness.ts';
import { scenarioEntries } from './scenarios/index.ts';

const [name, ...flags] = process.argv.slice(2);
const entry = scenarioEntries.find((e) => e.name === name);
if (entry === undefined) throw new Error(`no scenario named ${String(name)}`);
const scenario = await entry.load();
const outcome = await scenario.run({
  quick: flags.includes('--quick'),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${outcomePrefix}${JSON.stringify(outcome)}\n`);
