// `npm start`: the whole engine on one machine. Brings up (or reuses) PostgreSQL and Temporal,
// migrates, runs the worker and the API, and stops everything it started on Ctrl-C or on a failed
// start. Data stays in MOTCUA_DATA_DIR (default ./.motcua), so the next start finds this one's.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { receiverCredentialStore } from '../db/outbox/receiver-credentials.js';
import { startOutboxDoubles } from '../doubles/outbox-doubles.js';
import type { ZaloTokens } from '../integrations/notifications/zalo-channel.js';
import { createOutbox, loadOutboxConfig, type OutboxConfig, outboxConfigSchema } from '../integrations/outbox/channels.js';
import { inboundOf } from '../integrations/interagency/interagency-config.js';
import { runOutbox } from '../worker/outbox-process.js';
import { buildApp, listenOrExplain } from '../api/app.js';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../db/catalogue.js';
import { connectAndMigrate } from '../db/connect.js';
import { localSecret } from './local-secrets.js';
import { createDocumentIssuer } from '../documents/document-issuer.js';
import { createDocumentStore } from '../documents/document-store.js';
import { applicantKey, authSettings, consoleDirectory, consoleIdentityProvider, corsOrigins, documentDirectory, payloadKeys, readEnvironment, signingSettings } from '../platform/environment.js';
import { startDataStoreDouble } from '../doubles/data-store-double.js';
import { trialSeed } from '../doubles/data-store-seed.js';
import { dataStoreFromEnvironment, nationalPortalDataStore } from '../integrations/data-store/national-portal.js';
import { nationalPaknFromEnvironment, referenceNationalPakn } from '../integrations/pakn/reference-adapter.js';
import { startNationalPaknDouble } from '../doubles/national-pakn-double.js';
import { createPayloadCodec } from '../platform/payload-codec.js';
import { createLogger } from '../platform/logger.js';
import { closeOnSignals, Closers, failAndExit } from '../platform/shutdown.js';
import { startTracing, tracingSettings } from '../platform/tracing.js';
import { runDossierWorker } from '../worker/dossier-worker.js';
import { installTemporalRuntime } from '../worker/temporal-runtime.js';
import { freePort } from './free-port.js';
import { ensureConsoleBuilt } from './console-build.js';
import { trialSigning } from './trial-signing.js';
import { startLocalStack } from './local-stack.js';
import { startPaymentPlatformDouble } from '../doubles/payment-platform-double.js';
import { paymentConnectionOf } from '../integrations/payment/national-platform.js';
import { type PaymentSettings, paymentSettingsFromEnvironment } from '../integrations/payment/payment-config.js';
import { CALLBACK_PATH } from '../api/routes/payment-callback.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL });
installTemporalRuntime(logger);
const closers = new Closers(logger);
closeOnSignals(logger, closers, () => logger.info('stopped; data kept in %s', env.dataDir));

