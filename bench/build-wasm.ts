// Owns building the bench's C containers: every bench/c/*.c to the committed bench/wasm/<name>.wasm.
//
//   npx --yes pnpm@10.34.8 exec tsx bench/build-wasm.ts          rebuild bench/wasm/ in place
//   npx --yes pnpm@10.34.8 exec tsx bench/build-wasm.ts --check  exit 1 if bench/wasm/ is stale
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContainer } from '@ocre-ts/wasm-adapter';

const sourceDir = fileURLToPath(new URL('c/', import.meta.url));
const committedDir = fileURLToPath(new URL('wasm/', import.meta.url));

async function buildAll(outDir: string): Promise<string[]> {
  const names = (await readdir(sourceDir))
    .filter((file) => file.endsWith('.c'))
    .map((file) => basename(file, '.c'))
    .sort();
  for (const name of names) {
    const { stderr } = await buildContainer(join(sourceDir, `${name}.c`), {
      outFile: join(outDir, `${name}.wasm`),
      extraFlags: ['-Wall', '-Wextra', '-Werror'],
    });
    if (stderr !== '') console.warn(`warnings building ${name}.c:\n${stderr}`);
  }
  return names.map((name) => `${name}.wasm`);
}

if (process.argv.includes('--check')) {
  const freshDir = await mkdtemp(join(tmpdir(), 'ocre-bench-wasm-'));
  try {
    const problems: string[] = [];
    for (const file of await buildAll(freshDir)) {
      const fresh = await readFile(join(freshDir, file));
      const committed = await readFile(join(committedDir, file)).catch(() => undefined);
      if (committed === undefined) problems.push(`missing: bench/wasm/${file}`);
      else if (!committed.equals(fresh)) problems.push(`differs: bench/wasm/${file}`);
    }
    if (problems.length > 0) {
      console.error(
        `bench/wasm/ is out of date; run tsx bench/build-wasm.ts:\n  ${problems.join('\n  ')}`,
      );
      process.exitCode = 1;
    } else {
      console.log('bench/wasm/ is up to date');
    }
  } finally {
    await rm(freshDir, { recursive: true, force: true });
  }
} else {
  const built = await buildAll(committedDir);
  console.log(`built ${built.join(', ')} into bench/wasm/`);
}
