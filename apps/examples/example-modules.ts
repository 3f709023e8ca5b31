// Owns building an example's committed modules from its C sources, or with --check verifying they rebuild identically and that the seed's programs are still unchanged copies.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContainer } from '@ocre-ts/wasm-adapter';

const seedDir = fileURLToPath(new URL('../../packages/wasm-adapter/test/c/', import.meta.url));

/** One module of an example: its C file's name, its flags, and for a seed program the fixture it must stay a copy of. */
export interface ExampleModule {
  readonly name: string;
  readonly flags: readonly string[];
  readonly seed?: string;
}

async function buildInto(dir: string, outDir: string, modules: readonly ExampleModule[]) {
  for (const module of modules) {
    const { stderr } = await buildContainer(join(dir, `${module.name}.c`), {
      outFile: join(outDir, `${module.name}.wasm`),
      extraFlags: [...module.flags],
    });
    if (stderr !== '' && module.seed === undefined)
      console.warn(`warnings building ${module.name}.c:\n${stderr}`);
  }
}

async function problemsOf(dir: string, modules: readonly ExampleModule[]): Promise<string[]> {
  const fresh = await mkdtemp(join(tmpdir(), 'ocre-example-'));
  const problems: string[] = [];
  try {
    await buildInto(dir, fresh, modules);
    for (const module of modules) {
      const file = `${module.name}.wasm`;
      const committed = await readFile(join(dir, file)).catch(() => undefined);
      if (committed === undefined) problems.push(`missing: ${file}`);
      else if (!committed.equals(await readFile(join(fresh, file))))
        problems.push(`differs: ${file}`);
      if (module.seed !== undefined) {
        const [copy, seed] = await Promise.all([
          readFile(join(dir, `${module.name}.c`)),
          readFile(join(seedDir, module.seed)),
        ]);
        if (!copy.equals(seed))
          problems.push(`${module.name}.c is no longer a copy of the seed's ${module.seed}`);
      }
    }
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
  return problems;
}

/**
 * Build the example in `dirUrl` (rebuild its `.wasm` files in place), or with `--check` on the
 * command line build into a temporary folder and set exit code 1 if anything differs.
 *
 * @param dirUrl - the example's folder (`new URL('.', import.meta.url)` from its build script)
 * @param label - how messages name the example (`apps/examples/temperature`)
 * @param modules - its modules
 */
export async function buildExample(
  dirUrl: URL,
  label: string,
  modules: readonly ExampleModule[],
): Promise<void> {
  const dir = fileURLToPath(dirUrl);
  if (!process.argv.includes('--check')) {
    await buildInto(dir, dir, modules);
    console.log(`built ${modules.map((m) => `${m.name}.wasm`).join(', ')} in ${dir}`);
    return;
  }
  const problems = await problemsOf(dir, modules);
  if (problems.length > 0) {
    console.error(
      `${label} is out of date; run \`pnpm build:fixtures\`:\n  ${problems.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`${label} is up to date (${modules.length} modules)`);
  }
}
