import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Environment } from '../platform/environment.js';
import { encryptedDataConverter } from '../platform/payload-codec.js';
import type { PayloadKeyRing } from '../platform/payload-keys.js';
import { type Closers, failAndExit } from '../platform/shutdown.js';
import type { Tracing } from '../platform/tracing.js';
import { Client, Connection } from '@temporalio/client';
import { startPendingRollouts } from '../api/commands/load-calendar-amendment.js';
import { createCalendarRolloutActivities } from '../activities/calendar-rollout.js';
import { createDocumentActivities } from '../activities/document-activities.js';
import { createDossierEventActivities } from '../activities/dossier-events.js';
import type { FeedbackEdgeActivities } from '../activities/feedback-edge-activities.js';
import { createFeedbackEventActivities } from '../activities/feedback-events.js';
import { createFeedbackDocumentActivities } from '../activities/feedback-documents.js';
import { createFeedbackNationalSyncActivities } from '../activities/feedback-national-sync.js';
import type { DocumentStore } from '../documents/document-store.js';
import type { NationalPakn } from '../integrations/pakn/port.js';
import { nationalPaknFromEnvironment } from '../integrations/pakn/reference-adapter.js';
import { startNationalPaknInbox } from './national-pakn-inbox.js';
import type { DocumentIssuer } from '../documents/document-issuer.js';
import { DEFAULT_POOL_SIZE } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { startReportProjector } from './report-projector.js';

export interface DossierWorkerDeps {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly db: Kysely<Database>;
  /** Encrypts every payload the worker sends to Temporal (platform/payload-codec.ts); required so no worker writes one in clear. */
  readonly dataConverter: DataConverter;
  /** Renders, signs and stores the documents the dossiers' events call for. */
  readonly documents: DocumentIssuer;
  /**
   * Connections in `db`'s pool. The appends run as local activities, each within a 5 s limit that
   * includes the wait for a connection: no more run at once than there are connections (the SDK's
   * default is 100).
   */
  readonly databasePoolSize?: number;
  /**
   * A workflow bundle made ahead of time (`bundleWorkflowCode`), which saves the seconds of bundling
   * at start-up; without one the worker bundles `workflows/` itself.
   */
  readonly workflowBundlePath?: string;
  /**
   * The client the calendar roll-out's activities send each open dossier its amendment with
   * (activities/calendar-rollout.ts); without one those activities fail and say why.
   */
  readonly temporal?: Client;
  /**
   * The key of the applicant hash in the index of reusable files (MOTCUA_APPLICANT_KEY). Processes
   * that serve dossiers pass it (runDossierWorker requires it); without it the index is not kept.
   */
  readonly applicantKey?: string;
  /**
   * The feedback workflow's edges (activities/feedback-edge-activities.ts): the signed answer
   * (activities/feedback-documents.ts) and the push to the national PAKN system
   * (activities/feedback-national-sync.ts). Without them an answered item waits for its document
   * (Temporal retries the activity until a worker that has them runs it).
   */
  readonly feedbackEdges?: FeedbackEdgeActivities;
  /**
   * Tracing's interceptors and sink (platform/tracing.ts), when on. Its workflow interceptor must be
   * in the workflow bundle, so a worker that traces bundles its workflows itself (seconds at start-up)
   * and leaves `workflowBundlePath`, made without it, aside; off, nothing is added anywhere.
   */
  readonly tracing?: Tracing['worker'];
}

/** The worker that hosts every dossier and feedback workflow and runs their activities. */
export async function createDossierWorker(deps: DossierWorkerDeps): Promise<Worker> {
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = deps.workflowBundlePath && !deps.tracing
    ? { workflowBundle: { codePath: deps.workflowBundlePath } }
    : { workflowsPath: workflowsEntryPath() };
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    dataConverter: deps.dataConverter,
    ...workflowSource,
    maxConcurrentLocalActivityExecutions: deps.databasePoolSize ?? DEFAULT_POOL_SIZE,
    ...(deps.tracing ?? {}),
    activities: {
      ...createDossierEventActivities({ db: deps.db, ...(deps.applicantKey ? { applicantKey: deps.applicantKey } : {}) }),
      ...createDocumentActivities({ db: deps.db, issuer: deps.documents }),
      ...createCalendarRolloutActivities({ db: deps.db, ...(deps.temporal ? { temporal: deps.temporal } : {}) }),
      ...createFeedbackEventActivities({ db: deps.db }),
      ...(deps.feedbackEdges ?? {}),
    },
  });
}

