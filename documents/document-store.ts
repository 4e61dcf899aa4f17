// The content-addressed document store: a file is stored once under the SHA-256 of its bytes, and
// whoever holds the digest (from an event) gets exactly those bytes back. PostgreSQL keeps the record
// and, by default, the bytes; with a directory (MOTCUA_DOCUMENT_DIR) the bytes go to files
// `<dir>/<first two hex digits>/<digest>`, written atomically, and are checked on every read.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
}

export interface DocumentStore {
  /** Stores the bytes (once: storing them again is a no-op) and answers their digest. */
  put(bytes: Uint8Array, mediaType: string): Promise<StoredFile>;
  /** The bytes under a digest, verified against it; undefined when unknown. */
  get(sha256: string): Promise<(StoredFile & { readonly bytes: Buffer }) | undefined>;
}

export class DocumentCorrupted extends Error {
  override readonly name = 'DocumentCorrupted';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createDocumentStore(db: Kysely<Database>, directory?: string): DocumentStore {
  const fileOf = (sha256: string) => path.join(directory!, sha256.slice(0, 2), sha256);
  return {
    async put(bytes, mediaType) {
      const sha256 = sha256Hex(bytes);
      if (directory) {
        const target = fileOf(sha256);
        await mkdir(path.dirname(target), { recursive: true });
        // Write aside, then rename: a reader never sees half a file.
        // Unique per write: two activities may store the same file at once.
        const temporary = `${target}.${randomUUID()}.tmp`;
        await writeFile(temporary, bytes);
        await rename(temporary, target);
      }
      await db
        .insertInto('documents')
        .values({ sha256, media_type: mediaType, size: bytes.byteLength, content: directory ? null : Buffer.from(bytes) })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      return { sha256, size: bytes.byteLength, mediaType };
    },

    async get(sha256) {
      const row = await db.selectFrom('documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
      if (!row) return undefined;
      if (row.content === null && !directory) {
        throw new DocumentCorrupted(`document ${sha256} was stored in a directory (MOTCUA_DOCUMENT_DIR), which this process is not configured with`);
      }
      const bytes = row.content ?? (await readFile(fileOf(sha256)));
      if (sha256Hex(bytes) !== sha256) throw new DocumentCorrupted(`stored document ${sha256} does not match its digest: the store was changed outside the engine`);
      return { sha256, size: row.size, mediaType: row.media_type, bytes };
    },
  };
}
