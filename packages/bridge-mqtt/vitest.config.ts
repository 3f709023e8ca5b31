// Vitest project for @ocre-ts/bridge-mqtt.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'bridge-mqtt',
    include: ['test/**/*.test.ts'],
    // Every test runs a real broker and waits for reconnects with vi.waitFor (up to 10 s, after a
    // reconnect backoff of up to 5 s) on a machine that may be busy: 20 s was cut short once
    // while the whole suite ran on 2 cores.
    testTimeout: 40_000,
  },
});
