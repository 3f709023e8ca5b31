// Tests buildContainer, the SDK header's two call shapes, and the seed programs extracted from the seed document.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer, findClang, sdkIncludeDir } from '../src/toolchain/build.ts';
import { BuildError, ClangNotFoundError } from '../src/errors.ts';
import {
  extractSeedPrograms,
  hasSeedDocument,
  seedDocumentPath,
  seedProgramPaths,
} from '../scripts/seed-programs.ts';
import { readSignatures, webAssembly } from './wasm-signatures.ts';

const sourceDir = fileURLToPath(new URL('c/', import.meta.url));
const strict = ['-Wall', '-Wextra', '-Werror'];
// Compiling and linking takes a second or two; leave room for slow CI machines.
const timeout = 60_000;

const ocreImports = {
  'env.ocre_msg_system_init': '() -> ()',
  'env.ocre_publish_message': '(i32, i32, i32, i32) -> i32',
  'env.ocre_subscribe_message': '(i32, i32) -> i32',
  'env.ocre_sleep': '(i32) -> i32',
} as const;

let outDir = '';
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'ocre-build-test-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Builds `test/c/<name>.c` into the temp dir and returns the module's bytes and clang's stderr. */
async function buildFixture(name: string, extraFlags: readonly string[] = ['-Wall', '-Wextra']) {
  const result = await buildContainer(join(sourceDir, `${name}.c`), {
    outFile: join(outDir, `${name}.wasm`),
    extraFlags,
  });
  return { ...result, bytes: await readFile(result.outFile) };
}

/** Builds C source text given inline. */
async function buildSource(name: string, source: string, extraFlags: readonly string[] = strict) {
  const file = join(outDir, `${name}.c`);
  await writeFile(file, source);
  return buildContainer(file, { outFile: join(outDir, `${name}.wasm`), extraFlags });
}

/** The `env` imports of a module, with signatures; throws if it imports from any other module but WASI. */
async function envImports(bytes: Uint8Array): Promise<Record<string, string>> {
  const module = await webAssembly.compile(bytes);
  for (const { module: from, kind } of webAssembly.Module.imports(module)) {
    expect(kind).toBe('function');
    expect(['env', 'wasi_snapshot_preview1']).toContain(from);
  }
  const { imports } = readSignatures(bytes);
  return Object.fromEntries([...imports].filter(([key]) => key.startsWith('env.')));
}

