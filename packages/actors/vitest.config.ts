// Vitest project for @ocre-ts/actors.
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'actors',
    include: ['test/**/*.test.ts'],
  },
});
