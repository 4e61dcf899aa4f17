import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure domain, no infrastructure, milliseconds) and `integration` (the real
// PostgreSQL and Temporal server that test/global-setup.ts brings up). `npm test` runs both;
// `npx vitest run --project unit` is the fast loop while working on the rules.
export default defineConfig({
  test: {
    // Temporal's native worker and vitest's worker threads do not mix: each test file gets a process.
    pool: 'forks',
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'forks' } },
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
    ],
  },
});
