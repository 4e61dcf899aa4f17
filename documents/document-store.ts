// The content-addressed document store: a file is stored once under the SHA-256 of its bytes, and
// whoever holds the digest (from an event) gets exactly those bytes back. PostgreSQL keeps the record;
// the bytes live in a directory, `<dir>/<first two hex digits>/<digest>` (MOTCUA_DOCUMENT_DIR, by
// default `<data dir>/documents`), written aside and renamed, and checked on every read. Rows written
// before the directory became the default keep their bytes in PostgreSQL and are still read from there.
//
// Uploads never sit whole in memory: `stage` streams them to a file under `<dir>/staging/` while it
// hashes and counts them (and stops at the size limit), the intake checks that file, then `commit`
// renames it into place or `discard` removes it. docs/documents.md#the-store.
import { createHash, randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { readableSize } from '../domain/files/file-rules.js';
import { FileRefused } from './files/file-refused.js';

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
}

/** An upload written to the store's staging area, hashed and counted, neither checked nor recorded yet. */
export interface StagedFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface StageOptions {
  /** Past this many bytes the upload is refused (FILE_TOO_LARGE) and nothing is kept. */
  readonly maxBytes: number;
  /** The request field the file came in, named in a refusal. */
  readonly field?: string;
}

export interface DocumentStore {
  /** Stores the bytes (once: storing them again is a no-op) and answers their digest. */
  put(bytes: Uint8Array, mediaType: string): Promise<StoredFile>;
  /** The bytes under a digest, verified against it; undefined when unknown. */
  get(sha256: string): Promise<(StoredFile & { readonly bytes: Buffer }) | undefined>;
  /** Streams an upload to a staging file; refuses it past `maxBytes`, leaving nothing behind. */
  stage(source: Readable | AsyncIterable<Uint8Array>, options: StageOptions): Promise<StagedFile>;
  /** Moves a staged file to its digest's place and records it (the same bytes twice: one file, one row). */
  commit(staged: StagedFile, mediaType: string): Promise<StoredFile>;
  /** Removes a staged file that was refused or abandoned. */
  discard(staged: StagedFile): Promise<void>;
  /**
   * The file under a digest as a stream, for a download. The size is checked before the first byte;
   * the digest while streaming, and the last chunk is held back until it matches: a file changed on
   * disk ends the stream with DocumentCorrupted, so no reader ever gets all of its bytes.
   */
  open(sha256: string): Promise<(StoredFile & { readonly stream: Readable }) | undefined>;
}

export class DocumentCorrupted extends Error {
  override readonly name = 'DocumentCorrupted';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const corrupted = (sha256: string, what: string) => new DocumentCorrupted(`stored document ${sha256} ${what}: the store was changed outside the engine; restore the file from the backup`);

/**
 * The store, its bytes in `directory`. Without one (tests of the engine's own forms) the bytes of
 * `put` go to PostgreSQL as before 2026-12, and uploads (`stage`) are refused: they need a directory.
 */
export function createDocumentStore(db: Kysely<Database>, directory?: string): DocumentStore {
  const fileOf = (sha256: string) => path.join(directory!, sha256.slice(0, 2), sha256);
  const needDirectory = (what: string): string => {
    if (!directory) throw new Error(`${what} needs a document directory (MOTCUA_DOCUMENT_DIR, by default <data dir>/documents)`);
    return directory;
  };
  const record = (sha256: string, mediaType: string, size: number, content: Buffer | null) =>
    db.insertInto('documents').values({ sha256, media_type: mediaType, size, content }).onConflict((oc) => oc.column('sha256').doNothing()).execute();

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
      await record(sha256, mediaType, bytes.byteLength, directory ? null : Buffer.from(bytes));
      return { sha256, size: bytes.byteLength, mediaType };
    },

