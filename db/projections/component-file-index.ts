// The index of data already held (docs/files.md#reuse): every approved, current component file and
// every result issued, by the applicant they belong to, so that reception can offer them again
// instead of asking for the paper (Decree 45/2020/NĐ-CP art. 15; Decision 766, 4.3).
//
// The applicant's identity number is personal data: the index holds an HMAC-SHA-256 of it under a
// server key (MOTCUA_APPLICANT_KEY), never the number. A key of its own, not the lookup key: the
// lookup key only derives receipt secrets in the API, and rotating it voids printed receipts; this
// one must also sit in every worker (the index is kept in the append's transaction) and rotating it
// only means rebuilding the index from the log. Without a key, a 12-digit number's hash could be
// reversed by trying all of them.
//
// Inline, like db/projections/dossier-read-models.ts: the rows commit with the events, so the file
// an official just approved is offered at once, and the API's check of a reference reads the same
// truth as the log (no lag in which a replaced file could still be attached). An append of a reception,
// a file event or a result folds the dossier's stream (tens of events) and rewrites its rows; a
// rebuild is the same code run again.
import { createHmac } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { type InlineProjection, readStream, type StoredEvent } from '../event-store.js';
import type { Database } from '../schema.js';

export const COMPONENT_FILE_INDEX = 'component-file-index';

/** The identity an index row is keyed by: the applicant's kind and identity number (CCCD, or an organisation's code). */
export interface ApplicantIdentity {
  readonly kind: string;
  readonly identityNumber: string;
}

/** Hex HMAC-SHA-256 of the applicant's kind and identity number under the server key. */
export function applicantHash(key: string, { kind, identityNumber }: ApplicantIdentity): string {
  return createHmac('sha256', key).update(`motcua/applicant/v1\u0000${kind}\u0000${identityNumber.trim().toUpperCase()}`).digest('hex');
}

/** A row of the index, as the events imply it. */
export interface IndexEntry {
  readonly dossier_code: string;
  /** `file`: an approved, current component file; `result`: a result issued. */
  readonly kind: 'file' | 'result';
  /** `<componentId>/<sha256>` of a file, the result code of a result: unique within the dossier. */
  readonly ref: string;
  readonly applicant_hash: string;
  readonly agency_code: string;
  readonly procedure_code: string;
  readonly component_id: string | null;
  readonly result_code: string | null;
  readonly sha256: string;
  /** Absent for results issued before results were files (the document store knows it). */
  readonly size: number | null;
  readonly media_type: string | null;
  readonly pages: number | null;
  /** Where the file itself came from (upload, portal, or reused again); null for a result. */
  readonly origin: string | null;
  /** When the file was approved, or the result issued. */
  readonly available_at: string;
}

interface FileFacts {
  componentId: string;
  sha256: string;
  size: number;
  mediaType: string;
  pages: number | null;
  origin: string;
  approvedAt: string | null;
  replaced: boolean;
}

/**
 * The index rows of one dossier's events. Pure: a file counts once approved and while no later
 * file replaces it; a result counts once issued. Results keep both shapes of ResultIssued: the
 * engine's own document (digest only) and the competent body's signed file (digest, size, type).
 */
export function indexEntriesOf(dossierCode: string, events: readonly DossierEvent[], hashOf: (applicant: ApplicantIdentity) => string): IndexEntry[] {
  const received = events.find((event) => event.type === 'DossierReceived');
  if (!received || received.type !== 'DossierReceived') return [];
  const { applicant, agencyCode, procedureCode } = received.data;
  const base = { dossier_code: dossierCode, applicant_hash: hashOf(applicant), agency_code: agencyCode, procedure_code: procedureCode };
  const files: FileFacts[] = [];
  const current = (componentId: string, sha256: string) => files.find((file) => file.componentId === componentId && file.sha256 === sha256 && !file.replaced);
  const results: IndexEntry[] = [];
  for (const event of events) {
    if (event.type === 'ComponentFileAttached') {
      const { at, componentId, file, origin, approved, replaces } = event.data;
      if (replaces !== undefined) {
        const old = current(componentId, replaces);
        if (old) old.replaced = true;
      }
      files.push({ componentId, sha256: file.sha256, size: file.size, mediaType: file.mediaType, pages: file.pages ?? null, origin: origin.kind, approvedAt: approved ? at : null, replaced: false });
    } else if (event.type === 'ComponentFileApproved') {
      const file = current(event.data.componentId, event.data.sha256);
      if (file && file.approvedAt === null) file.approvedAt = event.data.at;
    } else if (event.type === 'ResultIssued') {
      const document = event.data.document as { readonly sha256: string; readonly size?: number; readonly mediaType?: string };
      results.push({
        ...base,
        kind: 'result',
        ref: event.data.resultCode,
        component_id: null,
        result_code: event.data.resultCode,
        sha256: document.sha256,
        size: typeof document.size === 'number' ? document.size : null,
        media_type: typeof document.mediaType === 'string' ? document.mediaType : null,
        pages: null,
        origin: null,
        available_at: event.data.at,
      });
    }
  }
  const approved = files
    .filter((file) => file.approvedAt !== null && !file.replaced)
    .map((file): IndexEntry => ({
      ...base,
      kind: 'file',
      ref: `${file.componentId}/${file.sha256}`,
      component_id: file.componentId,
      result_code: null,
      sha256: file.sha256,
      size: file.size,
      media_type: file.mediaType,
      pages: file.pages,
      origin: file.origin,
      available_at: file.approvedAt!,
    }));
  return [...approved, ...results];
}

