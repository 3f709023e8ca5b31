// Owns building the committed test modules: every test/c/*.c to test/wasm/<name>.wasm, plus malformed.wasm.
//
//   tsx scripts/build-fixtures.ts          rebuild test/wasm/ in place
//   tsx scripts/build-fixtures.ts --check  build into a temp dir; exit 1 if test/wasm/ differs
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContainer } from '../src/toolchain/build.ts';

const sourceDir = fileURLToPath(new URL('../test/c/', import.meta.url));
const committedDir = fileURLToPath(new URL('../test/wasm/', import.meta.url));

/** Fixtures are held to -Werror; the seed's verbatim programs are not ours to fix, so they only warn. */
const strictFlags = ['-Wall', '-Wextra', '-Werror'];
const seedFlags = ['-Wall', '-Wextra'];
const flagsByFixture: Readonly<Record<string, readonly string[]>> = {
  // A data symbol exported as a wasm global: the "exported non-function" handler name.
  'hostile-abi': [...strictFlags, '-Wl,--export=hostile_data_export'],
  // The host allocates messages with the module's own malloc/free (buildContainer's exportAllocator).
  'allocator-subscriber': [...strictFlags, '-Wl,--export=malloc,--export=free'],
};

/**
 * A module that is not one: the magic and version, then a type section that claims 127 bytes
 * and holds text. Compiling it must fail with a CompileError, not crash the host.
 */
const malformedModule = Buffer.concat([
  Buffer.from('\0asm', 'latin1'),
  Buffer.from([0x01, 0x00, 0x00, 0x00, 0x01, 0x7f]),
  Buffer.from('junk: this is not a WebAssembly module\n', 'latin1'),
]);

async function buildAll(outDir: string): Promise<string[]> {
  const names = (await readdir(sourceDir))
    .filter((file) => file.endsWith('.c'))
    .map((file) => basename(file, '.c'))
    .sort();
  const queue = [...names];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const flags = flagsByFixture[name] ?? (name.startsWith('seed-') ? seedFlags : strictFlags);
      const { stderr } = await buildContainer(join(sourceDir, `${name}.c`), {
        outFile: join(outDir, `${name}.wasm`),
        extraFlags: flags,
      });
      if (stderr !== '') console.warn(`warnings building ${name}.c:\n${stderr}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), 8) }, worker));
  await writeFile(join(outDir, 'malformed.wasm'), malformedModule);
  return [...names.map((name) => `${name}.wasm`), 'malformed.wasm'].sort();
}

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

if (process.argv.includes('--check')) {
  const freshDir = await mkdtemp(join(tmpdir(), 'ocre-fixtures-'));
  try {
    const expected = await buildAll(freshDir);
    const problems: string[] = [];
    for (const file of expected) {
      const committed = await readOrUndefined(join(committedDir, file));
      const fresh = await readFile(join(freshDir, file));
      if (committed === undefined) problems.push(`missing: test/wasm/${file}`);
      else if (!committed.equals(fresh)) problems.push(`differs: test/wasm/${file}`);
    }
    for (const file of await readdir(committedDir)) {
      if (file.endsWith('.wasm') && !expected.includes(file)) {
        problems.push(`stale (no source): test/wasm/${file}`);
      }
    }
    if (problems.length > 0) {
      console.error(
        `test/wasm/ is out of date; run \`pnpm build:fixtures\`:\n  ${problems.join('\n  ')}`,
      );
      process.exitCode = 1;
    } else {
      console.log(`test/wasm/ is up to date (${expected.length} modules)`);
    }
  } finally {
    await rm(freshDir, { recursive: true, force: true });
  }
} else {
  const built = await buildAll(committedDir);
  console.log(`built ${built.length} modules into ${committedDir}`);
}
