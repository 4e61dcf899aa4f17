import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { pingDatabase } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { registerAccessControl } from './auth/access.js';
import { createTokenVerifier, type TokenSettings } from './auth/token-verifier.js';
import { registerIdempotency } from './idempotency.js';
import { registerUploads } from './uploads.js';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './workflow-answer-wait.js';
import { createMethodRegistry } from './method-not-allowed.js';
import { declareSharedAnswers, hoistMultipartEncoding } from './openapi-responses.js';
import { frameworkErrorProblem, registerProblemDetails } from './problem-details.js';
import { calendarAmendmentRoutes } from './routes/calendar-amendments.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { citizenEvaluationRoutes } from './routes/citizen-evaluation.js';
import { citizenLookupRoutes } from './routes/citizen-lookup.js';
import { publicPagesRoutes } from './routes/public-pages.js';
import { dossierActionRoutes } from './routes/dossier-actions.js';
import { dossierCommandRoutes } from './routes/dossier-commands.js';
import { dossierListRoutes } from './routes/dossier-list.js';
import { dossierReadRoutes } from './routes/dossier-reads.js';
import { dossierRoutes } from './routes/dossiers.js';
import { dossierFileRoutes } from './routes/dossier-files.js';
import { reportRoutes } from './routes/reports.js';
import { documentRoutes } from './routes/documents.js';
import { issueResultRoute } from './routes/issue-result.js';
import { reusableFileRoutes } from './routes/reusable-files.js';
import type { DataStore } from '../integrations/data-store/port.js';
import { portalIntakeRoutes } from './routes/portal-intake.js';
import { mirrorRoutes } from './routes/mirrors.js';
import { type CodecCallers, temporalCodecRoutes } from './routes/temporal-codec.js';
import type { PayloadCodec } from '@temporalio/common';
import type { DocumentStore } from '../documents/document-store.js';
import { type DeliveryLaneWaker, deliveryRoutes } from './routes/deliveries.js';
import { metricsRoutes } from './routes/metrics.js';
import { portalFileRoutes } from './routes/portal-files.js';
import { consoleFileRoutes } from './console-files.js';
import { consoleSignInRoutes, type IdentityProviderSettings, type LocalSignInSettings } from './routes/console-sign-in.js';
import { type TrialSigning, trialSigningRoutes } from './routes/trial-signing.js';
import { interagencyAnswerRoutes } from './routes/interagency-answers.js';
import { feedbackCommandRoutes } from './routes/feedback-commands.js';
import { feedbackFileStepRoutes } from './routes/feedback-file-steps.js';
import { feedbackPublicRoutes } from './routes/feedback-public.js';
import { feedbackReportRoutes } from './routes/feedback-report.js';
import { feedbackStaffRoutes } from './routes/feedback-staff.js';
import type { InteragencyInbound } from '../integrations/interagency/inbound-config.js';
import { type PaymentPlatformConnection, paymentRoutes } from './routes/payments.js';
import { paymentCallbackRoutes } from './routes/payment-callback.js';
import type { Tracer } from '@opentelemetry/api';
import { traceHttpRequests } from '../platform/tracing.js';

