import path from 'node:path';
import { paymentEnvironmentShape } from '../integrations/payment/payment-config.js';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parsePayloadKeys, type PayloadKeyRing, PayloadKeysMalformed } from './payload-keys.js';

// Every setting comes from the environment (README.md, "Configuration", lists them). Parsed once,
// with an error that names the variable, the value's problem and what it should be.

const port = z.coerce.number().int().min(0).max(65_535);

const environmentSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MOTCUA_DATA_DIR: z.string().min(1).default('.motcua'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PG_BIN: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port, e.g. localhost:7233').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('motcua-dossiers'),
  TEMPORAL_CLI: z.string().min(1).optional(),
  TEMPORAL_UI_PORT: port.optional(),
  MOTCUA_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /** A catalogue file (agencies, procedures) to load at start; npm start loads the sample one. */
  MOTCUA_CATALOGUE: z.string().min(1).optional(),
  /** HS256 secret for bearer tokens (at least 32 characters); npm start keeps one in the data folder. */
  MOTCUA_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** RS256/ES256 through an identity provider's JWKS, e.g. https://sso.example.gov.vn/.well-known/jwks.json */
  MOTCUA_JWKS_URL: z.url().optional(),
  MOTCUA_JWT_ISSUER: z.string().min(1).optional(),
  MOTCUA_JWT_AUDIENCE: z.string().min(1).default('motcua'),
  /** Key that derives each dossier's lookup secret (printed on the receipt); npm start keeps one. */
  MOTCUA_LOOKUP_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Keys that encrypt Temporal payloads, `<id>:<base64 32 bytes>` comma-separated, newest first (platform/payload-keys.ts); npm start keeps one. */
  MOTCUA_PAYLOAD_KEYS: z
    .string()
    .superRefine((text, context) => {
      try {
        parsePayloadKeys(text);
      } catch (error) {
        if (!(error instanceof PayloadKeysMalformed)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
      }
    })
    .optional(),
  MOTCUA_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  MOTCUA_PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Feedback items (and replies to a request for information) one address may send a minute through the public form (docs/citizens.md#sending-feedback-or-a-complaint). */
  MOTCUA_FEEDBACK_SUBMISSIONS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** How long a command waits for its dossier's workflow to answer before the API gives up with a 503. */
  MOTCUA_COMMAND_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(20),
  /** Proxies in front of the API to trust for the client address (X-Forwarded-For): a hop count. */
  MOTCUA_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Origins allowed to call the API from a browser, comma-separated; none by default. */
  MOTCUA_CORS_ORIGINS: z.string().optional(),
  /** Agency keystores, `<dir>/agencies/<agency code>.p12` (docs/documents.md); `npm start` uses a local PKI in the data folder. */
  MOTCUA_KEYSTORE_DIR: z.string().min(1).optional(),
  MOTCUA_KEYSTORE_PASSPHRASE: z.string().min(8, 'must be at least 8 characters').optional(),
  /** PEM files of the CAs a signature verification trusts, comma-separated. */
  MOTCUA_TRUST_ANCHORS: z.string().min(1).optional(),
  /** Issue missing agency keystores from a local CA in MOTCUA_KEYSTORE_DIR: for trials only. */
  MOTCUA_LOCAL_PKI: z.enum(['true', 'false']).optional(),
  /**
   * Where document files live (the records stay in PostgreSQL); `<data dir>/documents` by default.
   * API and worker hosts must share it (docs/operations.md#the-document-directory).
   */
  MOTCUA_DOCUMENT_DIR: z.string().min(1).optional(),
  /**
   * Key of the HMAC that stands for an applicant's identity number in the index of reusable files
   * (db/projections/component-file-index.ts, docs/files.md#reuse); npm start keeps one. Worker and API
   * need the same key; changing it means rebuilding the index (npm run projections:rebuild component-file-index).
   */
  MOTCUA_APPLICANT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The national portal's e-data store (Kho), e.g. https://lgsp.example.gov.vn/kho/; unset: the store is not offered (docs/integrations/data-store.md). */
  MOTCUA_DATA_STORE_URL: z.url().optional(),
  /** Bearer token the e-data store's gateway issued to this engine, if it asks for one. */
  MOTCUA_DATA_STORE_TOKEN: z.string().min(1).optional(),
  /** How long a call to the e-data store may take before the engine answers without it. */
  MOTCUA_DATA_STORE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** The national PAKN system (docs/integrations.md#national-pakn-system), e.g. https://pakn.example.gov.vn/api/; unset: not connected. */
  MOTCUA_PAKN_URL: z.url().optional(),
  /** Bearer token the national PAKN system issued to this engine; required with MOTCUA_PAKN_URL. */
  MOTCUA_PAKN_TOKEN: z.string().min(1).optional(),
  /** Each call to the national PAKN system's deadline. */
  MOTCUA_PAKN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** How often the worker asks the national PAKN system for new items and reactions. */
  MOTCUA_PAKN_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * The outbox's configuration file: the portal, e-mail, SMS and Zalo receivers, the notice policy
   * and the delivery settings (docs/integrations.md#configuration). The relay needs it; `npm start`
   * writes one pointing at its loopback doubles when it is unset.
   */
  MOTCUA_OUTBOX_CONFIG: z.string().min(1).optional(),
  /**
   * The key that signs the public links of a dossier's files (GET /portal-files/…): the links the
   * national portal downloads files and e-results from, and the signed letters' links in notices.
   * The same on the API (which checks them) and the relay (which makes them); `npm start` keeps one.
   */
  MOTCUA_FILE_LINK_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Where the API, the worker and the relay each serve their Prometheus metrics (GET /metrics, docs/operations.md#metrics-and-traces); unset: not served on a port of their own. */
  MOTCUA_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /**
   * The address that metrics port binds to. It answers without a token, so loopback by default;
   * docker-compose.yml sets 0.0.0.0 inside each container (published to the host's loopback only).
   */
  MOTCUA_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * OpenTelemetry traces (docs/operations.md#metrics-and-traces), the specification's standard names:
   * the collector's OTLP/HTTP base URL (e.g. http://otel-collector:4318; `/v1/traces` is appended).
   * Unset (and no OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): no traces, nothing loaded.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://otel-collector:4318' }).optional(),
  /** The full OTLP/HTTP traces URL, used as given; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://otel-collector:4318/v1/traces' }).optional(),
  /** The process's name in the traces; default motcua-api, motcua-worker (motcua under npm start). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** The staff console's build folder (docs/console.md); default console/dist of the project (dist/console in the image). */
  MOTCUA_CONSOLE_DIR: z.string().min(1).optional(),
  /** The identity provider the console signs staff in with (OpenID Connect issuer URL); with MOTCUA_JWKS_URL in production. */
  MOTCUA_OIDC_AUTHORITY: z.url().optional(),
  /** The console's client id at that provider. */
  MOTCUA_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The scopes the console asks for. */
  MOTCUA_OIDC_SCOPE: z.string().min(1).default('openid profile'),
  /** The national payment platform (docs/integrations.md#online-payment): MOTCUA_PAYMENT_*; unset, online payment is not offered. */
  ...paymentEnvironmentShape,
});

export type Environment = z.infer<typeof environmentSchema> & { readonly dataDir: string };

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigurationError(`invalid environment variables:\n${problems}\nFix them (README.md, "Configuration") and start again.`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.MOTCUA_DATA_DIR) };
}

/** The directory of document files: MOTCUA_DOCUMENT_DIR, or `documents` in the data folder. */
export function documentDirectory(env: Environment): string {
  return env.MOTCUA_DOCUMENT_DIR ? path.resolve(env.MOTCUA_DOCUMENT_DIR) : path.join(env.dataDir, 'documents');
}

/** How the API verifies bearer tokens, from the environment (a secret may be supplied instead). */
export function authSettings(env: Environment, secret = env.MOTCUA_JWT_SECRET) {
  return {
    ...(env.MOTCUA_JWKS_URL ? { jwksUrl: env.MOTCUA_JWKS_URL } : { secret }),
    ...(env.MOTCUA_JWT_ISSUER ? { issuer: env.MOTCUA_JWT_ISSUER } : {}),
    audience: env.MOTCUA_JWT_AUDIENCE,
  };
}

export function corsOrigins(env: Environment): string[] {
  return (env.MOTCUA_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
}

/**
 * Where agency keystores are and what a verification trusts. Production names them; without
 * MOTCUA_KEYSTORE_DIR, `npm start` (local = true) keeps a local PKI in the data folder.
 */
export function signingSettings(env: Environment, local: { passphrase: () => string } | null) {
  const keystoreDir = env.MOTCUA_KEYSTORE_DIR ? path.resolve(env.MOTCUA_KEYSTORE_DIR) : local ? path.join(env.dataDir, 'pki') : undefined;
  if (!keystoreDir) throw new ConfigurationError('documents are signed with agency keystores: set MOTCUA_KEYSTORE_DIR (and MOTCUA_KEYSTORE_PASSPHRASE, MOTCUA_TRUST_ANCHORS); see docs/documents.md');
  const localPki = env.MOTCUA_LOCAL_PKI ? env.MOTCUA_LOCAL_PKI === 'true' : local !== null && !env.MOTCUA_KEYSTORE_DIR;
  const passphrase = env.MOTCUA_KEYSTORE_PASSPHRASE ?? local?.passphrase();
  if (!passphrase) throw new ConfigurationError('set MOTCUA_KEYSTORE_PASSPHRASE, the passphrase of the agency keystores in MOTCUA_KEYSTORE_DIR');
  const trustAnchorFiles = env.MOTCUA_TRUST_ANCHORS ? env.MOTCUA_TRUST_ANCHORS.split(',').map((file) => path.resolve(file.trim())) : localPki ? [path.join(keystoreDir, 'ca.pem')] : [];
  if (trustAnchorFiles.length === 0) throw new ConfigurationError('set MOTCUA_TRUST_ANCHORS to the PEM file(s) of the CA(s) that issue the agencies\' certificates');
  return { keystoreDir, passphrase, trustAnchorFiles, localPki };
}

/**
 * The keys that encrypt Temporal payloads: MOTCUA_PAYLOAD_KEYS, or where none is set and `local`
 * is given (`npm start`), the data folder's own. Production must set them: without the keys a
 * process could neither read the histories nor write what the others can read.
 */
export function payloadKeys(env: Environment, local: { keys: () => string } | null = null): PayloadKeyRing {
  const text = env.MOTCUA_PAYLOAD_KEYS ?? local?.keys();
  if (!text) {
    throw new ConfigurationError(
      `set MOTCUA_PAYLOAD_KEYS, the keys that encrypt Temporal payloads: \`<id>:<base64 key>\`, newest first, e.g. MOTCUA_PAYLOAD_KEYS=k1:$(openssl rand -base64 32) (docs/operations.md, "Payload keys"); the same keys on every worker, API and operator's tool. \`npm start\` keeps its own in ${path.join(env.dataDir, 'secrets', 'payload-keys')}.`,
    );
  }
  try {
    return parsePayloadKeys(text);
  } catch (error) {
    if (error instanceof PayloadKeysMalformed) throw new ConfigurationError(`${env.MOTCUA_PAYLOAD_KEYS ? 'MOTCUA_PAYLOAD_KEYS' : path.join(env.dataDir, 'secrets', 'payload-keys')}: ${error.message}`);
    throw error;
  }
}

/**
 * The key that pseudonymises applicants in the index of reusable files: MOTCUA_APPLICANT_KEY, or
 * where none is set and `local` is given (`npm start`), the data folder's own.
 */
export function applicantKey(env: Environment, local: { key: () => string } | null = null): string {
  const key = env.MOTCUA_APPLICANT_KEY ?? local?.key();
  if (!key) {
    throw new ConfigurationError(
      `set MOTCUA_APPLICANT_KEY (32+ characters, e.g. $(openssl rand -base64 32)): the key of the HMAC that stands for applicants' identity numbers in the index of reusable files (docs/files.md#reuse); the same key on every worker and API. \`npm start\` keeps its own in ${path.join(env.dataDir, 'secrets', 'applicant-key')}.`,
    );
  }
  return key;
}

/** The staff console's build folder: MOTCUA_CONSOLE_DIR, or console/dist beside the code. */
export function consoleDirectory(env: Environment): string {
  return env.MOTCUA_CONSOLE_DIR ? path.resolve(env.MOTCUA_CONSOLE_DIR) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'console', 'dist');
}

/** The console's identity provider, when MOTCUA_OIDC_AUTHORITY and MOTCUA_OIDC_CLIENT_ID name one. */
export function consoleIdentityProvider(env: Environment): { authority: string; clientId: string; scope: string } | undefined {
  if (!env.MOTCUA_OIDC_AUTHORITY && !env.MOTCUA_OIDC_CLIENT_ID) return undefined;
  if (!env.MOTCUA_OIDC_AUTHORITY || !env.MOTCUA_OIDC_CLIENT_ID) throw new ConfigurationError('the console signs in with MOTCUA_OIDC_AUTHORITY and MOTCUA_OIDC_CLIENT_ID together: set both, or neither');
  return { authority: env.MOTCUA_OIDC_AUTHORITY, clientId: env.MOTCUA_OIDC_CLIENT_ID, scope: env.MOTCUA_OIDC_SCOPE };
}