describe('buildContainer', () => {
  it('builds the seed publisher unchanged, without warnings', { timeout }, async () => {
    const { bytes, stderr } = await buildFixture('seed-publisher');
    expect(stderr).toBe('');
    expect(await envImports(bytes)).toEqual({
      'env.ocre_msg_system_init': ocreImports['env.ocre_msg_system_init'],
      'env.ocre_publish_message': ocreImports['env.ocre_publish_message'],
      'env.ocre_sleep': ocreImports['env.ocre_sleep'],
    });
  });

  it(
    'builds the seed subscriber unchanged, exporting its handler and memory',
    { timeout },
    async () => {
      const { bytes, stderr } = await buildFixture('seed-subscriber');
      expect(stderr).toBe('');
      expect(await envImports(bytes)).toEqual({
        'env.ocre_msg_system_init': ocreImports['env.ocre_msg_system_init'],
        'env.ocre_subscribe_message': ocreImports['env.ocre_subscribe_message'],
        'env.ocre_sleep': ocreImports['env.ocre_sleep'],
      });
      const module = await webAssembly.compile(bytes);
      expect(webAssembly.Module.exports(module)).toEqual(
        expect.arrayContaining([
          { name: 'temperature_handler', kind: 'function' },
          { name: 'memory', kind: 'memory' },
        ]),
      );
      // No allocator unless asked for: the host must cope without one.
      const names = webAssembly.Module.exports(module).map((entry) => entry.name);
      expect(names).not.toContain('malloc');
      expect(readSignatures(bytes).exports.get('temperature_handler')).toBe('(i32) -> ()');
    },
  );

  it('builds the documented call shape (no exec_env) under -Werror', { timeout }, async () => {
    const { bytes, stderr } = await buildFixture('documented-shape', strict);
    expect(stderr).toBe('');
    expect(await envImports(bytes)).toEqual(ocreImports);
    expect(readSignatures(bytes).exports.get('shape_handler')).toBe('(i32) -> ()');
  });

  it(
    'accepts an optional leading exec_env on every call, even under -pedantic',
    { timeout },
    async () => {
      const source = `#include "messaging.h"
__attribute__((export_name("h"))) void h(ocre_msg_t *msg) { (void)msg; }
int main(void) {
    ocre_msg_system_init();
    ocre_msg_system_init(NULL);
    int a = ocre_publish_message("t", "text/plain", "x", 2);
    int b = ocre_publish_message(NULL, "t", "text/plain", "x", 2);
    int c = ocre_subscribe_message("t", "h");
    int d = ocre_subscribe_message(NULL, "t", "h");
    int e = ocre_sleep(1) + ocre_sleep(NULL, 2);
    int (*sleep_fn)(int) = &ocre_sleep;
    return a + b + c + d + e + (ocre_sleep)(3) + sleep_fn(4);
}
`;
      const { outFile, stderr } = await buildSource('all-shapes', source, [
        ...strict,
        '-pedantic',
        '-std=c11',
      ]);
      expect(stderr).toBe('');
      expect(await envImports(await readFile(outFile))).toEqual(ocreImports);
    },
  );

  it(
    'rejects a call with neither argument count, naming the accepted ones',
    { timeout },
    async () => {
      const source = `#include "messaging.h"
int main(void) { return ocre_publish_message("t", "text/plain", "x"); }
`;
      const error: unknown = await buildSource('wrong-arity', source).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(BuildError);
      expect((error as BuildError).stderr).toContain(
        'ocre_publish_message_accepts_the_documented_arguments_or_a_leading_exec_env',
      );
    },
  );

  it('exports malloc and free only with exportAllocator', { timeout }, async () => {
    const { outFile } = await buildContainer(join(sourceDir, 'seed-subscriber.c'), {
      outFile: join(outDir, 'with-allocator.wasm'),
      exportAllocator: true,
    });
    const module = await webAssembly.compile(await readFile(outFile));
    const names = webAssembly.Module.exports(module).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['malloc', 'free', 'temperature_handler']));
  });

  it('produces the same bytes when building the same source twice', { timeout }, async () => {
    const first = await buildContainer(join(sourceDir, 'seed-publisher.c'), {
      outFile: join(outDir, 'twice-1.wasm'),
    });
    const second = await buildContainer(join(sourceDir, 'seed-publisher.c'), {
      outFile: join(outDir, 'nested', 'twice-2.wasm'),
    });
    expect(Buffer.compare(await readFile(first.outFile), await readFile(second.outFile))).toBe(0);
  });

  it(
    'produces the same bytes when a wasm-opt is on the PATH (clang would run it after linking)',
    { timeout },
    async () => {
      const plain = await buildContainer(join(sourceDir, 'seed-publisher.c'), {
        outFile: join(outDir, 'no-wasm-opt.wasm'),
      });
      // A wasm-opt that would corrupt the module if clang ran it.
      const binDir = await mkdtemp(join(tmpdir(), 'ocre-fake-wasm-opt-'));
      await writeFile(join(binDir, 'wasm-opt'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
      const path = process.env['PATH'];
      process.env['PATH'] = `${binDir}:${path ?? ''}`;
      try {
        const shadowed = await buildContainer(join(sourceDir, 'seed-publisher.c'), {
          outFile: join(outDir, 'with-wasm-opt.wasm'),
        });
        expect(
          Buffer.compare(await readFile(plain.outFile), await readFile(shadowed.outFile)),
        ).toBe(0);
      } finally {
        process.env['PATH'] = path;
        await rm(binDir, { recursive: true, force: true });
      }
    },
  );

  it('rejects a compile error with BuildError carrying clang’s message', { timeout }, async () => {
    const file = join(outDir, 'syntax-error.c');
    await writeFile(file, 'int main(void) {\n    return 0\n}\n');
    const error: unknown = await buildContainer(file, {
      outFile: join(outDir, 'syntax-error.wasm'),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BuildError);
    const buildError = error as BuildError;
    expect(buildError.code).toBe('BUILD_FAILED');
    expect(buildError.files).toEqual([file]);
    expect(buildError.stderr).toContain("error: expected ';' after return statement");
    expect(buildError.message).toContain(buildError.stderr.trimEnd());
    expect(buildError.exitCode).toBe(1);
  });

  it('rejects with ClangNotFoundError and the install line when clang is missing', async () => {
    const error: unknown = await buildContainer(join(sourceDir, 'seed-publisher.c'), {
      outFile: join(outDir, 'never.wasm'),
      clang: '/nonexistent/clang',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClangNotFoundError);
    expect((error as ClangNotFoundError).code).toBe('CLANG_NOT_FOUND');
    expect((error as ClangNotFoundError).message).toMatchInlineSnapshot(
      `"No clang found to build WebAssembly containers (tried /nonexistent/clang). Install one with \`apt-get install -y clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32\`, or point OCRE_CLANG at a clang that targets wasm32-wasi."`,
    );
  });

  it('uses $OCRE_CLANG instead of searching the PATH', async () => {
    const saved = process.env['OCRE_CLANG'];
    process.env['OCRE_CLANG'] = '/nonexistent/env-clang';
    try {
      const error: unknown = await findClang().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ClangNotFoundError);
      expect((error as ClangNotFoundError).tried).toEqual(['/nonexistent/env-clang']);
    } finally {
      if (saved === undefined) delete process.env['OCRE_CLANG'];
      else process.env['OCRE_CLANG'] = saved;
    }
  });

  it('puts the SDK header on the include path', async () => {
    const header = await readFile(join(sdkIncludeDir, 'messaging.h'), 'utf8');
    expect(header).toContain('typedef struct ocre_msg {');
  });
});

describe('seed programs', () => {
  it(
    'are the seed document’s examples, verbatim (or still build without it)',
    { timeout },
    async () => {
      const committed = await Promise.all(seedProgramPaths.map((path) => readFile(path, 'utf8')));
      if (hasSeedDocument()) {
        expect(committed).toEqual(extractSeedPrograms(await readFile(seedDocumentPath, 'utf8')));
      } else {
        // The seed lives outside the repository; without it, the copies must at least still build.
        for (const path of seedProgramPaths) {
          await expect(
            buildContainer(path, { outFile: join(outDir, 'seed-copy.wasm') }),
          ).resolves.toMatchObject({ stderr: '' });
        }
      }
      expect(committed[0]).toContain(
        'ocre_publish_message(NULL, topic, content_type, payload, payload_len)',
      );
      expect(committed[1]).toContain(
        'ocre_subscribe_message(NULL, "sensors/temperature", "temperature_handler")',
      );
    },
  );

  it('extracts from the first `#include <stdio.h>` through the brace closing main', () => {
    const text = [
      'prose before',
      '#include <stdio.h>',
      'static const char *s = "}{";',
      'int main(void) {',
      'while (1) {',
      '// a } in a comment',
      '}',
      'return 0;',
      '}',
      'prose after',
    ].join('\n');
    expect(extractSeedPrograms(text)).toEqual([
      [
        '#include <stdio.h>',
        'static const char *s = "}{";',
        'int main(void) {',
        'while (1) {',
        '// a } in a comment',
        '}',
        'return 0;',
        '}',
        '',
      ].join('\n'),
    ]);
  });
});
