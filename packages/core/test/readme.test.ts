// Keeps the README honest: its example is examples/facade-example.ts byte for byte, and it runs.
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, it, expect, vi } from 'vitest';

const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), 'utf8');

/** The bodies of every fenced block in `markdown` opened with exactly ```lang. */
function fencedBlocks(markdown: string, lang: string): string[] {
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...markdown.matchAll(fence)].map((match) => match[1] ?? '');
}

async function runExample(): Promise<string[]> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(format(...args));
  });
  try {
    await import('../examples/facade-example.ts');
  } finally {
    log.mockRestore();
  }
  return lines;
}

describe('README.md', () => {
  const readme = read('../README.md');

  it('has one ts block, identical to examples/facade-example.ts', () => {
    expect(fencedBlocks(readme, 'ts')).toEqual([read('../examples/facade-example.ts')]);
  });

  it('runs the example, which prints the output the README shows', async () => {
    const lines = await runExample();
    expect(lines).toMatchInlineSnapshot(`
      [
        "subscribe: 0",
        "publish: 0",
        "publish to "": -1 INVALID_TOPIC",
        "typed publish: mid 1",
        "typed subscribe: INVALID_HANDLER",
        "got #0 sensors/temperature (41 bytes): { temperature: 22.5, unit: 'celsius' }",
        "got #1 sensors/temperature (21 bytes): { temperature: 22.6 }",
      ]
    `);
    expect(fencedBlocks(readme, 'text')).toContain(`${lines.join('\n')}\n`);
  });
});
