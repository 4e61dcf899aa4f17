import { defineConfig } from 'vitest/config';

// Five projects: `unit` (pure domain, no infrastructure, milliseconds), `http` (the API built by
// buildApp() and driven with inject(), no PostgreSQL or Temporal, seconds), `integration` (the real
// PostgreSQL and Temporal dev server that test/global-setup.ts brings up), `cluster` (a chosen part
// of the integration files again, on the production Temporal server on PostgreSQL) and `browser`
// (the staff console in Chromium on such a stack of its own). `npm test` runs all;
// `npx vitest run --project unit` is the fast loop while working on the rules.

/**
 * The `cluster` project's files: the engine on what production runs (Temporal Server v1.29.1,
 * persistence and SQL visibility on PostgreSQL; test/cluster-setup.ts) rather than the dev server.
 * Chosen so that together they send every dossier and feedback command over HTTP, fire the timers
 * on the server's own clock, and issue every kind of document, in a few minutes. Files on the
 * time-skipping test server are not candidates (they bring their own server), nor those that start a
 * dev server of their own (fault-temporal-restart, launcher-crash).
 */
export const CLUSTER_TEST_FILES = [
  // Every path of a dossier: accept, both supplements, refusals, assign-handler, complete-step,
  // financial obligation and payment, apology, withdrawal, evaluation, return; the due-soon and
  // overdue timers; continue-as-new; forms 01–05 and the result issued and signed.
  'test/integration/dossier-lifecycle.test.ts',
  // send-step-back, and every action the API offers reception taken by its route.
  'test/integration/dossier-actions.test.ts',
  // The receipt and the result: signed, verified, rendered again to the same bytes.
  'test/integration/documents.test.ts',
  // Files: attach at reception and in a supplement, replace, approve.
  'test/integration/dossier-files.test.ts',
  // issue-lateness-apology and record-lateness-explanation, on a dossier gone overdue.
  'test/integration/late-dossier.test.ts',
  // request-payment and the platform's confirmation recording the payment.
  'test/integration/payment-requests.test.ts',
  // The external step's hand-off and progress (RecordStepHandOff, ReportExternalProgress) and its overdue timer.
  'test/integration/external-step-reads.test.ts',
  // AdoptCalendarAmendment, sent by the API and by the worker's roll-out.
  'test/integration/calendar-amendment.test.ts',
  // Every feedback command, the answer's signed document, the feedback clocks' timers.
  'test/integration/feedback-process.test.ts',
  // consult and record-consultation-reply; the search attributes and the operators' visibility
  // queries answered by SQL visibility.
  'test/integration/temporal-visibility.test.ts',
];

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
        test: {
          name: 'cluster',
          include: CLUSTER_TEST_FILES,
          globalSetup: ['test/cluster-setup.ts'],
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
