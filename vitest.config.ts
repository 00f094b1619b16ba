import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: more workers only contend (and the PostgreSQL server shares them).
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});
