import type { Migration } from 'kysely/migration';
import * as eventStore from './2026-11-24T14-30_event-store.js';
import * as catalogue from './2026-11-24T16-30_catalogue.js';
import * as lifecycleReadModels from './2026-11-24T17-00_lifecycle-read-models.js';
import * as portalSubmissions from './2026-12-03T14-00_portal-submissions.js';
import * as deliveries from './2026-12-04T10-00_deliveries.js';
import * as portalReconciliation from './2026-12-04T12-00_portal-reconciliation.js';
import * as receiverCredentials from './2026-12-04T16-00_receiver-credentials.js';
import * as resyncPerDay from './2026-12-04T18-00_resync-per-day.js';
import * as idempotencyKeys from './2026-11-24T18-00_idempotency-keys.js';
import * as eventHashChain from './2026-11-24T19-00_event-hash-chain.js';
import * as reporting from './2026-11-24T20-00_reporting.js';
import * as documents from './2026-11-24T21-00_documents.js';
import * as idempotencyClaims from './2026-11-24T22-00_idempotency-claims.js';
import * as calendarAmendments from './2026-12-02T11-00_calendar-amendments.js';
import * as latenessReports from './2026-12-02T12-00_lateness-reports.js';
import * as agencyDirectory from './2026-12-02T12-30_agency-directory.js';
import * as latenessReportPeriod from './2026-12-02T13-00_lateness-report-period.js';
import * as calendarRolloutsBuiltIn from './2026-12-02T13-30_calendar-rollouts-built-in.js';
import * as appointmentInForce from './2026-12-02T14-00_appointment-in-force.js';
import * as resultFiles from './2026-12-03T11-00_result-files.js';
import * as componentFileIndex from './2026-12-03T13-00_component-file-index.js';
import * as applicantSearch from './2026-12-05T10-00_applicant-search.js';
import * as interagencyAnswers from './2026-12-06T10-00_interagency-answers.js';
import * as mirroredDossiers from './2026-12-06T12-00_mirrored-dossiers.js';
import * as externalSteps from './2026-12-06T14-00_external-steps.js';
import * as feedback from './2026-12-07T13-00_feedback.js';
import * as evaluationSource from './2026-12-07T10-00_evaluation-source.js';
import * as paymentTransactions from './2026-12-07T12-00_payment-transactions.js';
import * as paymentAttempts from './2026-12-07T12-30_payment-attempts.js';
import * as nationalPakn from './2026-12-07T14-00_national-pakn.js';
import * as nationalPaknHeld from './2026-12-07T14-30_national-pakn-held.js';
import * as openDossiersIndex from './2026-12-08T10-00_open-dossiers-index.js';

// Every migration, by its dated file name; Kysely applies them in name order. Listed here rather
// than discovered on disk so they load the same way under tsx, vitest and compiled JavaScript.
// test/integration/migrations.test.ts fails if a file in this folder is missing from the list.
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-24T14-30_event-store': eventStore,
  '2026-11-24T16-30_catalogue': catalogue,
  '2026-11-24T17-00_lifecycle-read-models': lifecycleReadModels,
  '2026-11-24T18-00_idempotency-keys': idempotencyKeys,
  '2026-11-24T19-00_event-hash-chain': eventHashChain,
  '2026-11-24T20-00_reporting': reporting,
  '2026-11-24T21-00_documents': documents,
  '2026-11-24T22-00_idempotency-claims': idempotencyClaims,
  '2026-12-02T11-00_calendar-amendments': calendarAmendments,
  '2026-12-02T12-00_lateness-reports': latenessReports,
  '2026-12-02T12-30_agency-directory': agencyDirectory,
  '2026-12-02T13-00_lateness-report-period': latenessReportPeriod,
  '2026-12-02T13-30_calendar-rollouts-built-in': calendarRolloutsBuiltIn,
  '2026-12-02T14-00_appointment-in-force': appointmentInForce,
  '2026-12-03T11-00_result-files': resultFiles,
  '2026-12-03T13-00_component-file-index': componentFileIndex,
  '2026-12-03T14-00_portal-submissions': portalSubmissions,
  '2026-12-04T10-00_deliveries': deliveries,
  '2026-12-04T12-00_portal-reconciliation': portalReconciliation,
  '2026-12-04T16-00_receiver-credentials': receiverCredentials,
  '2026-12-04T18-00_resync-per-day': resyncPerDay,
  '2026-12-05T10-00_applicant-search': applicantSearch,
  '2026-12-06T10-00_interagency-answers': interagencyAnswers,
  '2026-12-06T12-00_mirrored-dossiers': mirroredDossiers,
  '2026-12-06T14-00_external-steps': externalSteps,
  '2026-12-07T13-00_feedback': feedback,
  '2026-12-07T10-00_evaluation-source': evaluationSource,
  '2026-12-07T12-00_payment-transactions': paymentTransactions,
  '2026-12-07T12-30_payment-attempts': paymentAttempts,
  '2026-12-07T14-00_national-pakn': nationalPakn,
  '2026-12-07T14-30_national-pakn-held': nationalPaknHeld,
  '2026-12-08T10-00_open-dossiers-index': openDossiersIndex,
};
