// The API as buildApp() makes it, driven with Fastify's inject(): no socket, no PostgreSQL, no
// Temporal. The database and the workflow client are the real ones, pointed at a port where
// nothing listens, so a test that reached them would fail loudly rather than pass on a mock; the
// routes under test answer before they would (access control, validation, problem details).
import { createPayloadCodec } from '../../platform/payload-codec.js';
import { parsePayloadKeys } from '../../platform/payload-keys.js';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { type App, buildApp } from '../../api/app.js';
import { SignJWT } from 'jose';
import { mintToken } from '../../api/auth/token-verifier.js';
import { createDatabase } from '../../db/database.js';
import type { Role } from '../../domain/dossier/actor.js';
import { createDocumentStore, type DocumentStore } from '../../documents/document-store.js';
import { createLogger } from '../../platform/logger.js';
import type { InteragencyInbound } from '../../integrations/interagency/inbound-config.js';

const JWT_SECRET = 'http-test-secret-of-at-least-thirty-two-characters';
const AUDIENCE = 'motcua';

/** A bearer header for claims of a test's own (a narrower scope, a foreign claim), signed as the app expects, claims as given. */
export async function authWith(claims: Record<string, unknown>): Promise<{ authorization: string }> {
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(JWT_SECRET));
  return { authorization: `Bearer ${token}` };
}
/** Nothing listens on port 1: a query or an update sent there fails at once. */
const NOWHERE = '127.0.0.1:1';

export interface HttpApp {
  readonly app: App;
  /** Every log line the app wrote. */
  readonly logs: () => string;
  /** The Authorization header of a person in a role at an agency. */
  authAs(role: Exclude<Role, 'system' | 'interagency' | 'citizen' | 'payment-platform'>, agencyCode?: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/**
 * The app with the rate limit of a test that needs it low (others are never limited), its document
 * store in `documentDir` when given, and any test-only `routes` registered before it is ready.
 */
export async function startHttpApp(options: { readonly rateLimitPerMinute?: number; readonly publicRateLimitPerMinute?: number; readonly documentDir?: string; readonly console?: { readonly directory: string; readonly localSignIn?: { readonly secret: string; readonly audience: string } }; readonly routes?: (app: App, store: DocumentStore) => void; readonly interagency?: InteragencyInbound; readonly feedbackSubmissionsPerMinute?: number } = {}): Promise<HttpApp> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const db = createDatabase({ connectionString: `postgres://motcua@${NOWHERE}/motcua`, poolSize: 1, applicationName: 'motcua-http-test' });
  const connection = Connection.lazy({ address: NOWHERE });
  const temporal = new Client({ connection, namespace: 'default' });
  const store = createDocumentStore(db, options.documentDir);
  const app = await buildApp({
    db,
    temporal,
    taskQueue: 'http-test',
    logger: createLogger({ level: 'info', destination }),
    auth: { secret: JWT_SECRET, audience: AUDIENCE },
    lookupKey: 'http-test-lookup-key-of-at-least-thirty-two-characters',
    applicantKey: 'http-test-applicant-key-of-at-least-thirty-two-chars',
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    publicRateLimitPerMinute: options.publicRateLimitPerMinute ?? 100_000,
    feedbackSubmissionsPerMinute: options.feedbackSubmissionsPerMinute ?? 100_000,
    documents: { store, trustAnchorFiles: [] },
    temporalCodec: { codec: createPayloadCodec(parsePayloadKeys(`http-test-1:${Buffer.alloc(32, 9).toString('base64')}`)), callers: 'readers' },
    ...(options.console ? { console: options.console } : {}),
    ...(options.interagency ? { interagency: options.interagency } : {}),
  });
  options.routes?.(app, store);
  await app.ready();
  return {
    app,
    logs: () => lines.join(''),
    authAs: async (role, agencyCode = '000.00.31.H38') => ({
      authorization: `Bearer ${await mintToken(
        JWT_SECRET,
        // A portal's token names its portal and scope, not an agency (api/auth/token-verifier.ts).
        role === 'portal'
          ? { sub: 'portal.1', name: 'Cổng thử nghiệm', role, portal: 'test-portal', units: [agencyCode], procedures: ['*'] }
          : role === 'ministry-system'
            ? { sub: 'ministry.1', name: 'Hệ thống bộ thử nghiệm', role, system: 'test-ministry', units: [agencyCode], procedures: ['*'] }
            : { sub: `${role}.1`, name: `Cán bộ ${role}`, role, agency: agencyCode },
        { audience: AUDIENCE },
      )}`,
    }),
    close: async () => {
      await app.close();
      await db.destroy();
      await connection.close();
    },
  };
}
