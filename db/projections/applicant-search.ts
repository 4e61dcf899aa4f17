// The search of dossiers by the applicant's identity number (GET /dossiers?applicantId=): the
// summary holds a keyed hash of the number, never the number (docs/files.md#reuse, the same key). The same
// HMAC under the same key (MOTCUA_APPLICANT_KEY) as the index of reusable files
// (db/projections/component-file-index.ts), so rotating that key means rebuilding both from the log.
//
// Inline, after the summary's own projection in the same append (activities/dossier-events.ts): the
// dossier registered at the counter is found by its applicant's number at once. The keyless summary
// projection never writes this column, so its upsert leaves it as this one set it.
import type { Kysely, Transaction } from 'kysely';
import { type InlineProjection, readStream } from '../event-store.js';
import type { Database } from '../schema.js';
import { type ApplicantIdentity, applicantHash } from './component-file-index.js';

export const APPLICANT_SEARCH = 'applicant-search';

/**
 * The identity the reception event names, or for a mirror of a dossier handled on a ministry's
 * system the latest one its pushes named (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere);
 * none for a stream that is neither, or an applicant pushed without a number.
 */
function applicantOf(events: readonly { readonly type: string; readonly data: unknown }[]): ApplicantIdentity | undefined {
  let applicant: { kind?: unknown; identityNumber?: unknown } | undefined;
  for (const event of events) {
    if (event.type === 'DossierReceived') applicant = (event.data as { applicant?: typeof applicant }).applicant;
    else if (event.type === 'DossierMirrored') applicant = (event.data as { facts?: { applicant?: typeof applicant } }).facts?.applicant;
    else if (event.type === 'MirrorUpdated') applicant = (event.data as { changed?: { applicant?: typeof applicant } }).changed?.applicant ?? applicant;
  }
  if (typeof applicant?.kind !== 'string' || typeof applicant.identityNumber !== 'string') return undefined;
  return { kind: applicant.kind, identityNumber: applicant.identityNumber };
}

/** The hashes a search for a typed number compares with: one per kind of applicant, as the number was typed. */
export function applicantSearchHashes(key: string, identityNumber: string): string[] {
  return (['citizen', 'organisation'] as const).map((kind) => applicantHash(key, { kind, identityNumber }));
}

/** The inline projection: a reception sets its dossier's hash in the summary, in the append's transaction. */
export function applicantSearchProjection(key: string): InlineProjection {
  return async (trx, events) => {
    for (const event of events) {
      if (event.type === 'DossierReceived') {
        const applicant = applicantOf([event]);
        if (applicant) await trx.updateTable('dossier_summary').set({ applicant_id_hash: applicantHash(key, applicant) }).where('dossier_code', '=', event.streamId).execute();
      } else if (event.type === 'DossierMirrored' || event.type === 'MirrorUpdated') {
        // A mirror's applicant may change with a newer revision: the hash follows the latest.
        await rewriteApplicantHash(trx, event.streamId, key);
      }
    }
  };
}

async function rewriteApplicantHash(trx: Transaction<Database>, dossierCode: string, key: string): Promise<number> {
  const first = await readStream(trx, dossierCode, { afterVersion: 0, limit: 1 });
  const stored = first[0]?.type === 'DossierMirrored' ? await readStream(trx, dossierCode) : first;
  const applicant = applicantOf(stored);
  const result = await trx.updateTable('dossier_summary').set({ applicant_id_hash: applicant ? applicantHash(key, applicant) : null }).where('dossier_code', '=', dossierCode).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Sets every dossier's hash from its reception event (npm run projections:rebuild applicant-search):
 * after the migration that added the column (the migration has no key), or after a change of
 * MOTCUA_APPLICANT_KEY. A dossier at a time, so serving goes on meanwhile.
 */
export async function rebuildApplicantSearch(db: Kysely<Database>, key: string, options: { readonly onProgress?: (progress: { phase: 'copying' | 'done'; events: number; dossiers: number; elapsedMs: number }) => void } = {}): Promise<{ events: number; dossiers: number; elapsedMs: number }> {
  const started = Date.now();
  let after = '';
  let dossiers = 0;
  for (;;) {
    const page = await db.selectFrom('dossier_summary').select('dossier_code').where('dossier_code', '>', after).orderBy('dossier_code').limit(500).execute();
    if (page.length === 0) break;
    for (const { dossier_code: code } of page) {
      await db.transaction().execute((trx) => rewriteApplicantHash(trx, code, key));
      dossiers += 1;
    }
    after = page[page.length - 1]!.dossier_code;
    options.onProgress?.({ phase: 'copying', events: dossiers, dossiers, elapsedMs: Date.now() - started });
  }
  options.onProgress?.({ phase: 'done', events: dossiers, dossiers, elapsedMs: Date.now() - started });
  return { events: dossiers, dossiers, elapsedMs: Date.now() - started };
}
