// Vitest project for the reliability suite: real workers and real timers for WebAssembly rows, virtual time for the rest.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'reliability',
    include: ['test/**/*.test.ts'],
    // Its two C fixtures are built at test time: install clang first where we may (as root).
    globalSetup: ['../wasm-adapter/test/toolchain-setup.ts'],
    // Real workers on real time: leave room for a loaded CI machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
