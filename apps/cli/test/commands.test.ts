import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { repoRoot, runOcre, tempDir } from './helpers.ts';

describe.concurrent('help', () => {
  it.for(['run', 'build', 'inspect', 'demo'])(
    'ocre %s --help shows usage and examples',
    async (command, { expect }) => {
      const { code, stdout } = await runOcre([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: ocre ${command} `));
      expect(stdout).toMatch(/\nExamples:\n {2}ocre /);
    },
  );

  it('ocre --help lists every command', async ({ expect }) => {
    const { code, stdout } = await runOcre(['--help']);
    expect(code).toBe(0);
    for (const command of ['demo', 'run', 'inspect', 'build'])
      expect(stdout).toContain(`\n  ${command} `);
  });
});

describe.concurrent('ocre inspect', () => {
  it('prints the messaging options and the supervision tree', async ({ expect }) => {
    const { code, stdout } = await runOcre(['inspect', 'apps/examples/ts-pipeline/system.yaml']);
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
      "system file apps/examples/ts-pipeline/system.yaml is valid

      messaging: router queue 100, mailboxes 50, wildcard topic matching

      root: supervisor one-for-one, at most 5 restarts within 10000 ms, backoff 20–500 ms
      ├─ sensor    module ./sensor.ts
      └─ pipeline  supervisor rest-for-one, at most 4 restarts within 5000 ms, backoff 50–400 ms
         ├─ converter  module ./converter.ts · handlerTimeoutMs 1000
         └─ logger     module ./logger.ts

      topic map: containers subscribe as they start; add --probe 1s to learn it by running
      "
    `);
  });

  it('learns the topic map with --probe', async ({ expect }) => {
    const { code, stdout } = await runOcre([
      'inspect',
      'apps/examples/ts-pipeline/system.yaml',
      '--probe',
      '700ms',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('topic map (from a 700 ms probe run):');
    expect(stdout).toMatch(/\n {2}readings\/# {2}0 published {2}→ logger \(print\)\n/);
    expect(stdout).toMatch(/\n {2}readings\/celsius {2}\d+ published {2}→ converter \(convert\)\n/);
  });
});

describe.concurrent('ocre build', () => {
  it('compiles each C source to <dir>/<name>.wasm', async ({ expect }) => {
    const out = tempDir();
    const source = 'apps/examples/temperature/flaky-sensor.c';
    const { code, stdout } = await runOcre(['build', source, '-o', out]);
    expect(code).toBe(0);
    expect(stdout).toContain(`from ${source}`);
    const built = join(out, 'flaky-sensor.wasm');
    expect(existsSync(built)).toBe(true);
    // The committed module is exactly what the same source builds to.
    const committed = readFileSync(join(repoRoot, 'apps/examples/temperature/flaky-sensor.wasm'));
    expect(readFileSync(built).equals(committed)).toBe(true);
  });

  it('says how to install clang when there is none (exit 1)', async ({ expect }) => {
    const { code, stderr } = await runOcre(
      ['build', 'apps/examples/temperature/flaky-sensor.c', '-o', tempDir()],
      { env: { OCRE_CLANG: '/nonexistent/clang' } },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'No clang found to build WebAssembly containers (tried /nonexistent/clang)',
    );
    expect(stderr).toContain('apt-get install -y clang-14');
  });

  it('reports a compile error with clang output (exit 1)', async ({ expect }) => {
    const { code, stderr } = await runOcre([
      'build',
      'apps/cli/test/fixtures/broken.c',
      '-o',
      tempDir(),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('clang failed to build');
    expect(stderr).toContain('broken.c');
  });

  it('needs -o (exit 2)', async ({ expect }) => {
    const { code, stderr } = await runOcre(['build', 'apps/examples/temperature/flaky-sensor.c']);
    expect(code).toBe(2);
    expect(stderr).toContain('ocre build needs -o <dir>');
  });
});
