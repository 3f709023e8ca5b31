// Vitest project for @ocre-ts/bridge-mqtt.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'bridge-mqtt',
    include: ['test/**/*.test.ts'],
  },
});
