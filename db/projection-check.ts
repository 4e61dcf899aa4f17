// The audit's projection check: fold every dossier's events with the current rules and compare
// the rows they imply with the stored read models. A difference means a projection was edited, a
// rule changed its answer for old events, or a bug wrote a wrong row.
import type { Kysely, Transaction } from 'kysely';
import { readModelsOf } from './projections/dossier-read-models.js';
import { readStream } from './event-store.js';
import type { Database } from './schema.js';

export interface ProjectionMismatch {
  readonly dossierCode: string;
  readonly table: 'dossier_summary' | 'work_queue' | 'control_slip';
  readonly detail: string;
}

/** Values as JSON would carry them, so a Date and its ISO string, or 1350 and '1350', compare equal. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map(normalise);
  return value;
}

// Columns holding an applicant's personal data (or a key to it): a mismatch names the column, never
// its values, since the report goes to logs, terminals and the fault drill's JSON.
const PERSONAL_COLUMNS: ReadonlySet<string> = new Set(['applicant_name', 'applicant_name_folded', 'applicant_id_hash']);

function differences(expected: Record<string, unknown>, stored: Record<string, unknown> | undefined): string[] {
  if (!stored) return ['row missing'];
  return Object.keys(expected)
    .filter((key) => JSON.stringify(normalise(expected[key])) !== JSON.stringify(normalise(stored[key])))
    .map((key) =>
      PERSONAL_COLUMNS.has(key)
        ? `${key}: the stored value differs from what the events say (personal data: values not shown)`
        : `${key}: stored ${JSON.stringify(normalise(stored[key]))}, events say ${JSON.stringify(normalise(expected[key]))}`,
    );
}

/**
 * Compares one dossier's stored read models with a fold of its events. The events and the rows are
 * read in one snapshot: a live dossier's workflow may append (a document issued, an alert) while
 * the check runs, and rows read after that append must not be compared with events read before it.
 */
export async function checkDossierProjections(db: Kysely<Database>, dossierCode: string): Promise<ProjectionMismatch[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((snapshot) => compareDossier(snapshot, dossierCode));
}

async function compareDossier(db: Transaction<Database>, dossierCode: string): Promise<ProjectionMismatch[]> {
  const models = readModelsOf(dossierCode, await readStream(db, dossierCode));
  if (!models) return [];
  const mismatches: ProjectionMismatch[] = [];
  const summary = await db.selectFrom('dossier_summary').selectAll().where('dossier_code', '=', dossierCode).executeTakeFirst();
  for (const detail of differences(models.summary, summary)) mismatches.push({ dossierCode, table: 'dossier_summary', detail });

  const queue = await db.selectFrom('work_queue').selectAll().where('dossier_code', '=', dossierCode).execute();
  const expectedItems = new Map(models.queue.map((item) => [item.item, item]));
  for (const row of queue) if (!expectedItems.has(row.item)) mismatches.push({ dossierCode, table: 'work_queue', detail: `item ${row.item} is stored but not implied by the events` });
  for (const item of models.queue) {
    for (const detail of differences(item, queue.find((row) => row.item === item.item))) mismatches.push({ dossierCode, table: 'work_queue', detail: `item ${item.item}: ${detail}` });
  }

  const slip = await db.selectFrom('control_slip').selectAll().where('dossier_code', '=', dossierCode).execute();
  if (slip.length !== models.slip.length) mismatches.push({ dossierCode, table: 'control_slip', detail: `${slip.length} rows stored, ${models.slip.length} implied` });
  for (const row of models.slip) {
    for (const detail of differences(row, slip.find((candidate) => candidate.step_id === row.step_id && candidate.run === row.run))) {
      mismatches.push({ dossierCode, table: 'control_slip', detail: `${row.step_id}#${row.run}: ${detail}` });
    }
  }
  return mismatches;
}

export async function checkAllProjections(db: Kysely<Database>, onMismatch: (mismatch: ProjectionMismatch) => void): Promise<{ dossiers: number; mismatches: number }> {
  let after = '';
  let dossiers = 0;
  let mismatches = 0;
  for (;;) {
    const page = await db.selectFrom('dossier_summary').select('dossier_code').where('dossier_code', '>', after).orderBy('dossier_code').limit(500).execute();
    if (page.length === 0) break;
    for (const { dossier_code: code } of page) {
      dossiers += 1;
      for (const mismatch of await checkDossierProjections(db, code)) {
        mismatches += 1;
        onMismatch(mismatch);
      }
    }
    after = page[page.length - 1]!.dossier_code;
  }
  return { dossiers, mismatches };
}
