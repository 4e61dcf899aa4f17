// The file intake on the real PostgreSQL with a directory store: staging, commit and discard, the
// abort at the size limit, identical bytes committed at once, a file damaged on disk caught on
// read, legacy rows whose bytes are in PostgreSQL, and an upload over a real socket end to end.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { DEFAULT_FILE_RULES } from '../../domain/files/file-rules.js';
import { createDocumentStore, DocumentCorrupted, type DocumentStore } from '../../documents/document-store.js';
import { FileRefused } from '../../documents/files/file-refused.js';
import { receiveBase64File, receiveFile } from '../../documents/files/receive-file.js';
import { testDatabase } from '../support/engine.js';
import { pdfOf, png } from '../support/file-fixtures.js';
import { startUploadApp } from '../support/upload-app.js';

let db: Kysely<Database>;
let directory: string;
let store: DocumentStore;
beforeAll(() => {
  db = testDatabase();
  directory = mkdtempSync(path.join(os.tmpdir(), 'motcua-intake-'));
  store = createDocumentStore(db, directory);
});
afterAll(async () => {
  await db?.destroy();
  rmSync(directory, { recursive: true, force: true });
});

const staging = () => readdirSync(path.join(directory, 'staging'));
const fileOf = (sha256: string) => path.join(directory, sha256.slice(0, 2), sha256);
/** A PDF no other test stores: its digest is its own. */
const uniquePdf = async (pages = 1) => Buffer.concat([await pdfOf(pages), Buffer.from(`% ${Math.random()}\n`)]);
const rowOf = (sha256: string) => db.selectFrom('documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();

async function collect(stream: Readable): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

describe('stage, check, commit', () => {
  it('stores an accepted file by its digest, with its record, and streams it back verified', async () => {
    const pdf = await uniquePdf(2);
    const inspected = await receiveFile(store, Readable.from([pdf.subarray(0, 100), pdf.subarray(100)]), DEFAULT_FILE_RULES);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(inspected).toEqual({ sha256, size: pdf.length, mediaType: 'application/pdf', pages: 2 });
    expect(readFileSync(fileOf(sha256)).equals(pdf)).toBe(true);
    expect(await rowOf(sha256)).toMatchObject({ media_type: 'application/pdf', size: pdf.length, content: null });
    expect(staging()).toEqual([]);
    const opened = (await store.open(sha256))!;
    expect(opened).toMatchObject({ sha256, size: pdf.length, mediaType: 'application/pdf' });
    expect((await collect(opened.stream)).bytes.equals(pdf)).toBe(true);
  });

  it('discards a refused file: nothing on disk, no record', async () => {
    const bytes = Buffer.concat([png(), Buffer.from(String(Math.random()))]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await expect(receiveFile(store, Readable.from([bytes]), { ...DEFAULT_FILE_RULES, accept: ['application/pdf'] })).rejects.toMatchObject({ code: 'FILE_TYPE_NOT_ACCEPTED' });
    expect(existsSync(fileOf(sha256))).toBe(false);
    expect(await rowOf(sha256)).toBeUndefined();
    expect(staging()).toEqual([]);
  });

  it('stops reading at the size limit, leaving no temporary file, however long the stream would go on', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(64 * 1024, 0x25);
      }
    }
    const error = await store.stage(endless(), { maxBytes: 1024 * 1024, field: 'components[0].file' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileRefused);
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'components[0].file', message: expect.stringMatching(/larger than 1 MiB/) });
    expect(pulled).toBe(17);
    expect(staging()).toEqual([]);
  });

  it('removes the staged file of a stream that fails half-way (a client hanging up)', async () => {
    async function* broken() {
      yield Buffer.from('%PDF-1.7\n');
      throw new Error('aborted');
    }
    await expect(receiveFile(store, broken(), DEFAULT_FILE_RULES)).rejects.toThrow('aborted');
    expect(staging()).toEqual([]);
  });

  it('commits the same bytes sent sixteen times at once as one file and one record', async () => {
    const pdf = await uniquePdf();
    const results = await Promise.all(Array.from({ length: 16 }, () => receiveFile(store, Readable.from([pdf]), DEFAULT_FILE_RULES)));
    const sha256 = results[0]!.sha256;
    expect(new Set(results.map((result) => result.sha256))).toEqual(new Set([sha256]));
    expect(readdirSync(path.dirname(fileOf(sha256))).filter((name) => name === sha256)).toHaveLength(1);
    expect(readFileSync(fileOf(sha256)).equals(pdf)).toBe(true);
    const { n } = await db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).where('sha256', '=', sha256).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(1);
    expect(staging()).toEqual([]);
  });

  it('takes a file sent base64 in JSON', async () => {
    const pdf = await uniquePdf();
    expect(await receiveBase64File(store, pdf.toString('base64'), DEFAULT_FILE_RULES, { field: 'components[0].files[0].content' })).toMatchObject({ mediaType: 'application/pdf', size: pdf.length });
    await expect(receiveBase64File(store, `${pdf.toString('base64')}\n`, DEFAULT_FILE_RULES)).rejects.toMatchObject({ code: 'FILE_BAD_BASE64' });
  });
});

