// Queries of the index of data already held (db/projections/component-file-index.ts): what an
// applicant's other dossiers hold, and whether a reference names something that is theirs.
import type { Kysely, Selectable } from 'kysely';
import type { Applicant } from '../domain/dossier/commands.js';
import type { ComponentFileIndexTable, Database } from './schema.js';

export interface IndexedFile {
  readonly dossierCode: string;
  readonly procedureCode: string;
  readonly componentId: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly pages: number | null;
  readonly approvedAt: string;
}

export interface IndexedResult {
  readonly dossierCode: string;
  readonly procedureCode: string;
  readonly resultCode: string;
  readonly sha256: string;
  readonly size: number | null;
  readonly mediaType: string | null;
  readonly issuedAt: string;
}

type Row = Selectable<ComponentFileIndexTable>;

const fileOf = (row: Row): IndexedFile => ({
  dossierCode: row.dossier_code,
  procedureCode: row.procedure_code,
  componentId: row.component_id!,
  sha256: row.sha256,
  size: Number(row.size),
  mediaType: row.media_type!,
  pages: row.pages,
  approvedAt: row.available_at.toISOString(),
});

const resultOf = (row: Row): IndexedResult => ({
  dossierCode: row.dossier_code,
  procedureCode: row.procedure_code,
  resultCode: row.result_code!,
  sha256: row.sha256,
  size: row.size === null ? null : Number(row.size),
  mediaType: row.media_type,
  issuedAt: row.available_at.toISOString(),
});

/** The applicant as reception recorded them (DossierReceived), with the procedure; undefined for an unknown dossier. */
export async function dossierApplicant(db: Kysely<Database>, dossierCode: string): Promise<{ applicant: Applicant; procedureCode: string } | undefined> {
  const row = await db.selectFrom('events').select('payload').where('stream_id', '=', dossierCode).where('type', '=', 'DossierReceived').executeTakeFirst();
  if (!row) return undefined;
  const data = row.payload as { applicant: Applicant; procedureCode: string };
  return { applicant: data.applicant, procedureCode: data.procedureCode };
}

/**
 * Approved current files of the applicant's other dossiers for these components of this procedure
 * (the matching rule: the same component id within the same national procedure code, any version),
 * newest first, one per digest and component.
 */
export async function applicantFiles(db: Kysely<Database>, applicantHash: string, query: { readonly procedureCode: string; readonly componentIds: readonly string[]; readonly exceptDossier: string }): Promise<IndexedFile[]> {
  if (query.componentIds.length === 0) return [];
  const rows = await db
    .selectFrom('component_file_index')
    .selectAll()
    .where('applicant_hash', '=', applicantHash)
    .where('kind', '=', 'file')
    .where('procedure_code', '=', query.procedureCode)
    .where('component_id', 'in', [...query.componentIds])
    .where('dossier_code', '<>', query.exceptDossier)
    .orderBy('available_at', 'desc')
    .limit(500)
    .execute();
  const seen = new Set<string>();
  return rows.map((row) => fileOf(row)).filter((file) => {
    const key = `${file.componentId}/${file.sha256}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Results issued to the applicant in their other dossiers, newest first. */
export async function applicantResults(db: Kysely<Database>, applicantHash: string, exceptDossier: string): Promise<IndexedResult[]> {
  const rows = await db
    .selectFrom('component_file_index')
    .selectAll()
    .where('applicant_hash', '=', applicantHash)
    .where('kind', '=', 'result')
    .where('dossier_code', '<>', exceptDossier)
    .orderBy('available_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => resultOf(row));
}

/** Whose is a dossier, as far as the index knows it: the applicant hashes of its rows (none if it holds nothing reusable). */
async function indexedApplicants(db: Kysely<Database>, dossierCode: string): Promise<string[]> {
  const rows = await db.selectFrom('component_file_index').select('applicant_hash').distinct().where('dossier_code', '=', dossierCode).execute();
  return rows.map((row) => row.applicant_hash);
}

export type IndexLookup<T> = { readonly found: T } | { readonly otherApplicant: true } | { readonly missing: true };

/**
 * An approved, current file of another dossier, if it is the applicant's. A dossier of another
 * applicant is said to be so whatever the digest, so the answer never tells whether it holds a file.
 */
export async function lookUpFile(db: Kysely<Database>, applicantHash: string, ref: { readonly dossierCode: string; readonly componentId: string; readonly sha256: string }): Promise<IndexLookup<IndexedFile>> {
  const owners = await indexedApplicants(db, ref.dossierCode);
  if (owners.length > 0 && !owners.includes(applicantHash)) return { otherApplicant: true };
  const row = await db
    .selectFrom('component_file_index')
    .selectAll()
    .where('dossier_code', '=', ref.dossierCode)
    .where('kind', '=', 'file')
    .where('ref', '=', `${ref.componentId}/${ref.sha256}`)
    .where('applicant_hash', '=', applicantHash)
    .executeTakeFirst();
  return row ? { found: fileOf(row) } : { missing: true };
}

/** A result issued, if it was issued to the applicant. */
export async function lookUpResult(db: Kysely<Database>, applicantHash: string, resultCode: string): Promise<IndexLookup<IndexedResult>> {
  const row = await db.selectFrom('component_file_index').selectAll().where('kind', '=', 'result').where('result_code', '=', resultCode).executeTakeFirst();
  if (!row) return { missing: true };
  if (row.applicant_hash !== applicantHash) return { otherApplicant: true };
  return { found: resultOf(row) };
}

/** What the document store recorded of a digest: its size and type, or undefined when it does not hold it. */
export async function storedDocumentFacts(db: Kysely<Database>, sha256: string): Promise<{ size: number; mediaType: string } | undefined> {
  const row = await db.selectFrom('documents').select(['size', 'media_type']).where('sha256', '=', sha256).executeTakeFirst();
  return row ? { size: Number(row.size), mediaType: row.media_type } : undefined;
}
