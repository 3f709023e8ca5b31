// Owns finding the seed document and cutting its C example programs out of it, verbatim.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The seed document: `<repo>/../shared/seed/…`, with the repo root two levels above this package. */
export const seedDocumentPath = fileURLToPath(
  new URL('../../../../shared/seed/ocre-inter-container-messaging.txt', import.meta.url),
);

/** Where the extracted programs are committed, in the seed's order (publisher, subscriber). */
export const seedProgramPaths = [
  fileURLToPath(new URL('../test/c/seed-publisher.c', import.meta.url)),
  fileURLToPath(new URL('../test/c/seed-subscriber.c', import.meta.url)),
] as const;

/** Whether the seed document is present (it sits outside the repository). */
export function hasSeedDocument(): boolean {
  return existsSync(seedDocumentPath);
}

/**
 * Cuts every C program out of the seed text: from each `#include <stdio.h>` line through the
 * `}` that closes its `int main(`, byte for byte, each returned with a trailing newline.
 * @param text The seed document's contents.
 */
export function extractSeedPrograms(text: string): string[] {
  const lines = text.split('\n');
  const programs: string[] = [];
  let index = 0;
  while (index < lines.length) {
    if (lines[index] !== '#include <stdio.h>') {
      index += 1;
      continue;
    }
    const start = index;
    const mainLine = lines.findIndex((line, at) => at > start && /^\s*int\s+main\s*\(/.test(line));
    if (mainLine < 0) throw new Error(`seed: no main() after the #include on line ${start + 1}`);
    const end = closingBraceLine(lines, mainLine);
    programs.push(`${lines.slice(start, end + 1).join('\n')}\n`);
    index = end + 1;
  }
  return programs;
}

/** The index of the line holding the `}` that balances the first `{` at or after `from`. */
function closingBraceLine(lines: readonly string[], from: number): number {
  let depth = 0;
  let opened = false;
  let inBlockComment = false;
  for (let at = from; at < lines.length; at += 1) {
    const line = lines[at] ?? '';
    for (let col = 0; col < line.length; col += 1) {
      const char = line[col];
      if (inBlockComment) {
        if (char === '*' && line[col + 1] === '/') {
          inBlockComment = false;
          col += 1;
        }
      } else if (char === '/' && line[col + 1] === '/') {
        break;
      } else if (char === '/' && line[col + 1] === '*') {
        inBlockComment = true;
        col += 1;
      } else if (char === '"' || char === "'") {
        // Skip the literal so braces inside format strings do not count.
        col += 1;
        while (col < line.length && line[col] !== char) col += line[col] === '\\' ? 2 : 1;
      } else if (char === '{') {
        depth += 1;
        opened = true;
      } else if (char === '}') {
        depth -= 1;
        if (opened && depth === 0) return at;
      }
    }
  }
  throw new Error(`seed: main() starting on line ${from + 1} is never closed`);
}