try {
  // Traces when OTEL_EXPORTER_OTLP_ENDPOINT asks for them (docs/operations.md#metrics-and-traces):
  // the API and the worker of this one process share one tracer; closed last.
  const tracing = await startTracing(tracingSettings(env, 'motcua'));
  if (tracing) {
    closers.add('traces', () => tracing.shutdown());
    logger.info({ traces: tracing.settings.url, serviceName: tracing.settings.serviceName }, 'traces sent');
  }
  // The keys that encrypt Temporal payloads: MOTCUA_PAYLOAD_KEYS, or the data folder's own.
  const keys = payloadKeys(env, { keys: () => localSecret(env.dataDir, 'payload-keys') });
  const codec = createPayloadCodec(keys);
  // The UI is told where the codec is before the API listens: the port is settled first.
  const apiPort = env.PORT === 0 ? await freePort() : env.PORT;
  const codecEndpoint = `http://${env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST}:${apiPort}/temporal-codec`;
  const stack = await startLocalStack(
    {
      dataDir: env.dataDir,
      namespace: env.TEMPORAL_NAMESPACE,
      mode: 'durable',
      ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
      ...(env.TEMPORAL_ADDRESS ? { temporalAddress: env.TEMPORAL_ADDRESS } : {}),
      ...(env.TEMPORAL_CLI ? { temporalCli: env.TEMPORAL_CLI } : {}),
      ...(env.PG_BIN ? { postgresBinDir: env.PG_BIN } : {}),
      ...(env.TEMPORAL_UI_PORT ? { temporalUiPort: env.TEMPORAL_UI_PORT } : {}),
      temporalUiCodecEndpoint: codecEndpoint,
    },
    logger,
  );
  closers.add('local stack', () => stack.stop());

  const db = await connectAndMigrate({ connectionString: stack.databaseUrl, poolSize: env.DATABASE_POOL_SIZE, applicationName: 'motcua' }, logger);
  closers.add('database pool', () => db.destroy());
  const catalogueFile = env.MOTCUA_CATALOGUE ?? SAMPLE_CATALOGUE_FILE;
  logger.info({ catalogueFile, ...(await loadCatalogue(db, readCatalogueFile(catalogueFile))) }, 'catalogue loaded');

  // Documents are signed with a local PKI in the data folder unless MOTCUA_KEYSTORE_DIR names real keystores.
  const documentStore = createDocumentStore(db, documentDirectory(env));
  const signing = signingSettings(env, { passphrase: () => localSecret(env.dataDir, 'pki-passphrase') });
  const documents = createDocumentIssuer(documentStore, signing);
  // The key of the applicant hash in the index of reusable files: MOTCUA_APPLICANT_KEY, or the data folder's own.
  const applicant = applicantKey(env, { key: () => localSecret(env.dataDir, 'applicant-key') });
  // The national PAKN system: MOTCUA_PAKN_URL, or a loopback double where a test item can be sent (docs/integrations.md#the-national-pakn-double).
  let pakn = nationalPaknFromEnvironment(env);
  if (!pakn) {
    const double = await startNationalPaknDouble();
    closers.add('national PAKN double', () => double.close());
    pakn = referenceNationalPakn({ baseUrl: double.url, token: double.token, timeoutMs: env.MOTCUA_PAKN_TIMEOUT_MS });
    logger.info({ nationalPakn: double.url }, 'the national PAKN system is a loopback double (POST /__items sends an item as a citizen on the national portal, PUT /__reactions, GET /__inspect, POST /__faults); set MOTCUA_PAKN_URL for the real one');
  }
  await runDossierWorker(env, stack.temporalAddress, db, documents, keys, closers, logger, applicant, { store: documentStore, pakn }, tracing);

  // The national portal's e-data store: MOTCUA_DATA_STORE_URL, or a loopback double with a trial paper (docs/local-stack.md).
  let dataStore = dataStoreFromEnvironment(env);
  if (!dataStore) {
    const double = await startDataStoreDouble({ seed: await trialSeed() });
    closers.add('e-data store double', () => double.close());
    dataStore = nationalPortalDataStore({ baseUrl: double.url, timeoutMs: env.MOTCUA_DATA_STORE_TIMEOUT_MS });
    logger.info({ dataStore: double.url }, 'the e-data store is a loopback double (GET /__inspect, POST /__faults); set MOTCUA_DATA_STORE_URL for a real one');
  }

  const clientConnection = await Connection.connect({ address: stack.temporalAddress });
  closers.add('client connection', () => clientConnection.close());
  const temporal = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] }, ...(tracing ? { interceptors: tracing.clientInterceptors } : {}) });
  // The outbox (docs/integrations.md): MOTCUA_OUTBOX_CONFIG's receivers, or loopback doubles of the
  // portal, the SMTP server, the SMS gateway and Zalo ZNS, so deliveries can be watched happening.
  const lookupKey = env.MOTCUA_LOOKUP_KEY ?? localSecret(env.dataDir, 'lookup-key');
  const fileLinkKey = env.MOTCUA_FILE_LINK_KEY ?? localSecret(env.dataDir, 'file-link-key');
  const publicBaseUrl = `http://${env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST}:${apiPort}`;
  let outboxConfig: OutboxConfig;
  if (env.MOTCUA_OUTBOX_CONFIG) {
    outboxConfig = loadOutboxConfig(env.MOTCUA_OUTBOX_CONFIG);
  } else {
    // The land, tax and civil-status systems too, each doing its next thing 20 s after the last, so a
    // person sees an external step wait (the tax office waits for POST <tax>/__pay, docs/integrations.md#the-systems-doubles).
    const doubles = await startOutboxDoubles({ secretsDir: path.join(env.dataDir, 'secrets', 'outbox-doubles'), interagency: { engineUrl: publicBaseUrl, answerDelayMs: 20_000, pollSeconds: 10 } });
    closers.add('outbox doubles', () => doubles.close());
    // No quiet hours here: a trial at night should still see its SMS go out. A payment request's
    // notice links to the citizen's lookup in the console's public part, the code filled in (the
    // citizen types the secret; docs/console.md#the-public-part), where it is paid online.
    const paymentRequestLink = `${publicBaseUrl}/console/cong-khai/tra-cuu?ma={maHoSo}`;
    outboxConfig = doubles.config(publicBaseUrl, { notices: outboxConfigSchema.shape.notices.parse({ quietHours: {}, paymentRequestLink }) });
    const written = path.join(env.dataDir, 'outbox-doubles.json');
    writeFileSync(written, `${JSON.stringify(outboxConfig, null, 2)}\n`);
    logger.info({ ...doubles.urls(), configuration: written }, 'the outbox sends to loopback doubles (GET /__inspect, /__receipts; POST /__faults on each); set MOTCUA_OUTBOX_CONFIG for real receivers');
    if (doubles.interagency) {
      const inspect = Object.fromEntries(Object.entries(doubles.interagency.urls()).map(([system, url]) => [system, `${url}/__inspect`]));
      logger.info({ ...inspect, pay: `${doubles.interagency.tax.url}/__pay` }, 'the land, tax and civil-status systems are loopback doubles: what each was handed and answered at GET /__inspect; POST /__faults to make one slow or down; the tax office waits for POST /__pay {"dossierCode": "…"}');
    }
  }
  // The national payment platform (docs/integrations.md#online-payment): MOTCUA_PAYMENT_*, or its loopback
  // double, which calls back this engine when a citizen pays on its page; its query sweep runs every minute here.
  let payment: PaymentSettings | undefined = paymentSettingsFromEnvironment(env);
  if (!payment) {
    // After paying, its page links back to the citizen's lookup (the page a province registers with the platform).
    const double = await startPaymentPlatformDouble({ callbackUrl: `${publicBaseUrl}${CALLBACK_PATH}`, returnUrl: `${publicBaseUrl}/console/cong-khai/tra-cuu` });
    closers.add('payment platform double', () => double.close());
    payment = double.settings({ everyMs: 60_000, minAgeMs: 60_000 });
    logger.info({ paymentPlatform: double.url, inspect: `${double.url}/__inspect` }, 'the national payment platform is a loopback double: the citizen pays on its page (or POST /__pay/<reference>) and it calls back; POST /__faults {"dropCallback": true} loses the callback for the query sweep to find; set MOTCUA_PAYMENT_INIT_URL for the real one');
  }
  const outbox = createOutbox(outboxConfig, { lookupKey, fileLinkKey, logger, zaloTokens: receiverCredentialStore<ZaloTokens>(db, codec, 'zalo') });
  const relayConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  closers.add('relay connection', () => relayConnection.close());
  // The outside systems' answers: the callback route below and the relay's sweep and poller (docs/integrations.md#answers-from-the-systems).
  const interagency = inboundOf(outboxConfig.interagency);
  const relay = await runOutbox(
    { db, temporal, connection: relayConnection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] }, dossierTaskQueue: env.TEMPORAL_TASK_QUEUE, outbox, logger, workflowBundlePath: env.MOTCUA_WORKFLOW_BUNDLE, interagency: { config: interagency, store: documentStore }, payment: { settings: payment, store: documentStore, commandTimeoutMs: env.MOTCUA_COMMAND_TIMEOUT_SECONDS * 1000 } },
    closers,
  );

  const jwtSecret = env.MOTCUA_JWT_SECRET ?? localSecret(env.dataDir, 'jwt-secret');
  // The console is built once (and again after a change to its sources or to the API's routes).
  const consoleDir = consoleDirectory(env);
  await ensureConsoleBuilt(consoleDir, logger);
  const app = await buildApp({
    db,
    temporal,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger,
    ...(tracing ? { tracer: tracing.tracer } : {}),
    auth: authSettings(env, jwtSecret),
    lookupKey,
    rateLimitPerMinute: env.MOTCUA_RATE_LIMIT_PER_MINUTE,
    publicRateLimitPerMinute: env.MOTCUA_PUBLIC_RATE_LIMIT_PER_MINUTE,
    feedbackSubmissionsPerMinute: env.MOTCUA_FEEDBACK_SUBMISSIONS_PER_MINUTE,
    commandTimeoutMs: env.MOTCUA_COMMAND_TIMEOUT_SECONDS * 1000,
    // The Temporal UI's page calls the codec from the browser.
    corsOrigins: [...corsOrigins(env), ...(stack.temporalUiUrl ? [stack.temporalUiUrl, stack.temporalUiUrl.replace('127.0.0.1', 'localhost')] : [])],
    trustProxyHops: env.MOTCUA_TRUST_PROXY,
    documents: { store: documentStore, trustAnchorFiles: signing.trustAnchorFiles },
    // This UI has no login: the codec answers callers on this machine without a token.
    temporalCodec: { codec, callers: 'loopback' },
    applicantKey: applicant,
    dataStore,
    portalFileLinks: { key: fileLinkKey },
    deliveries: { wake: (receiver, dossierCode) => relay.wake(receiver, dossierCode) },
    interagency,
    payments: paymentConnectionOf(payment),
    // The staff console, with the local sign-in for sample roles (docs/console.md#signing-in);
    // an identity provider instead when MOTCUA_OIDC_AUTHORITY names one.
    console: {
      directory: consoleDir,
      ...(consoleIdentityProvider(env) ? { identityProvider: consoleIdentityProvider(env)! } : { localSignIn: { secret: jwtSecret, audience: env.MOTCUA_JWT_AUDIENCE, ...(env.MOTCUA_JWT_ISSUER ? { issuer: env.MOTCUA_JWT_ISSUER } : {}) } }),
      // A trial's head signs a sample decision with the local PKI, which only the trial has.
      ...(signing.localPki ? { trialSigning: trialSigning(db, signing.keystoreDir, signing.passphrase) } : {}),
    },
  });
  closers.add('API', () => app.close());
  const apiUrl = await listenOrExplain(app, env.HOST, apiPort);
  logger.info(
    { codec: codecEndpoint, keyIds: keys.map((key) => key.id) },
    `Temporal payloads are encrypted (keys in MOTCUA_PAYLOAD_KEYS or ${env.dataDir}/secrets/payload-keys). The codec endpoint ${codecEndpoint}${stack.temporalUiUrl ? ', which the Temporal UI started here decrypts them through,' : ''} answers any caller on this machine without a token, since the dev server's UI has no login; callers from elsewhere need a dossier reader's token, as in production.`,
  );

  logger.info(
    {
      api: apiUrl,
      temporal: stack.temporalAddress,
      temporalUi: stack.temporalUiUrl ?? '(not started here)',
      postgres: stack.origins.postgres,
      temporalServer: stack.origins.temporal,
      dataDir: env.dataDir,
    },
    `motcua is running: console ${apiUrl}/console/ (sign in as a sample role), API ${apiUrl} (docs ${apiUrl}/docs)${stack.temporalUiUrl ? `, Temporal UI ${stack.temporalUiUrl}` : ''}. Ctrl-C stops it.`,
  );
  logger.info(
    'a token for the sample reception desk: TOKEN=$(npm run -s token -- --role reception --agency 000.01.01.H99 --user letan.an); then curl -H "Authorization: Bearer $TOKEN" %s/dossiers (docs/api.md walks a dossier through)',
    apiUrl,
  );
} catch (error) {
  await failAndExit(logger, closers, error);
}
