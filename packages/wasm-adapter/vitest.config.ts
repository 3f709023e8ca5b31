// Vitest project for @ocre-ts/wasm-adapter.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'wasm-adapter',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/toolchain-setup.ts'],
    // Real workers on real time: leave room for a loaded CI machine.
    testTimeout: 20_000,
  },
});
