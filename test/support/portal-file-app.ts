// The API built with the national portal's file links on (AppDeps.portalFileLinks), on a given
// database (the suite's, or one where nothing listens for an http test), with a lazy Temporal
// client that the file-link route never calls.
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { type App, buildApp } from '../../api/app.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { createLogger } from '../../platform/logger.js';
import { createPayloadCodec } from '../../platform/payload-codec.js';
import { parsePayloadKeys } from '../../platform/payload-keys.js';

export const PORTAL_FILE_KEY = 'portal-file-link-test-key-of-at-least-32-chars';

export async function portalFileApp(db: Kysely<Database>, store: DocumentStore): Promise<{ app: App; logs: () => string; close(): Promise<void> }> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const app = await buildApp({
    db,
    temporal: new Client({ connection, namespace: 'default' }),
    taskQueue: 'portal-files-test',
    logger: createLogger({ level: 'info', destination }),
    auth: { secret: 'portal-files-test-secret-of-at-least-thirty-two', audience: 'motcua' },
    lookupKey: 'portal-files-test-lookup-key-of-at-least-thirty-two',
    rateLimitPerMinute: 100_000,
    documents: { store, trustAnchorFiles: [] },
    temporalCodec: { codec: createPayloadCodec(parsePayloadKeys(`pf-1:${Buffer.alloc(32, 3).toString('base64')}`)), callers: 'readers' },
    portalFileLinks: { key: PORTAL_FILE_KEY },
  });
  await app.ready();
  return {
    app,
    logs: () => lines.join(''),
    close: async () => {
      await app.close();
      await connection.close();
    },
  };
}
