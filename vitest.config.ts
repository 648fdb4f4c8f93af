import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.data/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files start real servers on free ports; two workers match the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
