// Root vitest config: every package and app is a project, so `pnpm test --project core` runs one.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
