import { randomBytes } from 'node:crypto';
import type { InteragencyInbound } from '../../integrations/interagency/inbound-config.js';
import { type InteragencyInbox, startInteragencyInbox } from '../../worker/interagency-inbox.js';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { expect, inject } from 'vitest';
import { type App, buildApp } from '../../api/app.js';
import { loadCatalogue } from '../../db/catalogue.js';
import { createDatabase } from '../../db/database.js';
import { agencySchema } from '../../domain/catalogue/agency.js';
import type { Database } from '../../db/schema.js';
import { createLogger } from '../../platform/logger.js';
import { createPayloadCodec } from '../../platform/payload-codec.js';
import { parsePayloadKeys } from '../../platform/payload-keys.js';
import type { CodecCallers } from '../../api/routes/temporal-codec.js';
import { mintToken, type TokenClaims, type TokenSettings } from '../../api/auth/token-verifier.js';
import type { IdentityProviderSettings } from '../../api/routes/console-sign-in.js';
import type { Role } from '../../domain/dossier/actor.js';
import { createDossierWorker, feedbackEdgeActivities } from '../../worker/dossier-worker.js';
import type { NationalPakn } from '../../integrations/pakn/port.js';
import type { FeedbackEdgeActivities } from '../../activities/feedback-edge-activities.js';
import { type DeliveryRelay, outboxTaskQueue, startDeliveryRelay } from '../../worker/delivery-relay.js';
import type { DeliveryChannel } from '../../integrations/outbox/delivery-channel.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import type { DeliveryLaneSettings } from '../../workflows/delivery-lane.js';
import { createDocumentIssuer, type DocumentIssuer } from '../../documents/document-issuer.js';
import { createDocumentStore, type DocumentStore } from '../../documents/document-store.js';
import { testSigningSettings } from './test-pki.js';
import { trialSigning } from '../../dev/trial-signing.js';
import type { DataStore } from '../../integrations/data-store/port.js';

export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';
export const TEST_LOOKUP_KEY = 'test-lookup-key-of-at-least-thirty-two-characters';
/** The suite's MOTCUA_APPLICANT_KEY: the worker's index of reusable files and the API's reuse routes share it. */
export const TEST_APPLICANT_KEY = 'test-applicant-key-of-at-least-thirty-two-characters';
/** The suite's key for Temporal payloads, as MOTCUA_PAYLOAD_KEYS holds it: 32 bytes of 0x07. */
/** The suite's MOTCUA_FILE_LINK_KEY: the public file links the API serves and the outbox's adapters sign. */
export const TEST_FILE_LINK_KEY = 'test-file-link-key-of-at-least-thirty-two-characters';
export const TEST_PAYLOAD_KEYS = `test-1:${Buffer.alloc(32, 7).toString('base64')}`;
export const testPayloadCodec = () => createPayloadCodec(parsePayloadKeys(TEST_PAYLOAD_KEYS));

/** A bearer token for an actor, as an identity provider would issue it. */
export async function tokenFor(actor: { userId: string; role: Exclude<Role, 'system' | 'interagency' | 'citizen' | 'payment-platform'>; agencyCode: string }, name = actor.userId): Promise<string> {
  // A portal's token names its portal and scope instead of an agency: here, the actor's agency and every procedure.
  // A ministry system's names its system and scope likewise (api/routes/mirrors.ts).
  const { role } = actor;
  const claims: TokenClaims =
    role === 'portal'
      ? { sub: actor.userId, name, role, portal: 'test-portal', units: [actor.agencyCode], procedures: ['*'] }
      : role === 'ministry-system'
        ? { sub: actor.userId, name, role, system: 'test-ministry', units: [actor.agencyCode], procedures: ['*'] }
        : { sub: actor.userId, name, role, agency: actor.agencyCode };
  return mintToken(TEST_JWT_SECRET, claims, { audience: 'motcua' });
}

/** The Authorization header of an actor. */
export async function authAs(actor: { userId: string; role: Role; agencyCode: string }): Promise<Record<string, string>> {
  if (actor.role === 'system' || actor.role === 'interagency' || actor.role === 'citizen' || actor.role === 'payment-platform') throw new Error(`no token carries the ${actor.role} role`);
  return { authorization: `Bearer ${await tokenFor({ ...actor, role: actor.role })}` };
}