/** The index's rows of a stream as stored: what the projection writes and a check compares. */
export function indexEntriesOfStream(dossierCode: string, stored: readonly StoredEvent[], key: string): IndexEntry[] {
  return indexEntriesOf(dossierCode, stored.map(asDossierEvent), (applicant) => applicantHash(key, applicant));
}

/** Rewrites one dossier's rows from its stream, in the caller's transaction. */
export async function rewriteDossierIndex(trx: Transaction<Database>, dossierCode: string, key: string): Promise<number> {
  const entries = indexEntriesOfStream(dossierCode, await readStream(trx, dossierCode), key);
  await trx.deleteFrom('component_file_index').where('dossier_code', '=', dossierCode).execute();
  if (entries.length > 0) await trx.insertInto('component_file_index').values(entries.map((entry) => ({ ...entry }))).execute();
  return entries.length;
}

/** The only events the rows depend on: an append of none of them leaves the index as it is. */
const INDEXED_EVENTS: ReadonlySet<string> = new Set(['DossierReceived', 'ComponentFileAttached', 'ComponentFileApproved', 'ResultIssued']);

/** The inline projection: an append that touches files or results rewrites its dossier's rows, in the append's transaction. */
export function componentFileIndexProjection(key: string): InlineProjection {
  return async (trx, events) => {
    const touched = new Set(events.filter((event) => INDEXED_EVENTS.has(event.type)).map((event) => event.streamId));
    for (const streamId of touched) await rewriteDossierIndex(trx, streamId, key);
  };
}

/**
 * Rebuilds the whole index from the log (npm run projections:rebuild component-file-index): after
 * the migration that created it, after a change of MOTCUA_APPLICANT_KEY, or to repair it. Each
 * dossier is rewritten in a transaction of its own, so serving goes on meanwhile; appends that come
 * in during the rebuild rewrite their dossier themselves.
 */
export async function rebuildComponentFileIndex(db: Kysely<Database>, key: string, options: { readonly onProgress?: (progress: { phase: 'copying' | 'done'; events: number; dossiers: number; elapsedMs: number }) => void } = {}): Promise<{ events: number; elapsedMs: number; dossiers: number; rows: number }> {
  const started = Date.now();
  let after = '';
  let dossiers = 0;
  let rows = 0;
  let events = 0;
  for (;;) {
    const page = await db.selectFrom('events').select('stream_id').distinct().where('stream_id', '>', after).orderBy('stream_id').limit(500).execute();
    if (page.length === 0) break;
    for (const { stream_id: code } of page) {
      await db.transaction().execute(async (trx) => {
        const stored = await readStream(trx, code);
        events += stored.length;
        rows += await rewriteDossierIndex(trx, code, key);
      });
      dossiers += 1;
    }
    after = page[page.length - 1]!.stream_id;
    options.onProgress?.({ phase: 'copying', events, dossiers, elapsedMs: Date.now() - started });
  }
  options.onProgress?.({ phase: 'done', events, dossiers, elapsedMs: Date.now() - started });
  return { events, dossiers, rows, elapsedMs: Date.now() - started };
}

/** Rows stored for a dossier that its events do not imply, or implied rows missing: the audit's check. */
export async function checkDossierIndex(db: Kysely<Database>, dossierCode: string, key: string): Promise<string[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (snapshot) => {
      const expected = indexEntriesOfStream(dossierCode, await readStream(snapshot, dossierCode), key);
      const stored = await snapshot.selectFrom('component_file_index').selectAll().where('dossier_code', '=', dossierCode).execute();
      const text = (row: Record<string, unknown>) => JSON.stringify(Object.keys(row).sort().map((column) => [column, row[column] instanceof Date ? (row[column] as Date).toISOString() : row[column] === null ? null : String(row[column])]));
      const expectedText = new Set(expected.map((entry) => text({ ...entry, available_at: new Date(entry.available_at) })));
      const storedText = new Set(stored.map((row) => text(row as unknown as Record<string, unknown>)));
      return [
        ...[...expectedText].filter((row) => !storedText.has(row)).map((row) => `missing ${row}`),
        ...[...storedText].filter((row) => !expectedText.has(row)).map((row) => `not implied ${row}`),
      ];
    });
}

/** Checks every dossier's rows against its events (npm run audit:replay); each difference goes to `onMismatch`. */
export async function checkComponentFileIndex(db: Kysely<Database>, key: string, onMismatch: (mismatch: { dossierCode: string; detail: string }) => void): Promise<{ dossiers: number; mismatches: number }> {
  let after = '';
  let dossiers = 0;
  let mismatches = 0;
  for (;;) {
    const page = await db.selectFrom('events').select('stream_id').distinct().where('stream_id', '>', after).orderBy('stream_id').limit(500).execute();
    if (page.length === 0) break;
    for (const { stream_id: code } of page) {
      dossiers += 1;
      for (const detail of await checkDossierIndex(db, code, key)) {
        mismatches += 1;
        onMismatch({ dossierCode: code, detail });
      }
    }
    after = page[page.length - 1]!.stream_id;
  }
  return { dossiers, mismatches };
}
