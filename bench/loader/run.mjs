// Owns starting a suite process with the TypeScript hooks: `node bench/loader/run.mjs <file.ts> [args…]`.
//
// The hooks are registered from here rather than with `--import`, so they stay out of
// process.execArgv: worker threads (the WASM containers' workers) inherit execArgv, and a
// TypeScript compiler in every worker would add tens of MB to each container's RSS.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./hooks.mjs', import.meta.url);
const [, , script] = process.argv;
if (script === undefined) throw new Error('usage: node bench/loader/run.mjs <file.ts> [args…]');
// The script sees itself as argv[1], as if Node had started it directly.
process.argv.splice(1, 1);
await import(pathToFileURL(script).href);