/** A pool on the suite's database. */
export function testDatabase(poolSize = 5): Kysely<Database> {
  return createDatabase({ connectionString: inject('databaseUrl'), poolSize, applicationName: 'motcua-test' });
}

/** An agency code no other test uses, so tests share the database without seeing each other. */
export function uniqueAgencyCode(): string {
  return `T${randomBytes(3).toString('hex').toUpperCase()}.00.00.H38`;
}

export function uniqueTaskQueue(name: string): string {
  return `test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Everything the logger wrote, to check what reaches the logs. */
export class CapturedLogs extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** The outbox as a test runs it: its receivers' adapters and the deployment's policy. */
export interface TestOutbox {
  readonly channels: readonly DeliveryChannel[];
  readonly policy: DeliveryPolicy;
  readonly lane?: Partial<DeliveryLaneSettings>;
  readonly pollMs?: number;
}

export interface TestEngine {
  readonly app: App;
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly logs: CapturedLogs;
  /** Base URL of the API listening on a real socket. */
  readonly url: string;
  readonly documents: DocumentIssuer;
  readonly documentStore: DocumentStore;
  /** The outbox's relay, when the engine was started with `outbox` (on a database of its own: the planner reads the whole log). */
  readonly relay?: DeliveryRelay;
  /** A one-stop centre of its own, in the catalogue: its dossier serials start at 1. */
  newCentre(): Promise<string>;
  close(): Promise<void>;
}

/** Puts a one-stop centre with a code no other test uses into the agency catalogue. */
export async function registerCentre(db: Kysely<Database>, code = uniqueAgencyCode()): Promise<string> {
  const agency = agencySchema.parse({ code, name: `Bộ phận Một cửa thử nghiệm ${code}`, kind: 'one-stop-centre' });
  await loadCatalogue(db, { sample: true, agencies: [agency], procedures: [] });
  return code;
}

/**
 * The staff console an engine serves: by default with the local sign-in of `npm start` (tokens
 * with the suite's secret); with `identityProvider`, signing people in there instead (the engine's
 * `auth` then names the provider's JWKS).
 */
export interface TestConsole {
  readonly directory: string;
  readonly identityProvider?: IdentityProviderSettings;
}

function consoleSettings(settings: TestConsole, db: Kysely<Database>) {
  return settings.identityProvider
    ? { directory: settings.directory, identityProvider: settings.identityProvider }
    : { directory: settings.directory, localSignIn: { secret: TEST_JWT_SECRET, audience: 'motcua' }, trialSigning: trialSigning(db, testSigningSettings().keystoreDir, testSigningSettings().passphrase) };
}

/**
 * The engine as `npm start` runs it (API, Temporal client, worker), on the suite's stack. With
 * `worker: false` no worker runs in this process, for tests that run it elsewhere; `databaseUrl`
 * and `temporalAddress` point it at a PostgreSQL or a Temporal server of the test's own; `auth`
 * replaces the suite's HS256 secret (an identity provider's JWKS, say).
 */
export async function startTestEngine(options: { name: string; worker?: boolean; rateLimitPerMinute?: number; databaseUrl?: string; temporalAddress?: string; commandTimeoutMs?: number; codecCallers?: CodecCallers; calendarRolloutSettleMs?: number; dataStore?: DataStore; documentDirectory?: string; outbox?: TestOutbox | ((engineUrl: string) => TestOutbox); console?: TestConsole; auth?: TokenSettings; interagency?: InteragencyInbound; feedbackEdges?: FeedbackEdgeActivities; nationalPakn?: NationalPakn; feedbackSubmissionsPerMinute?: number; publicRateLimitPerMinute?: number }): Promise<TestEngine> {
  const taskQueue = uniqueTaskQueue(options.name);
  // A test may bring its own PostgreSQL (to restart it, say); the suite's is the default.
  const db = options.databaseUrl ? createDatabase({ connectionString: options.databaseUrl, poolSize: 5, applicationName: 'motcua-test' }) : testDatabase();
  const logs = new CapturedLogs();
  const logger = createLogger({ level: 'info', destination: logs });
  const address = options.temporalAddress ?? inject('temporalAddress');

  const codec = testPayloadCodec();
  // Uploads need a directory store (documents/document-store.ts); the engine's own forms do without.
  const documentStore = createDocumentStore(db, options.documentDirectory);
  const documents = createDocumentIssuer(documentStore, testSigningSettings());
  let worker: Worker | undefined;
  let workerRunning: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [codec] } });
  if (options.worker !== false) {
    workerConnection = await NativeConnection.connect({ address });
    worker = await createDossierWorker({
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
      db,
      dataConverter: { payloadCodecs: [codec] },
      documents,
      workflowBundlePath: inject('workflowBundlePath'),
      temporal,
      applicantKey: TEST_APPLICANT_KEY,
      // The feedback workflow's signed answer, and its pushes to the national PAKN system when the
      // test brings one; a test's own stand-ins (`feedbackEdges`) instead when it gives them.
      feedbackEdges: options.feedbackEdges ?? feedbackEdgeActivities(db, documents, options.nationalPakn),
    });
    workerRunning = worker.run();
  }
  // The relay starts once the API listens (its receivers may need the API's address for file links);
  // the operators' routes wake its lanes through this indirection.
  let relay: DeliveryRelay | undefined;
  let relayConnection: NativeConnection | undefined;
  const app = await buildApp({ portalFileLinks: { key: TEST_FILE_LINK_KEY }, deliveries: { wake: async (receiver, dossierCode) => { if (relay) await relay.wake(receiver, dossierCode); else throw new Error('no relay runs in this test engine'); } }, db, temporal, taskQueue, logger, auth: options.auth ?? { secret: TEST_JWT_SECRET, audience: 'motcua' }, lookupKey: TEST_LOOKUP_KEY, rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000, feedbackSubmissionsPerMinute: options.feedbackSubmissionsPerMinute ?? 100_000, publicRateLimitPerMinute: options.publicRateLimitPerMinute ?? 100_000, ...(options.commandTimeoutMs ? { commandTimeoutMs: options.commandTimeoutMs } : {}), documents: { store: documentStore, trustAnchorFiles: testSigningSettings().trustAnchorFiles }, temporalCodec: { codec, callers: options.codecCallers ?? 'readers' }, ...(options.calendarRolloutSettleMs !== undefined ? { calendarRolloutSettleMs: options.calendarRolloutSettleMs } : {}), applicantKey: TEST_APPLICANT_KEY, ...(options.dataStore ? { dataStore: options.dataStore } : {}), ...(options.console ? { console: consoleSettings(options.console, db) } : {}), ...(options.interagency ? { interagency: options.interagency } : {}) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  let inbox: InteragencyInbox | undefined;
  if (options.outbox) {
    const outbox = typeof options.outbox === 'function' ? options.outbox(url) : options.outbox;
    relayConnection = await NativeConnection.connect({ address });
    relay = await startDeliveryRelay({
      db,
      temporal,
      connection: relayConnection,
      namespace: 'default',
      dataConverter: { payloadCodecs: [codec] },
      taskQueue: outboxTaskQueue(taskQueue),
      policy: outbox.policy,
      channels: outbox.channels,
      logger,
      workflowBundlePath: inject('workflowBundlePath'),
      pollMs: outbox.pollMs ?? 200,
      ...(outbox.lane ? { lane: outbox.lane } : {}),
    });
    // With an outbox and connected systems, the relay's side of their answers runs too, as in production.
    if (options.interagency) inbox = startInteragencyInbox({ db, temporal, taskQueue, store: documentStore, config: options.interagency, logger, sweepMs: 500 });
  }
  return {
    app,
    db,
    temporal,
    taskQueue,
    logs,
    url,
    documents,
    documentStore,
    ...(relay ? { relay } : {}),
    newCentre: () => registerCentre(db),
    async close() {
      await app.close();
      await inbox?.stop();
      await relay?.stop();
      await relayConnection?.close();
      if (worker) {
        worker.shutdown();
        await workerRunning;
      }
      await workerConnection?.close();
      await connection.close();
      await db.destroy();
    },
  };
}

export interface ReceptionBody {
  agencyCode: string;
  procedureCode: string;
  channel: 'counter' | 'online' | 'post';
  applicant: { kind: 'citizen' | 'organisation'; fullName: string; identityNumber: string; phone?: string; address?: string };
  locality?: string;
}

export function receptionBody(agencyCode: string, overrides: Partial<ReceptionBody> = {}): ReceptionBody {
  return {
    agencyCode,
    procedureCode: '1.001193',
    channel: 'counter',
    // A test's own centre is in no commune of the sample directory: it receives for Hòa Bình, whose
    // bodies resolve the sample procedures' roles (reception regardless of boundary, docs/catalogue.md).
    locality: '99001',
    applicant: {
      kind: 'citizen',
      fullName: 'Nguyễn Thị Hoa',
      identityNumber: '001190000123',
      phone: '0912 345 678',
      address: 'Số 5, thôn Đông, xã Diễn Châu, tỉnh Nghệ An',
    },
    ...overrides,
  };
}

/** Receives a dossier for `procedureCode` at `centre` as `who` (reception); answers its code, or throws with the API's answer. */
export async function receiveDossier(url: string, who: { userId: string; role: Role; agencyCode: string }, centre: string, procedureCode: string): Promise<string> {
  const received = await postJson(`${url}/dossiers`, receptionBody(centre, { procedureCode }), await authAs(who));
  if (received.status !== 201) throw new Error(`reception answered ${received.status}: ${JSON.stringify(received.json)}`);
  return received.json.dossierCode;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

/** POSTs a command with the actor's bearer token. */
export async function postCommand(url: string, actor: { userId: string; role: Role; agencyCode: string }, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  return postJson(url, body, { ...(await authAs(actor)), ...headers });
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { headers });
  return { status: response.status, json: await response.json() };
}

/** A document as `GET /dossiers/:code/documents` lists it. */
export interface ListedDocument {
  readonly kind: string;
  readonly documentId: string;
  readonly number: string;
  readonly href: string;
  readonly [field: string]: unknown;
}

/**
 * Waits until the dossier's workflow has recorded documents of every one of these kinds, and
 * returns the list. Documents are issued beside the commands, each recorded by an append of its
 * own after the command has answered: a test that counts a dossier's events, pages its history or
 * edits its read models waits for them first, or races that append.
 */
export async function documentsIssued<T extends { readonly kind: string } = ListedDocument>(baseUrl: string, dossierCode: string, kinds: readonly string[], headers: Record<string, string>): Promise<T[]> {
  let items: T[] = [];
  await expect
    .poll(
      async () => {
        items = (await getJson(`${baseUrl}/dossiers/${dossierCode}/documents`, headers)).json.items ?? [];
        return kinds.filter((kind) => !items.some((item) => item.kind === kind));
      },
      { timeout: 30_000, interval: 200 },
    )
    .toEqual([]);
  return items;
}

/**
 * A POST as a desk app sends it through an outage: with an Idempotency-Key, retried after a server
 * error, a lost connection, or a 409 saying the first try is still in progress. A key claimed by a
 * try that died with the database is taken over after 30 s (api/idempotency.ts), hence the long
 * deadline.
 */
export async function postInsisting(url: string, body: unknown, headers: Record<string, string>, key: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    // A form (multipart/form-data) is sent as it is: fetch writes its content type and boundary.
    const sent = body instanceof FormData ? { headers: { ...headers, 'idempotency-key': key }, body } : { headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) };
    const response = await fetch(url, { method: 'POST', ...sent }).catch(() => undefined);
    const json = response ? ((await response.json().catch(() => ({}))) as Record<string, unknown>) : {};
    const inProgress = response?.status === 409 && json.type === 'urn:motcua:problem:in-progress';
    if (response && response.status < 500 && !inProgress) return { status: response.status, json };
    if (Date.now() > deadline) throw new Error(`${url} never answered without a server error`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
