// Owns where a worker thread's code comes from: plain JavaScript always, the built file when the package runs from dist, an esbuild bundle of the TypeScript source when it runs from src in the workspace.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';

const runsFromSource = import.meta.url.endsWith('.ts');
const bundled = new Map<string, URL>();

/**
 * The URL of a plain JavaScript module to hand to `new Worker` for a worker entry of this
 * package. Installed packages run `dist/<entry>.js`; in the workspace, where the package runs
 * from its TypeScript sources, the entry is bundled once per process with esbuild into
 * `node_modules/.cache/ocre-ts/`, so no TypeScript loader ever runs inside a worker.
 *
 * @param entry - the entry's path under the package's source root, without extension (`'pool/pool-worker'`)
 */
export function workerScriptUrl(entry: string): URL {
  if (!runsFromSource) return new URL(`../${entry}.js`, import.meta.url);
  const known = bundled.get(entry);
  if (known !== undefined) return known;
  const url = bundleEntry(entry);
  bundled.set(entry, url);
  return url;
}

function bundleEntry(entry: string): URL {
  // esbuild is a development dependency: only the workspace, running from src, reaches here.
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof Esbuild;
  const source = fileURLToPath(new URL(`../${entry}.ts`, import.meta.url));
  const result = esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
    // binaryen is a 10 MB runtime dependency: load it from node_modules, never inline it.
    external: ['binaryen'],
  });
  const code = result.outputFiles[0]?.contents;
  if (code === undefined) throw new Error(`esbuild produced no output for ${source}`);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const directory = fileURLToPath(new URL('../../node_modules/.cache/ocre-ts/', import.meta.url));
  mkdirSync(directory, { recursive: true });
  const target = `${directory}${entry.replaceAll('/', '-')}-${hash}.mjs`;
  // Write then rename, so a process reading the file never sees half of it.
  const partial = `${target}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, target);
  return pathToFileURL(target);
}
