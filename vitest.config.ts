import { defineConfig } from 'vitest/config';

// Four projects: `unit` (pure domain, no infrastructure, milliseconds), `http` (the API built by
// buildApp() and driven with inject(), no PostgreSQL or Temporal, seconds), `integration` (the real
// PostgreSQL and Temporal server that test/global-setup.ts brings up) and `browser` (the staff
// console in Chromium on such a stack of its own). `npm test` runs all;
// `npx vitest run --project unit` is the fast loop while working on the rules.
export default defineConfig({
  test: {
    // Temporal's native worker and vitest's worker threads do not mix: each test file gets a process.
    pool: 'forks',
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'forks' } },
      { test: { name: 'http', include: ['test/http/**/*.test.ts'], pool: 'forks' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          pool: 'forks',
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The staff console in Debian's Chromium, driven by Playwright, on a stack of its own
        // (test/support/console-stack.ts); `npx vitest run --project browser`.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser-setup.ts', 'test/global-setup.ts'],
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