    async get(sha256) {
      const row = await db.selectFrom('documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
      if (!row) return undefined;
      if (row.content === null && !directory) {
        throw new DocumentCorrupted(`document ${sha256} was stored in a directory (MOTCUA_DOCUMENT_DIR), which this process is not configured with`);
      }
      const bytes = row.content ?? (await readFile(fileOf(sha256)));
      if (sha256Hex(bytes) !== sha256) throw corrupted(sha256, 'does not match its digest');
      return { sha256, size: row.size, mediaType: row.media_type, bytes };
    },

    async stage(source, { maxBytes, field = 'file' }) {
      const staging = path.join(needDirectory('An upload'), 'staging');
      await mkdir(staging, { recursive: true });
      const file = path.join(staging, `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const handle = await open(file, 'wx', 0o640);
      try {
        // Chunks gathered up to 1 MiB and written together (writev): a socket's many small chunks do
        // not each cost a write, and the socket waits while the disk writes. Leaving the loop early
        // (the limit, a failed write) destroys the source stream.
        let batch: Uint8Array[] = [];
        let batched = 0;
        for await (const chunk of source) {
          size += chunk.byteLength;
          if (size > maxBytes) {
            throw new FileRefused('FILE_TOO_LARGE', `The file in field ${field} is larger than ${readableSize(maxBytes)}, the most this component accepts (rule maxBytes). Send a smaller file: scan at a lower resolution, or split the document where the procedure allows.`, field);
          }
          hash.update(chunk);
          batch.push(chunk);
          batched += chunk.byteLength;
          if (batched >= STAGE_BATCH_BYTES) {
            await writeAll(handle, batch);
            batch = [];
            batched = 0;
          }
        }
        await writeAll(handle, batch);
        // On disk before it is recorded: a crash must not leave a row whose file was never written.
        await handle.sync();
        await handle.close();
      } catch (error) {
        await handle.close().catch(() => undefined);
        await rm(file, { force: true });
        throw error;
      }
      return { path: file, sha256: hash.digest('hex'), size };
    },

    async commit(staged, mediaType) {
      const target = fileOf(staged.sha256);
      await mkdir(path.dirname(target), { recursive: true });
      // Same directory tree, same file system: the rename is atomic. Renaming over the same bytes
      // stored before changes nothing a reader can see (and repairs a file damaged on disk).
      await rename(staged.path, target);
      await record(staged.sha256, mediaType, staged.size, null);
      return { sha256: staged.sha256, size: staged.size, mediaType };
    },

    async discard(staged) {
      await rm(staged.path, { force: true });
    },

    async open(sha256) {
      const row = await db.selectFrom('documents').select(['sha256', 'media_type', 'size', 'content']).where('sha256', '=', sha256).executeTakeFirst();
      if (!row) return undefined;
      const stored = { sha256, size: row.size, mediaType: row.media_type };
      if (row.content !== null) {
        if (sha256Hex(row.content) !== sha256) throw corrupted(sha256, 'does not match its digest');
        return { ...stored, stream: Readable.from([row.content]) };
      }
      needDirectory(`Document ${sha256}`);
      const handle = await open(fileOf(sha256), 'r');
      const { size } = await handle.stat();
      if (size !== row.size) {
        await handle.close();
        throw corrupted(sha256, `has ${size} bytes where ${row.size} were stored`);
      }
      const verified = verifyingDigest(sha256);
      // A read error or a mismatch destroys the stream the caller holds; the pipeline's own promise is not the caller's.
      pipeline(handle.createReadStream(), verified).catch(() => undefined);
      return { ...stored, stream: verified };
    },
  };
}

const STAGE_BATCH_BYTES = 1024 * 1024;

async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  if (chunks.length === 0) return;
  const expected = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const { bytesWritten } = await handle.writev(chunks as Uint8Array[]);
  // A regular file takes the whole vector unless the disk is full; short is a failure, not a retry.
  if (bytesWritten !== expected) throw new Error(`the document store wrote ${bytesWritten} of ${expected} bytes: is its disk full?`);
}

/** Passes the bytes on, holding the last chunk back until the digest of them all is `sha256`. */
function verifyingDigest(sha256: string): Transform {
  const hash = createHash('sha256');
  let held: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      if (hash.digest('hex') !== sha256) return done(corrupted(sha256, 'does not match its digest'));
      done(null, held);
    },
  });
}
