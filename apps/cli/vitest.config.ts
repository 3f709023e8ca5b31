// Vitest project for @ocre-ts/cli: end-to-end tests that spawn the real `ocre` binary.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
