// Owns the demo's files in the built CLI: copies the temperature example (system file, committed .wasm modules, C sources) into dist/examples/temperature, where the built `ocre demo` looks.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../examples/temperature/', import.meta.url));
const target = fileURLToPath(new URL('../dist/examples/temperature/', import.meta.url));
/** What the demo reads (the system file and its modules), and the C they were built from. */
const shipped = new Set(['.yaml', '.wasm', '.c']);

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
const files = readdirSync(source).filter((name) => shipped.has(extname(name)));
for (const name of files) cpSync(join(source, name), join(target, name));
if (!files.includes('system.yaml')) {
  throw new Error(`no system.yaml in ${source}: the built ocre demo would have nothing to run`);
}
console.log(`copied ${files.length} demo files into ${target}`);
