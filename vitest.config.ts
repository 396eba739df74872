import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // makeEnv() checks every answer of a route in the API document against the document.
    env: { GONGKAI_CHECK_RESPONSES: '1' },
    maxWorkers: 2,
    reporters: ['default'],
  },
});
