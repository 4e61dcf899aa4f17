// The dossier engine on Temporal's time-skipping test server (docs/testing.md, "Timers in workflow
// time"): the real dossier worker with its real activities and the suite's PostgreSQL, against a Java
// test server of its own whose clock the test moves. Dossiers are driven at the workflow's level,
// through the Temporal client with the commands api/commands/* would build (pinned from the catalogue
// at the server's time), never through HTTP: the API's real-time checks are not what these tests are
// about, and its clock is the machine's, not the workflow's.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { type Kysely, sql } from 'kysely';
import { inject } from 'vitest';
import { createCalendarRolloutActivities, type RolloutPageResult } from '../../activities/calendar-rollout.js';
import { pinAcceptance } from '../../api/commands/pin-acceptance.js';
import type { DossierCommandRequest } from '../../api/commands/send-dossier-command.js';
import { domainRefusalIn } from '../../api/problem-details.js';
import { storeCalendarAmendment, type StoreOutcome } from '../../db/calendar-amendments.js';
import { findAgency } from '../../db/catalogue.js';
import { connectAndMigrate } from '../../db/connect.js';
import { createDatabase } from '../../db/database.js';
import { allocateDossierSerial } from '../../db/dossier-serials.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import { readStream, type StoredEvent } from '../../db/event-store.js';
import type { Database } from '../../db/schema.js';
import { cachedTestServer, NO_TEST_SERVER_HELP } from '../../dev/temporal-test-server.js';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import type { CalendarAmendment } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { LifecycleCommand, ReceiveDossier } from '../../domain/dossier/commands.js';
import { formatDossierCode } from '../../domain/dossier/dossier-code.js';
import type { DomainError } from '../../domain/dossier/errors.js';
import type { DossierState } from '../../domain/dossier/state.js';
import { createDocumentIssuer, type DocumentIssuer } from '../../documents/document-issuer.js';
import { createDocumentStore } from '../../documents/document-store.js';
import { createDossierWorker } from '../../worker/dossier-worker.js';
import type { FeedbackEdgeActivities } from '../../activities/feedback-edge-activities.js';
import { dossierCommandUpdate, dossierStateQuery, dossierWorkflow, dossierWorkflowId, receiveDossierUpdate } from '../../workflows/dossier.js';
import { DOSSIER_SEARCH_ATTRIBUTES, dossierSearchAttributes } from '../../workflows/search-attributes.js';
import { testDatabase, testPayloadCodec, uniqueTaskQueue } from './engine.js';
import { testSigningSettings } from './test-pki.js';
import { createLogger } from '../../platform/logger.js';

export interface TimeSkippingEngine {
  readonly env: TestWorkflowEnvironment;
  /** A client of the test server with the suite's payload codec, as the API's is. */
  readonly temporal: Client;
  readonly db: Kysely<Database>;
  readonly taskQueue: string;
  /** The test server's clock: the workflows' `Date.now()`. */
  now(): Promise<number>;
  /**
   * Moves the server's clock forward to `instant`, firing every timer on the way: the server skips
   * time only while no workflow task or activity is outstanding, so each alert is raised, appended
   * and projected at its own instant before the clock moves on.
   */
  skipTo(instant: string | number): Promise<void>;
  /**
   * Receives a dossier at a one-stop centre as the API does (code, serial, centre header), at the
   * server's time. `historyLimit` starts its workflow to continue as new after that many history
   * events, as `dossier-lifecycle.test.ts` does (the API starts it without one).
   */
  receive(options: { agencyCode: string; procedureCode: string; actor: Actor; historyLimit?: number }): Promise<string>;
  /** Sends a lifecycle command as the API does (log version, acceptance pins at the server's time) and returns its outcome. */
  send(command: DossierCommandRequest): Promise<CommandOutcome>;
  /** Sends a command that the rules must refuse, and returns the refusal (fails if it was accepted). */
  refusal(command: DossierCommandRequest): Promise<DomainError>;
  /** The workflow's own state of the dossier (its query). */
  state(dossierCode: string): Promise<{ state: DossierState; streamVersion: number }>;
  /** The dossier's events in PostgreSQL, optionally of one type. */
  events(dossierCode: string, type?: string): Promise<StoredEvent[]>;
  /**
   * Loads a calendar amendment as an admin does (api/commands/load-calendar-amendment.ts), on the
   * server's day: checked and stored (db/calendar-amendments.ts), then one page of its roll-out run
   * at the server's time by the roll-out's own activity (activities/calendar-rollout.ts), which sends
   * AdoptCalendarAmendment to every open accepted dossier of the database behind the version. Only
   * on a database of its own (`databaseOfItsOwn`): a stored amendment is global and would change
   * what every other test's dossiers pin.
   */
  loadAmendment(amendment: CalendarAmendment): Promise<{ stored: StoreOutcome; rollout: RolloutPageResult }>;
  close(): Promise<void>;
}

