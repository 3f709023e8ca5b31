// Keeps the README honest: its ts blocks are the examples byte for byte, and running each against a real mosquitto prints what the README shows.
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), 'utf8');

function fencedBlocks(markdown: string, lang: string): string[] {
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...markdown.matchAll(fence)].map((match) => match[1] ?? '');
}

describe('README.md', () => {
  const readme = read('../README.md');

  it('has two ts blocks, identical to examples/two-systems.ts and examples/durable-outbox.ts', () => {
    expect(fencedBlocks(readme, 'ts')).toEqual([
      read('../examples/two-systems.ts'),
      read('../examples/durable-outbox.ts'),
    ]);
  });

  it('runs the example: readings cross the broker once, with their content types', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(format(...args));
    });
    try {
      await import('../examples/two-systems.ts');
    } finally {
      log.mockRestore();
    }
    expect(`${lines.join('\n')}\n`).toBe(fencedBlocks(readme, 'text')[0]);
    expect(lines).toContain('B: 2 imported, 0 duplicates, 0 loops');
  }, 20_000);

  it('runs the durable outbox example: what a stopped system left in its file arrives first, once', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(format(...args));
    });
    try {
      await import('../examples/durable-outbox.ts');
    } finally {
      log.mockRestore();
    }
    expect(`${lines.join('\n')}\n`).toBe(fencedBlocks(readme, 'text')[1]);
  }, 20_000);
});
