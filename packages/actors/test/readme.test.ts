// Keeps the README honest: its ts example is examples/restart-example.ts byte for byte, and it prints what the README shows.
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
    await import('../examples/restart-example.ts');
  } finally {
    log.mockRestore();
  }
  return lines;
}

describe('README.md', () => {
  const readme = read('../README.md');

  it('has one ts block, identical to examples/restart-example.ts', () => {
    expect(fencedBlocks(readme, 'ts')).toEqual([read('../examples/restart-example.ts')]);
  });

  it('runs the example: the display faults, is restarted, and the output is what the README shows', async () => {
    const lines = await runExample();
    expect(lines).toMatchInlineSnapshot(`
      [
        "events$: display running",
        "topic$: #0 {"celsius":21.5}",
        "topic$: #1 {"celsius":-999}",
        "topic$: #2 {"celsius":22}",
        "[display] 21.5 °C (reading 1 of this instance)",
        "events$: message #1 dead-lettered (handler-fault)",
        "events$: display faulted: Error: impossible reading: -999 °C",
        "events$: display restarting in 20 ms",
        "events$: sensor running",
        "events$: display running",
        "[display] 22 °C (reading 1 of this instance)",
        "stopped: 3 published, 2 delivered, 1 dead-lettered",
      ]
    `);
    expect(fencedBlocks(readme, 'text')).toContain(`${lines.join('\n')}\n`);
  });
});
