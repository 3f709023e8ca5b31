// Owns the installed-package test: packs every published package with pnpm (which builds it), installs the tarballs with plain npm into an empty project outside the workspace, and uses them there as a user would.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  exec,
  expectSuccess,
  plainEnvironment,
  pnpmCommand,
  publishedPackages,
  repoRoot,
  tsxTraceFlag,
} from './install-helpers.ts';

const packages = publishedPackages();
/** Everything the test makes lives here, outside the workspace; removed at the end. */
let work = '';
/** The empty npm project the tarballs are installed into. */
let project = '';

/** A consumer of the declarations: every entry point, one deliberate type error on line 17. */
const consumerSource = `import { createOcreSystem, defineContainer } from '@ocre-ts/actors';
import type { ContainerSpec } from '@ocre-ts/actors';
import { createTestSystem } from '@ocre-ts/actors/testing';
import { readText } from '@ocre-ts/core';
import type { OcreMessage } from '@ocre-ts/core';
import { sdkIncludeDir, wasmContainer } from '@ocre-ts/wasm-adapter';

const echo: ContainerSpec = defineContainer({
  name: 'echo',
  handlers: {
    echo_handler: (message: OcreMessage, ctx) => ctx.log(readText(message)),
  },
});
const system = createOcreSystem({ containers: [echo, wasmContainer({ name: 'c', wasm: 'c.wasm' })] });
const test = createTestSystem({ containers: [echo] });
export const started: Promise<void> = system.start().then(() => test.system.stop()).then(() => undefined);
export const wrong: number = sdkIncludeDir;
`;

/**
 * Strict settings a TypeScript user may well have, with the workspace's Node types. Not
 * exactOptionalPropertyTypes: xstate's own declarations fail it when skipLibCheck is off.
 */
const consumerTsconfig = {
  compilerOptions: {
    strict: true,
    noUncheckedIndexedAccess: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules/@types')],
  },
  include: ['consumer.ts'],
};

/** Run a command in the installed project, as a user there would. */
function inProject(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return exec(command, args, { cwd: project, env: plainEnvironment(env), timeoutMs: 120_000 });
}