/** A fresh, migrated database of the suite's PostgreSQL, for a scenario that stores calendar amendments; returns its URL. */
export async function databaseOfItsOwn(): Promise<string> {
  const suite = testDatabase(1);
  const name = `motcua_tet_${randomBytes(4).toString('hex')}`;
  await sql.raw(`CREATE DATABASE ${name}`).execute(suite);
  await suite.destroy();
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const db = await connectAndMigrate({ connectionString: url.toString(), poolSize: 1, applicationName: 'motcua-test-tet' }, createLogger({ level: 'warn' }));
  await db.destroy();
  return url.toString();
}

/**
 * A test server of its own (each starts at the machine's time; its clock only moves forward, so
 * each scenario takes a fresh one), the dossier worker on a task queue of its own, and the suite's
 * database. Fails with the set-up's help when the test server was not provided.
 */
export async function startTimeSkippingEngine(options: {
  name: string;
  databaseUrl?: string;
  feedbackEdges?: FeedbackEdgeActivities;
  /** The worker's document issuer; the real one, signing with the test PKI, unless given. */
  documents?: DocumentIssuer;
}): Promise<TimeSkippingEngine> {
  const launcher = cachedTestServer();
  if (!launcher) throw new Error(`No Temporal test server in the cache: run \`npm run setup:test-server\` (npm test runs it first).\n\n${NO_TEST_SERVER_HELP}`);
  const env = await startTestServer(launcher);
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const db = options.databaseUrl ? createDatabase({ connectionString: options.databaseUrl, poolSize: 5, applicationName: 'motcua-test-tet' }) : testDatabase();
  try {
    // The attributes the workflow starts with and upserts, registered as the dev launcher does.
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: Object.fromEntries(DOSSIER_SEARCH_ATTRIBUTES.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
    const taskQueue = uniqueTaskQueue(options.name);
    const codec = testPayloadCodec();
    worker = await createDossierWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      db,
      dataConverter: { payloadCodecs: [codec] },
      documents: options.documents ?? createDocumentIssuer(createDocumentStore(db), testSigningSettings()),
      workflowBundlePath: inject('workflowBundlePath'),
      // The feedback workflow's edges (activities/feedback-edge-activities.ts), for tests of feedback items.
      ...(options.feedbackEdges ? { feedbackEdges: options.feedbackEdges } : {}),
    });
    running = worker.run();
    const client = new Client({ connection: env.connection, namespace: 'default', dataConverter: { payloadCodecs: [codec] } });
    return engineOn(env, client, db, taskQueue, async () => {
      worker!.shutdown();
      await running;
      await db.destroy();
      await env.teardown();
    });
  } catch (error) {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    await db.destroy();
    await env.teardown();
    throw error;
  }
}

/**
 * @temporalio/testing gives the server 5 s to answer, which a JVM starting on a loaded 2-core machine
 * can miss (it takes about 1.5 s here): a start that timed out is tried again, twice at most.
 */
async function startTestServer(launcher: string): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: launcher } } });
    } catch (error) {
      if (attempt >= 3 || !/did not start within/.test(String(error))) throw error;
    }
  }
}

