// Vitest project for @ocre-ts/bridge-mqtt.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'bridge-mqtt',
    include: ['test/**/*.test.ts'],
    // Every test runs a real broker and waits for reconnects with vi.waitFor (up to 10 s) on a
    // machine that may be busy: the default 5 s would cut such a wait short.
    testTimeout: 20_000,
  },
});