export interface AppDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly logger: Logger;
  /** When tracing is on (platform/tracing.ts): a span per request, the parent of the Temporal client's. */
  readonly tracer?: Tracer;
  /** How bearer tokens are verified (HS256 secret or JWKS URL). */
  readonly auth: TokenSettings;
  /** Derives the lookup secret printed on each receipt. */
  readonly lookupKey: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit?: number;
  /** Requests per minute per caller (per address for anonymous ones). */
  readonly rateLimitPerMinute?: number;
  /** Feedback items (and replies to a request for information) one address may send a minute on the public form: 10 by default. */
  readonly feedbackSubmissionsPerMinute?: number;
  /**
   * Requests per minute per client address on each public route a citizen uses without an account
   * (the evaluation, the public catalogue and results, reads of their payments; docs/citizens.md):
   * 30 by default (MOTCUA_PUBLIC_RATE_LIMIT_PER_MINUTE). Starting an online payment, which makes
   * the engine call the payment platform, allows a third of it.
   */
  readonly publicRateLimitPerMinute?: number;
  /**
   * How long a command waits for its dossier's workflow to answer (20 s by default). Past it the
   * caller gets a 503: the command may still take effect, so it is retried with the same key.
   */
  readonly commandTimeoutMs?: number;
  /** Browser origins allowed to call the API; none by default. */
  readonly corsOrigins?: readonly string[];
  /** Proxy hops to trust for the client address, so anonymous rate limits are per client. */
  readonly trustProxyHops?: number;
  /** The document store and the PEM files of the CAs a verification trusts. */
  readonly documents: { readonly store: DocumentStore; readonly trustAnchorFiles: readonly string[] };
  /** The payload codec the Temporal UI borrows (POST /temporal-codec/decode), and who may call it. */
  readonly temporalCodec: { readonly codec: PayloadCodec; readonly callers: CodecCallers };
  /** The wait between a calendar roll-out's passes (workflows/calendar-rollout.ts); 10 minutes by default. */
  readonly calendarRolloutSettleMs?: number;
  /**
   * MOTCUA_APPLICANT_KEY, the key of the applicant hash in the index of reusable files (the
   * workers' own); without it the reuse routes (docs/files.md#reuse) are not served.
   */
  readonly applicantKey?: string;
  /** The national portal's e-data store (MOTCUA_DATA_STORE_URL); absent: not offered. */
  readonly dataStore?: DataStore;
  /**
   * Wakes an outbox lane after an operator's retry or close (a Temporal signal to its workflow);
   * absent: the change is committed and the relay's next sweep wakes the lane.
   */
  readonly deliveries?: DeliveryLaneWaker;
  /**
   * The key the national-portal sync signs its public file links with (api/portal-file-links.ts,
   * at least 32 characters); with it, GET /portal-files/{dossierCode}/{token} serves them. Absent: not served.
   */
  readonly portalFileLinks?: { readonly key: string };
  /**
   * The outside systems connected for their answers (docs/integrations.md#answers-from-the-systems):
   * callback secrets resolved, how each answers, its hold. Absent, or a system left out: its
   * callbacks answer 404 (the route is still served, and documented).
   */
  readonly interagency?: InteragencyInbound;
  /**
   * The national payment platform (docs/integrations.md#online-payment): its adapter, the partner
   * code and the MaXacThuc secrets. Absent: online payment is not offered (the citizen's start answers
   * 404, callbacks are refused), the payment requests are still shown.
   */
  readonly payments?: PaymentPlatformConnection;
  /**
   * The staff console (docs/console.md): its build folder, served under /console/, and how it signs
   * people in: the identity provider's OpenID Connect settings, or (npm start and the tests only)
   * the local sign-in that mints tokens for sample roles. Absent: no console, no sign-in routes.
   */
  readonly console?: {
    readonly directory: string;
    readonly localSignIn?: LocalSignInSettings;
    readonly identityProvider?: IdentityProviderSettings;
    /** npm start only: signs a sample decision for a trial's head (POST /dossiers/{code}/trial-result). */
    readonly trialSigning?: TrialSigning;
  };
}

// A missing field reads "is required" rather than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});

/** The HTTP API, built without listening so tests can drive it with `inject()` or a real socket. */
/** A readiness probe answers within this, so a hung Temporal reads as down, not as a hung probe. */
const READINESS_TIMEOUT_MS = 5_000;