function engineOn(env: TestWorkflowEnvironment, client: Client, db: Kysely<Database>, taskQueue: string, close: () => Promise<void>): TimeSkippingEngine {
  const now = () => env.currentTimeMs();
  const update = (command: LifecycleCommand) =>
    client.workflow.getHandle(dossierWorkflowId(command.dossierCode)).executeUpdate(dossierCommandUpdate, { args: [command], updateId: command.commandId });

  // As api/commands/send-dossier-command.ts builds it: the read model's version, and an acceptance's
  // pins read from the catalogue at the instant the workflow will decide it.
  const prepare = async (command: DossierCommandRequest): Promise<LifecycleCommand> => {
    const summary = await findDossierSummary(db, command.dossierCode);
    if (!summary) throw new Error(`no dossier ${command.dossierCode} in the read model`);
    let sent = { ...command, loggedVersion: summary.stream_version } as LifecycleCommand;
    if (sent.type === 'AcceptDossier') {
      const pinned = await pinAcceptance(db, { procedureCode: summary.procedure_code, receivingAgencyCode: summary.agency_code }, new Date(await now()));
      if (!pinned) throw new Error(`no version of procedure ${summary.procedure_code} is in force`);
      if ('refused' in pinned) throw new Error(`procedure ${summary.procedure_code} cannot be resolved: ${pinned.refused.message}`);
      sent = { ...sent, pinned };
    }
    return sent;
  };

  return {
    env,
    temporal: client,
    db,
    taskQueue,
    now,
    async skipTo(instant) {
      const target = typeof instant === 'number' ? instant : Date.parse(instant);
      const from = await now();
      if (!(target > from)) throw new Error(`the test server's clock reads ${new Date(from).toISOString()}; it cannot go back to ${new Date(target).toISOString()}`);
      await env.sleep(target - from);
    },
    async receive({ agencyCode, procedureCode, actor, historyLimit }) {
      // As api/commands/receive-dossier.ts does, with the server's clock for the reception time.
      const centre = await findAgency(db, agencyCode);
      if (!centre || centre.kind !== 'one-stop-centre') throw new Error(`${agencyCode} is not a one-stop centre of the catalogue`);
      const receivedAt = new Date(await now());
      const receptionDate = vietnamDateOf(receivedAt);
      const dossierCode = formatDossierCode({ agencyCode, receptionDate, serial: await allocateDossierSerial(db, agencyCode, receptionDate) });
      const command: ReceiveDossier = {
        type: 'ReceiveDossier',
        commandId: randomUUID(),
        actor,
        dossierCode,
        agencyCode,
        procedureCode,
        channel: 'counter',
        applicant: { kind: 'citizen', fullName: 'Lê Thị Tết', identityNumber: '040190002027' },
        receivedAt: receivedAt.toISOString(),
        centre: { name: centre.name },
      };
      await client.workflow.executeUpdateWithStart(receiveDossierUpdate, {
        args: [command],
        updateId: command.commandId,
        startWorkflowOperation: new WithStartWorkflowOperation(dossierWorkflow, {
          workflowId: dossierWorkflowId(dossierCode),
          taskQueue,
          args: [{ dossierCode, ...(historyLimit ? { historyLimit } : {}) }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: dossierSearchAttributes({ agencyCode, procedureCode, status: 'none' }),
        }),
      });
      return dossierCode;
    },
    async send(command) {
      return update(await prepare(command));
    },
    async refusal(command) {
      try {
        const outcome = await update(await prepare(command));
        throw new Error(`${command.type} was accepted (${outcome.events.join(', ')}); the rules should have refused it`);
      } catch (error) {
        const refusal = domainRefusalIn(error);
        if (!refusal) throw error;
        return refusal;
      }
    },
    async state(dossierCode) {
      return client.workflow.getHandle(dossierWorkflowId(dossierCode)).query(dossierStateQuery);
    },
    async events(dossierCode, type) {
      const events = await readStream(db, dossierCode);
      return type ? events.filter((event) => event.type === type) : events;
    },
    async loadAmendment(amendment) {
      const today = isoOfCivilDay(civilDayOfInstant(await now()));
      const stored = await storeCalendarAmendment(db, VIETNAM_CIVIL_SERVICE_CALENDAR, amendment, 'quantri.tet', today);
      if (stored.kind === 'refused') throw new Error(`the amendment was refused: ${stored.problems.join('; ')}`);
      const { adoptCalendarAmendmentPage } = createCalendarRolloutActivities({ db, temporal: client });
      const rollout: RolloutPageResult = await new MockActivityEnvironment().run(adoptCalendarAmendmentPage, { calendarId: VIETNAM_CIVIL_SERVICE_CALENDAR.id, version: amendment.version, afterCode: '', limit: 100, exclude: [] });
      return { stored, rollout };
    },
    close,
  };
}
