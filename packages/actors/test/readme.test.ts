// Keeps the README honest: its ts examples are examples/restart-example.ts and examples/fault-injection-example.ts byte for byte, and each prints what the README shows.
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, it, expect, vi } from 'vitest';

const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), 'utf8');

/** The bodies of every fenced block in `markdown` opened with exactly ```lang. */
function fencedBlocks(markdown: string, lang: string): string[] {
  const fence = new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...markdown.matchAll(fence)].map((match) => match[1] ?? '');
}

async function runExample(load: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(format(...args));
  });
  try {
    await load();
  } finally {
    log.mockRestore();
  }
  return lines;
}

describe('README.md', () => {
  const readme = read('../README.md');

  it('has two ts blocks, identical to examples/restart-example.ts and examples/fault-injection-example.ts', () => {
    expect(fencedBlocks(readme, 'ts')).toEqual([
      read('../examples/restart-example.ts'),
      read('../examples/fault-injection-example.ts'),
    ]);
  });

  it('runs the example: the display faults, is restarted, and the output is what the README shows', async () => {
    const lines = await runExample(() => import('../examples/restart-example.ts'));
    expect(lines).toMatchInlineSnapshot(`
      [
        "events$: display running",
        "events$: sensor running",
        "topic$: #0 {"celsius":21.5}",
        "topic$: #1 {"celsius":-999}",
        "topic$: #2 {"celsius":22}",
        "[display] 21.5 °C (reading 1 of this instance)",
        "events$: message #1 dead-lettered (handler-fault)",
        "events$: display faulted: Error: impossible reading: -999 °C",
        "events$: display restarting in 20 ms",
        "events$: display running",
        "[display] 22 °C (reading 1 of this instance)",
        "stopped: 3 published, 2 delivered, 1 dead-lettered",
      ]
    `);
    expect(fencedBlocks(readme, 'text')).toContain(`${lines.join('\n')}\n`);
  });

  it('runs the fault-injection example: the same faults fire every run, and the history holds', async () => {
    const lines = await runExample(() => import('../examples/fault-injection-example.ts'));
    expect(lines).toMatchInlineSnapshot(`
      [
        "0 ms: drop display: dropped message 0",
        "20 ms: delay logger: held message 2 back 30 ms",
        "20 ms: throw display: on message 2",
        "50 ms: drop display: dropped message 5",
        "[logger] reading #0",
        "[display] 21 °C",
        "[logger] reading #1",
        "[display] 23 °C",
        "[display] 24 °C",
        "[logger] reading #2",
        "[logger] reading #3",
        "[logger] reading #4",
        "[logger] reading #5",
        "dead letter #0 for display: dropped",
        "dead letter #2 for display: handler-fault",
        "dead letter #5 for display: dropped",
        "37 steps recorded, 0 violations (seed 7)",
      ]
    `);
    expect(fencedBlocks(readme, 'text')).toContain(`${lines.join('\n')}\n`);
  });
});