/** Every string an `exports` value points at. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(targets);
}

beforeAll(async () => {
  // `pnpm pack` runs each package's prepack (its build), dependencies first.
  work = mkdtempSync(join(tmpdir(), 'ocre-install-'));
  project = join(work, 'project');
  const tarballs = join(work, 'tarballs');
  const [pnpm, ...pnpmArgs] = pnpmCommand();
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  const packArgs = [...pnpmArgs, ...filters, 'pack', '--pack-destination', tarballs];
  expectSuccess('pnpm pack', await exec(pnpm, packArgs, { cwd: repoRoot, timeoutMs: 240_000 }));
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'ocre-install-check', private: true, type: 'module' }),
  );
  const files = readdirSync(tarballs).map((name) => join(tarballs, name));
  expectSuccess(
    'npm install',
    await inProject('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files]),
  );
  cpSync(join(repoRoot, 'apps/examples/temperature'), join(project, 'temperature'), {
    recursive: true,
  });
  cpSync(join(repoRoot, 'apps/examples/ts-pipeline'), join(project, 'ts-pipeline'), {
    recursive: true,
  });
  cpSync(
    join(import.meta.dirname, 'fixtures/installed/ping-pong.mjs'),
    join(project, 'ping-pong.mjs'),
  );
}, 300_000);

// Removing an installed node_modules takes seconds on a loaded machine: give it a minute.
afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
}, 60_000);

describe.concurrent(
  'the packages, packed and installed with npm outside the workspace',
  { timeout: 150_000 }, // each spawns node, npx or tsc, on a CI machine that may be loaded
  () => {
    it('publishes every workspace entry, pointing at built JavaScript and declarations that shipped', ({
      expect,
    }) => {
      expect(packages.map((p) => p.name).sort()).toEqual([
        '@ocre-ts/actors',
        '@ocre-ts/bridge-mqtt',
        '@ocre-ts/cli',
        '@ocre-ts/core',
        '@ocre-ts/wasm-adapter',
      ]);
      for (const { name, exports } of packages) {
        const dir = join(project, 'node_modules', name);
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          exports?: Record<string, unknown>;
          bin?: Record<string, string>;
        };
        expect(Object.keys(manifest.exports ?? {}), name).toEqual(Object.keys(exports));
        const shipped = [...targets(manifest.exports), ...Object.values(manifest.bin ?? {})];
        for (const target of shipped) {
          expect(target, name).toMatch(/^\.\/dist\/.*\.js$|^\.\/dist\/.*\.d\.ts$/);
          expect(existsSync(join(dir, target)), `${name}: ${target}`).toBe(true);
        }
      }
      const cli = join(project, 'node_modules/@ocre-ts/cli');
      expect(readFileSync(join(cli, 'dist/main.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
      expect(existsSync(join(cli, 'src')), 'the CLI ships no TypeScript sources').toBe(false);
    });

    it('imports every entry of every package from plain Node ESM, each from its dist', async ({
      expect,
    }) => {
      const specifiers = packages.flatMap(({ name, exports }) =>
        Object.keys(exports).map((key) => (key === '.' ? name : `${name}${key.slice(1)}`)),
      );
      const program = `
      const found = {};
      for (const specifier of ${JSON.stringify(specifiers)}) {
        const entry = await import(specifier);
        found[specifier] = { url: import.meta.resolve(specifier), names: Object.keys(entry) };
      }
      const { sdkIncludeDir } = await import('@ocre-ts/wasm-adapter');
      const { existsSync } = await import('node:fs');
      found.sdkHeader = existsSync(sdkIncludeDir + '/messaging.h');
      console.log(JSON.stringify(found));`;
      const { stdout } = expectSuccess(
        'node -e',
        await inProject(process.execPath, ['--input-type=module', '-e', program]),
      );
      const found = JSON.parse(stdout) as Record<string, { url: string; names: string[] }> & {
        sdkHeader: boolean;
      };
      const installed = pathToFileURL(join(project, 'node_modules')).href;
      for (const specifier of specifiers) {
        expect(found[specifier]?.url, specifier).toMatch(
          new RegExp(`^${installed}/.*/dist/.*\\.js$`),
        );
        expect(found[specifier]?.names.length, specifier).toBeGreaterThan(0);
      }
      expect(found['@ocre-ts/actors']?.names).toContain('createOcreSystem');
      expect(found['@ocre-ts/actors/testing']?.names).toContain('createTestSystem');
      expect(found['@ocre-ts/wasm-adapter']?.names).toContain('wasmContainer');
      expect(found['@ocre-ts/bridge-mqtt']?.names).toContain('defineMqttBridge');
      expect(found.sdkHeader, 'the SDK header ships beside dist').toBe(true);
    });

    it('ships declarations a strict TypeScript project type-checks against', async ({ expect }) => {
      // One deliberate error proves the types are real (not `any`); nothing else may fail,
      // in our declarations or in those they reach (skipLibCheck is off).
      writeFileSync(join(project, 'consumer.ts'), consumerSource);
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(consumerTsconfig));
      const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
      const result = await inProject(process.execPath, [tsc, '-p', '.']);
      expect(result.stdout.trim()).toBe(
        "consumer.ts(17,14): error TS2322: Type 'string' is not assignable to type 'number'.",
      );
    });

    it('runs a JavaScript program whose two TypeScript containers exchange messages', async ({
      expect,
    }) => {
      const { stdout } = expectSuccess(
        'node ping-pong.mjs',
        await inProject(process.execPath, ['ping-pong.mjs']),
      );
      const lines = stdout.trim().split('\n');
      expect(lines.slice(0, -1).sort()).toEqual([
        '[ping] got pong 1',
        '[ping] got pong 2',
        '[ping] got pong 3',
        '[pong] got ping 1',
        '[pong] got ping 2',
        '[pong] got ping 3',
      ]);
      expect(lines.at(-1)).toBe('stopped: 6 published, 6 delivered, 0 dead-lettered');
    });

    it('npx ocre run runs the temperature example (WebAssembly in workers) without loading tsx', async ({
      expect,
    }) => {
      const trace = join(work, 'tsx-temperature.trace');
      const result = await inProject(
        'npx',
        ['ocre', 'run', 'temperature/system.yaml', '--for', '2s'],
        {
          NODE_OPTIONS: tsxTraceFlag(),
          OCRE_TSX_TRACE: trace,
        },
      );
      expectSuccess('npx ocre run temperature', result);
      expect(result.stdout).toMatch(
        /^\[subscriber\] Payload: \{"temperature": \d+\.\d, "unit": "celsius"\}$/m,
      );
      expect(result.stderr).toMatch(/ocre: stopped \(ran for the requested 2000 ms\)/);
      expect(existsSync(trace), 'no .ts module named, so tsx was never loaded').toBe(false);
    });

    it('npx ocre run loads tsx when the system file names TypeScript modules', async ({
      expect,
    }) => {
      const trace = join(work, 'tsx-pipeline.trace');
      const result = await inProject(
        'npx',
        ['ocre', 'run', 'ts-pipeline/system.yaml', '--for', '2s'],
        {
          NODE_OPTIONS: tsxTraceFlag(),
          OCRE_TSX_TRACE: trace,
        },
      );
      expectSuccess('npx ocre run ts-pipeline', result);
      expect(result.stdout).toMatch(
        /^\[logger\] readings\/fahrenheit #\d+: \{"fahrenheit":[\d.]+\}$/m,
      );
      expect(readFileSync(trace, 'utf8')).toContain('/node_modules/tsx/');
    });

    it('npx ocre demo --for 3s runs the bundled demo and prints its summary', async ({
      expect,
    }) => {
      const result = await inProject('npx', ['ocre', 'demo', '--for', '3s']);
      expectSuccess('npx ocre demo', result);
      expect(result.stdout).toContain(
        'node_modules/@ocre-ts/cli/dist/examples/temperature/system.yaml',
      );
      expect(result.stdout).toMatch(
        /^Summary after [\d.]+ s — stopped: ran for the requested 3000 ms$/m,
      );
      expect(result.stdout).toMatch(
        /^ {2}container +restarts +faults +handled +published +dead letters$/m,
      );
      expect(result.stdout).toMatch(/^ {2}subscriber +0 +0 +[1-9]\d* +0 +\d+$/m);
    });
  },
);
