// Vitest global setup for the WASM tests: make sure clang can build C containers, installing it on Debian when run as root.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { clangInstallCommand } from '../src/errors.ts';
import { findClang } from '../src/toolchain/build.ts';

/** Install clang-14 and the WASI sysroot if they are missing and we may (root on Debian). */
export default async function setup(): Promise<void> {
  try {
    await findClang();
    if (existsSync('/usr/include/wasm32-wasi')) return;
  } catch {
    // Not found: try to install below.
  }
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(
      `wasm-adapter tests need clang for wasm32-wasi; install it with: ${clangInstallCommand}\n`,
    );
    return;
  }
  process.stderr.write('wasm-adapter tests: installing clang-14 and the WASI sysroot (once)…\n');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync(
    'apt-get',
    ['install', '-y', '-qq', 'clang-14', 'lld-14', 'wasi-libc', 'libclang-rt-14-dev-wasm32'],
    { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  );
}