export async function buildApp(deps: AppDeps) {
  const commandTimeoutMs = deps.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1_048_576,
    genReqId: () => crypto.randomUUID(),
    frameworkErrors: frameworkErrorProblem,
    // Trust only the first hops (your proxies) for the client address.
    trustProxy: (_address: string, hop: number) => hop < (deps.trustProxyHops ?? 0),
    // Fastify's own request logs print the raw URL, query string included (the citizen lookup's
    // secret travels there). Ours, below, name the route pattern instead, and never a body.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  // First, so every later hook and the handler run in the request's span (platform/tracing.ts).
  if (deps.tracer) await traceHttpRequests(app, deps.tracer);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
  });
  // Every route as registered, so the contract test can hold the OpenAPI document to all of them.
  const registeredRoutes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') registeredRoutes.push({ method, url: route.url });
  });
  app.decorate('registeredRoutes', registeredRoutes);
  // Before swagger's own hook and the schema compilers see the route: the answers every route shares.
  app.addHook('onRoute', declareSharedAnswers);
  const methods = createMethodRegistry();
  app.addHook('onRoute', methods.record);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemDetails(app, methods.allowedOn);
  // The API speaks JSON only: a text body is refused (415) rather than half-read.
  app.removeContentTypeParser('text/plain');

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'motcua',
        version: '0.1.0',
        description: "Event-sourced workflow engine for Vietnam's one-stop mechanism (cơ chế một cửa, một cửa liên thông). Walk-through: docs/api.md.",
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          interagencySignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Motcua-Signature',
            description: 'An outside system signs its callback: t=<unix seconds>,v1=<hex HMAC-SHA256(its callback secret, "<t>.<raw body>")>, within 300 s (docs/integrations.md#answers-from-the-systems).',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => hoistMultipartEncoding('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...deps.corsOrigins], allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-namespace'], exposedHeaders: ['etag', 'location', 'idempotent-replayed'] });
  }
  registerAccessControl(app, createTokenVerifier(deps.auth));
  await app.register(rateLimit, {
    max: deps.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    hook: 'preHandler',
    keyGenerator: (request) => request.caller?.actor.userId ?? request.ip,
    errorResponseBuilder: (_request, context) => ({
      type: 'urn:motcua:problem:rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: `At most ${context.max} requests a minute per caller; retry in ${Math.ceil(context.ttl / 1000)} s.`,
      statusCode: 429,
    }),
  });
  registerIdempotency(app, deps.db, deps.lookupKey, commandTimeoutMs);
  // multipart/form-data for the routes that take files, streamed (api/uploads.ts): no other route reads it.
  await registerUploads(app);

  app.get('/openapi.json', { schema: { hide: true }, config: { access: { public: true } } }, async () => app.swagger());

  app.get(
    '/health',
    { schema: { summary: 'Alive: the process answers', tags: ['operations'], security: [], response: { 200: z.object({ status: z.literal('up') }) } }, config: { access: { public: true } } },
    async () => ({ status: 'up' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Ready: PostgreSQL and Temporal both answer',
        tags: ['operations'],
        security: [],
        response: { 200: z.object({ status: z.literal('up'), database: z.string(), temporal: z.string() }), 503: z.object({ status: z.literal('down'), database: z.string(), temporal: z.string() }) },
      },
      config: { access: { public: true } },
    },
    async (_request, reply) => {
      const checks = await Promise.allSettled([pingDatabase(deps.db), deps.temporal.withDeadline(Date.now() + READINESS_TIMEOUT_MS, () => deps.temporal.connection.workflowService.getSystemInfo({}))]);
      const [database, temporal] = checks.map((check) => (check.status === 'fulfilled' ? 'up' : 'down')) as [string, string];
      if (checks.every((check) => check.status === 'fulfilled')) return reply.code(200).send({ status: 'up' as const, database, temporal });
      return reply.code(503).send({ status: 'down' as const, database, temporal });
    },
  );

  await app.register(dossierRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, lookupKey: deps.lookupKey, commandTimeoutMs });
  await app.register(dossierCommandRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, lookupKey: deps.lookupKey, commandTimeoutMs });
  await app.register(dossierFileRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs, store: deps.documents.store });
  await app.register(dossierListRoutes, { db: deps.db, ...(deps.applicantKey ? { applicantKey: deps.applicantKey } : {}) });
  await app.register(dossierReadRoutes, { db: deps.db });
  await app.register(dossierActionRoutes, { db: deps.db });
  await app.register(citizenLookupRoutes, { db: deps.db, lookupKey: deps.lookupKey });
  await app.register(citizenEvaluationRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, lookupKey: deps.lookupKey, commandTimeoutMs, perMinute: deps.publicRateLimitPerMinute ?? 30 });
  await app.register(publicPagesRoutes, { db: deps.db, perMinute: deps.publicRateLimitPerMinute ?? 30 });
  await app.register(catalogueRoutes, { db: deps.db });
  await app.register(reportRoutes, { db: deps.db });
  await app.register(issueResultRoute, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs, store: deps.documents.store, trustAnchorFiles: deps.documents.trustAnchorFiles });
  await app.register(documentRoutes, { db: deps.db, store: deps.documents.store, trustAnchorFiles: deps.documents.trustAnchorFiles, lookupKey: deps.lookupKey });
  if (deps.applicantKey) {
    await app.register(reusableFileRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs, store: deps.documents.store, applicantKey: deps.applicantKey, ...(deps.dataStore ? { dataStore: deps.dataStore } : {}) });
  }
  await app.register(portalIntakeRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs, store: deps.documents.store, lookupKey: deps.lookupKey });
  await app.register(mirrorRoutes, { db: deps.db, ...(deps.applicantKey ? { applicantKey: deps.applicantKey } : {}) });
  await app.register(temporalCodecRoutes, { ...deps.temporalCodec, namespace: deps.temporal.options.namespace });
  await app.register(calendarAmendmentRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, ...(deps.calendarRolloutSettleMs !== undefined ? { rolloutSettleMs: deps.calendarRolloutSettleMs } : {}) });
  await app.register(deliveryRoutes, { db: deps.db, ...(deps.deliveries ? { deliveries: deps.deliveries } : {}) });
  await app.register(metricsRoutes, { db: deps.db });
  await app.register(interagencyAnswerRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs, store: deps.documents.store, ...(deps.interagency ? { interagency: deps.interagency } : {}) });
  await app.register(paymentRoutes, { publicRateLimitPerMinute: Math.max(1, Math.ceil((deps.publicRateLimitPerMinute ?? 30) / 3)), db: deps.db, lookupKey: deps.lookupKey, ...(deps.payments ? { payments: deps.payments } : {}) });
  await app.register(paymentCallbackRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs, store: deps.documents.store, ...(deps.payments ? { payments: deps.payments } : {}) });
  const feedbackDeps = { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs, store: deps.documents.store, lookupKey: deps.lookupKey };
  await app.register(feedbackPublicRoutes, { ...feedbackDeps, ...(deps.feedbackSubmissionsPerMinute !== undefined ? { submissionsPerMinute: deps.feedbackSubmissionsPerMinute } : {}) });
  await app.register(feedbackStaffRoutes, feedbackDeps);
  await app.register(feedbackCommandRoutes, feedbackDeps);
  await app.register(feedbackFileStepRoutes, feedbackDeps);
  await app.register(feedbackReportRoutes, { db: deps.db });
  if (deps.portalFileLinks) await app.register(portalFileRoutes, { db: deps.db, store: deps.documents.store, key: deps.portalFileLinks.key });
  if (deps.console) {
    const { directory, localSignIn, identityProvider, trialSigning } = deps.console;
    if (trialSigning) await app.register(trialSigningRoutes, { db: deps.db, signing: trialSigning });
    await app.register(consoleSignInRoutes, { db: deps.db, ...(localSignIn ? { localSignIn } : {}), ...(identityProvider ? { identityProvider } : {}) });
    await app.register(consoleFileRoutes, { directory, ...(identityProvider ? { connectOrigins: [new URL(identityProvider.authority).origin] } : {}) });
  }
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: readonly { method: string; url: string }[];
  }
}

/** Listens, turning "port in use" into what to do about it. */
export async function listenOrExplain(app: App, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new Error(`port ${port} on ${host} is already in use (another motcua?). Stop that process or set PORT to a free port.`);
    }
    throw error;
  }
}
