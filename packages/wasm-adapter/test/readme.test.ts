// Keeps the README honest: its C and TypeScript blocks are the example files byte for byte, and the example runs.
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), 'utf8');

/** The bodies of every fenced block in `markdown` opened with exactly ```lang. */
function fencedBlocks(markdown: string, lang: string): string[] {
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...markdown.matchAll(fence)].map((match) => match[1] ?? '');
}

describe('README.md', () => {
  const readme = read('../README.md');

  it('shows examples/hello.c and examples/hello-container.ts as they are', () => {
    expect(fencedBlocks(readme, 'c')[0]).toBe(read('../examples/hello.c'));
    expect(fencedBlocks(readme, 'ts')).toEqual([read('../examples/hello-container.ts')]);
  });

  it('runs the example: builds the C, runs it supervised, and prints what the README shows', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(format(...args));
    });
    try {
      await import('../examples/hello-container.ts');
    } finally {
      log.mockRestore();
    }
    expect(lines).toMatchInlineSnapshot(`
      [
        "event: container.starting",
        "event: container.running",
        "[hello] mid=0 on greetings: hello from C",
        "[hello] mid=1 on greetings: hello from TypeScript",
        "event: container.stopped",
        "published 2, delivered 2",
      ]
    `);
    expect(readme).toContain(lines.join('\n'));
  }, 30_000);
});