/** workflows/index.ts when run from source (tsx), workflows/index.js when compiled. */
export function workflowsEntryPath(): string {
  for (const extension of ['ts', 'js']) {
    const candidate = fileURLToPath(new URL(`../workflows/index.${extension}`, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('workflows/index.ts (or .js) not found next to worker/: the installation is incomplete');
}

/**
 * Connects to Temporal and runs the dossier worker as a process's entry point does: every part
 * registered with `closers`, and a worker that fails while running takes the process down cleanly.
 */
export async function runDossierWorker(
  env: Environment,
  temporalAddress: string,
  db: Kysely<Database>,
  documents: DocumentIssuer,
  keys: PayloadKeyRing,
  closers: Closers,
  logger: Logger,
  /** MOTCUA_APPLICANT_KEY (platform/environment.ts applicantKey()): the same as the API's. */
  applicantKey: string,
  /**
   * The document store the national PAKN inbox keeps attachments in, and the national PAKN system
   * itself when not from MOTCUA_PAKN_URL (npm start's loopback double). Without a store no inbox runs.
   */
  national: { readonly store?: DocumentStore; readonly pakn?: NationalPakn } = {},
  /** The process's tracing (platform/tracing.ts), when OTEL_EXPORTER_OTLP_ENDPOINT turned it on. */
  tracing?: Tracing,
): Promise<void> {
  // The national PAKN system (docs/integrations.md#national-pakn-system): MOTCUA_PAKN_URL, or what the caller brings.
  const pakn = national.pakn ?? nationalPaknFromEnvironment(env);
  const connection = await NativeConnection.connect({ address: temporalAddress });
  closers.add('worker connection', () => connection.close());
  // The calendar roll-out's activities send commands to dossiers as the API does.
  const clientConnection = await Connection.connect({ address: temporalAddress });
  closers.add('worker client connection', () => clientConnection.close());
  const temporal = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: encryptedDataConverter(keys), ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) });
  if (tracing && env.MOTCUA_WORKFLOW_BUNDLE) logger.info({ workflowBundle: env.MOTCUA_WORKFLOW_BUNDLE }, 'traces on: the workflows are bundled with the tracing interceptor at start-up instead of using MOTCUA_WORKFLOW_BUNDLE');
  const worker = await createDossierWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    db,
    dataConverter: encryptedDataConverter(keys),
    documents,
    temporal,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    applicantKey,
    ...(env.MOTCUA_WORKFLOW_BUNDLE ? { workflowBundlePath: env.MOTCUA_WORKFLOW_BUNDLE } : {}),
    feedbackEdges: feedbackEdgeActivities(db, documents, pakn),
    ...(tracing ? { tracing: tracing.worker } : {}),
  });
  const running = worker.run();
  running.catch((error: unknown) => failAndExit(logger, closers, error));
  closers.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
  });
  // Calendar versions built into this release (or stored while Temporal was away) reach the open
  // dossiers that do not follow them yet, at start-up and then every 10 minutes (a roll-out's settle
  // time), which also catches a dossier whose acceptance waited in Temporal past the end of the
  // roll-out that should have reached it. A roll-out's id is its version's, so workers starting at
  // once start it once (api/commands/load-calendar-amendment.ts).
  const rollouts = () =>
    startPendingRollouts({ db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE })
      .then((started) => {
        if (started.length > 0) logger.info({ rollouts: started }, 'calendar roll-outs started or running');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'calendar roll-outs not started; the next check tries again'));
  void rollouts();
  const rolloutCheck = setInterval(() => void rollouts(), 10 * 60_000);
  rolloutCheck.unref();
  closers.add('calendar roll-out check', async () => clearInterval(rolloutCheck));
  if (pakn && national.store) {
    // Every worker polls: a duplicate poll receives each item once (its intake key is its national id).
    const inbox = startNationalPaknInbox({ db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE, store: national.store, pakn, logger, pollMs: env.MOTCUA_PAKN_POLL_SECONDS * 1000, commandTimeoutMs: env.MOTCUA_COMMAND_TIMEOUT_SECONDS * 1000 });
    closers.add('national PAKN inbox', () => inbox.stop());
    logger.info({ pollSeconds: env.MOTCUA_PAKN_POLL_SECONDS }, 'national PAKN inbox running');
  }
  const projector = startReportProjector(db, logger);
  closers.add('report projector', () => projector.stop());
  logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, temporal: temporalAddress }, 'worker running');
}

/** The feedback workflow's edges: the signed answer, and the push to the national PAKN system when there is one. */
export function feedbackEdgeActivities(db: Kysely<Database>, documents: DocumentIssuer, pakn: NationalPakn | undefined): FeedbackEdgeActivities {
  return {
    ...createFeedbackDocumentActivities({ db, issuer: documents }),
    ...createFeedbackNationalSyncActivities({ db, ...(pakn ? { pakn } : {}) }),
  } satisfies FeedbackEdgeActivities;
}
