// Owns regenerating test/c/seed-*.c from the seed document: `tsx scripts/extract-seed.ts`.
import { readFile, writeFile } from 'node:fs/promises';
import { extractSeedPrograms, seedDocumentPath, seedProgramPaths } from './seed-programs.ts';

const programs = extractSeedPrograms(await readFile(seedDocumentPath, 'utf8'));
if (programs.length !== seedProgramPaths.length) {
  throw new Error(
    `expected ${seedProgramPaths.length} programs in ${seedDocumentPath}, found ${programs.length}`,
  );
}
for (const [index, path] of seedProgramPaths.entries()) {
  await writeFile(path, programs[index] ?? '');
  console.log(`wrote ${path}`);
}
