// Builds the ocre-current example's committed modules from its C sources, or with --check verifies they rebuild identically.
//
//   tsx apps/examples/ocre-current/build.ts          rebuild the .wasm files in place
//   tsx apps/examples/ocre-current/build.ts --check  build into a temp dir; exit 1 if anything differs
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContainer } from '@ocre-ts/wasm-adapter';

const here = fileURLToPath(new URL('.', import.meta.url));
const seedDir = fileURLToPath(new URL('../../../packages/wasm-adapter/test/c/', import.meta.url));

/** Each module, its flags, and for the seed's programs the fixture it must stay a copy of. */
const modules = [
  { name: 'current-publisher', flags: ['-Wall', '-Wextra', '-Werror'] },
  { name: 'current-subscriber', flags: ['-Wall', '-Wextra', '-Werror'] },
  { name: 'seed-subscriber', flags: ['-Wall', '-Wextra'], seed: 'seed-subscriber.c' },
] as const;

async function buildInto(outDir: string): Promise<void> {
  for (const module of modules) {
    const { stderr } = await buildContainer(join(here, `${module.name}.c`), {
      outFile: join(outDir, `${module.name}.wasm`),
      extraFlags: module.flags,
    });
    if (stderr !== '' && !('seed' in module))
      console.warn(`warnings building ${module.name}.c:\n${stderr}`);
  }
}

if (process.argv.includes('--check')) {
  const fresh = await mkdtemp(join(tmpdir(), 'ocre-current-'));
  const problems: string[] = [];
  try {
    await buildInto(fresh);
    for (const module of modules) {
      const file = `${module.name}.wasm`;
      const committed = await readFile(join(here, file)).catch(() => undefined);
      if (committed === undefined) problems.push(`missing: ${file}`);
      else if (!committed.equals(await readFile(join(fresh, file))))
        problems.push(`differs: ${file}`);
      if ('seed' in module) {
        const [copy, seed] = await Promise.all([
          readFile(join(here, `${module.name}.c`)),
          readFile(join(seedDir, module.seed)),
        ]);
        if (!copy.equals(seed))
          problems.push(`${module.name}.c is no longer a copy of the seed's ${module.seed}`);
      }
    }
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(
      `apps/examples/ocre-current is out of date; run \`pnpm build:fixtures\`:\n  ${problems.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`apps/examples/ocre-current is up to date (${modules.length} modules)`);
  }
} else {
  await buildInto(here);
  console.log(`built ${modules.map((m) => `${m.name}.wasm`).join(', ')} in ${here}`);
}