describe('a file changed on disk behind the store', () => {
  it('is caught while streaming: the reader never gets all of its bytes', async () => {
    const pdf = await uniquePdf();
    const { sha256 } = await receiveFile(store, Readable.from([pdf]), DEFAULT_FILE_RULES);
    const forged = Buffer.from(pdf);
    forged[forged.length - 20] = forged[forged.length - 20]! ^ 0xff;
    writeFileSync(fileOf(sha256), forged);
    const read = await collect((await store.open(sha256))!.stream);
    expect(read.error).toBeInstanceOf(DocumentCorrupted);
    expect(read.bytes.length).toBeLessThan(pdf.length);
    await expect(store.get(sha256)).rejects.toBeInstanceOf(DocumentCorrupted);
  });

  it('is caught before the first byte when its size changed', async () => {
    const pdf = await uniquePdf();
    const { sha256 } = await receiveFile(store, Readable.from([pdf]), DEFAULT_FILE_RULES);
    writeFileSync(fileOf(sha256), pdf.subarray(0, 100));
    await expect(store.open(sha256)).rejects.toThrow(/has 100 bytes where/);
  });
});

describe('rows from before the directory was the default', () => {
  it('are read from PostgreSQL by a directory store', async () => {
    const bytes = Buffer.from(`%PDF-1.7 legacy ${Math.random()}`);
    const { sha256 } = await createDocumentStore(db).put(bytes, 'application/pdf');
    expect((await store.get(sha256))!.bytes.equals(bytes)).toBe(true);
    expect((await collect((await store.open(sha256))!.stream)).bytes.equals(bytes)).toBe(true);
    expect(await store.open('0'.repeat(64))).toBeUndefined();
  });
});

describe('an upload over HTTP', () => {
  it('streams the file part into the store and answers what it is', async () => {
    const { app, url } = await startUploadApp(store, DEFAULT_FILE_RULES);
    try {
      const pdf = await uniquePdf(3);
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      const form = new FormData();
      form.append('sha256', sha256);
      form.append('file', new Blob([pdf], { type: 'application/octet-stream' }), 'giấy-phép.pdf');
      const response = await fetch(`${url}/uploads`, { method: 'POST', body: form });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ fields: { sha256 }, files: [{ field: 'file', filename: 'giấy-phép.pdf', sha256, size: pdf.length, mediaType: 'application/pdf', pages: 3 }] });
      expect(readFileSync(fileOf(sha256)).equals(pdf)).toBe(true);
      expect(await rowOf(sha256)).toMatchObject({ media_type: 'application/pdf' });
      expect(staging()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
