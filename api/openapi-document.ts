// The OpenAPI document as the API serves it at /openapi.json, made without PostgreSQL or Temporal:
// the console's client is generated from it at build time (console/scripts/build.ts), so a change
// to a route's schema breaks the console's build rather than its users. The app is the real one,
// with its database and Temporal client pointed at a port where nothing listens; building the
// document never reaches them.
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { createDatabase } from '../db/database.js';
import { createDocumentStore } from '../documents/document-store.js';
import { createLogger } from '../platform/logger.js';
import { createPayloadCodec } from '../platform/payload-codec.js';
import { parsePayloadKeys } from '../platform/payload-keys.js';
import { buildApp } from './app.js';

const NOWHERE = '127.0.0.1:1';
const PLACEHOLDER_KEY = 'openapi-document-placeholder-key-never-used-to-sign';

/** Every route a deployment can serve, the console's sign-in and the optional ones included. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const db = createDatabase({ connectionString: `postgres://motcua@${NOWHERE}/motcua`, poolSize: 1, applicationName: 'motcua-openapi' });
  const connection = Connection.lazy({ address: NOWHERE });
  const app = await buildApp({
    db,
    temporal: new Client({ connection, namespace: 'default' }),
    taskQueue: 'openapi-document',
    logger: createLogger({ level: 'silent', destination: new Writable({ write: (_chunk, _encoding, done) => done() }) }),
    auth: { secret: PLACEHOLDER_KEY, audience: 'motcua' },
    lookupKey: PLACEHOLDER_KEY,
    applicantKey: PLACEHOLDER_KEY,
    documents: { store: createDocumentStore(db), trustAnchorFiles: [] },
    temporalCodec: { codec: createPayloadCodec(parsePayloadKeys(`openapi-1:${Buffer.alloc(32, 1).toString('base64')}`)), callers: 'readers' },
    portalFileLinks: { key: PLACEHOLDER_KEY },
    console: { directory: NOWHERE, localSignIn: { secret: PLACEHOLDER_KEY, audience: 'motcua' }, trialSigning: { sign: () => Promise.reject(new Error('the OpenAPI document signs nothing')) } },
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await db.destroy();
    await connection.close();
  }
}
