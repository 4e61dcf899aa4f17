// Reads of the dossier summary, the read model the API answers most questions from: one dossier,
// whether it exists, whether an agency takes part in it, and the dossiers a caller may list.
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { foldForSearch } from '../domain/search-text.js';
import type { Database, DossierSummaryRow } from './schema.js';

export async function findDossierSummary(db: Kysely<Database>, dossierCode: string): Promise<DossierSummaryRow | undefined> {
  return db.selectFrom('dossier_summary').selectAll().where('dossier_code', '=', dossierCode).executeTakeFirst();
}

export async function dossierExists(db: Kysely<Database>, dossierCode: string): Promise<boolean> {
  const row = await db.selectFrom('dossier_summary').select('dossier_code').where('dossier_code', '=', dossierCode).executeTakeFirst();
  return row !== undefined;
}

/**
 * The agencies that take part in a dossier, and so may read it: the one that received it, the one
 * that decides it, and every one that was handed a step of it.
 */
function agencyTakesPartIn(agencyCode: string) {
  return (eb: ExpressionBuilder<Database, 'dossier_summary'>) =>
    eb.or([
      eb('agency_code', '=', agencyCode),
      eb('competent_agency_code', '=', agencyCode),
      eb.exists(eb.selectFrom('control_slip').select('control_slip.dossier_code').whereRef('control_slip.dossier_code', '=', 'dossier_summary.dossier_code').where('control_slip.to_agency_code', '=', agencyCode)),
    ]);
}

export async function agencyTakesPartInDossier(db: Kysely<Database>, agencyCode: string, dossierCode: string): Promise<boolean> {
  const row = await db.selectFrom('dossier_summary').select('dossier_code').where('dossier_code', '=', dossierCode).where(agencyTakesPartIn(agencyCode)).executeTakeFirst();
  return row !== undefined;
}

export interface DossierListQuery {
  /** Only the dossiers this agency takes part in; every dossier when absent (auditors). */
  readonly visibleTo?: string;
  readonly agencyCode?: string;
  readonly status?: string;
  readonly procedureCode?: string;
  /** Due (the extended due time where there is one) before this instant. */
  readonly dueBefore?: string;
  readonly overdue?: boolean;
  readonly receivedFrom?: string;
  readonly receivedTo?: string;
  /** Part of the applicant's name, compared without diacritics or case (domain/search-text.ts). */
  readonly applicantName?: string;
  /** The keyed hashes of an identity number (db/projections/applicant-search.ts): any of them matches. */
  readonly applicantIdHashes?: readonly string[];
  /** Only mirrors of dossiers handled on a ministry's system (true), or only the engine's own (false). */
  readonly mirrored?: boolean;
  readonly limit: number;
  /** The last dossier of the previous page. */
  readonly before?: DossierListPosition;
}

/** A dossier's place in the list: newest reception first, then the code, descending. */
export interface DossierListPosition {
  readonly receivedAt: string;
  readonly dossierCode: string;
}

export interface DossierListPage {
  readonly rows: readonly DossierSummaryRow[];
  /** Where the next page starts, when there is one. */
  readonly next: DossierListPosition | null;
}

export async function listDossiers(db: Kysely<Database>, query: DossierListQuery): Promise<DossierListPage> {
  let select = db.selectFrom('dossier_summary').selectAll();
  if (query.visibleTo !== undefined) select = select.where(agencyTakesPartIn(query.visibleTo));
  if (query.agencyCode) select = select.where('agency_code', '=', query.agencyCode);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.procedureCode) select = select.where('procedure_code', '=', query.procedureCode);
  if (query.dueBefore) select = select.where(sql<Date>`coalesce(extended_due_at, due_at)`, '<', new Date(query.dueBefore));
  if (query.overdue !== undefined) select = select.where('overdue', '=', query.overdue);
  if (query.mirrored !== undefined) select = select.where('mirrored_from', query.mirrored ? 'is not' : 'is', null);
  if (query.receivedFrom) select = select.where('received_at', '>=', new Date(query.receivedFrom));
  if (query.receivedTo) select = select.where('received_at', '<', new Date(query.receivedTo));
  if (query.applicantName !== undefined) {
    // The folded text, its LIKE wildcards escaped: a typed % or _ is a character, not a pattern.
    const folded = foldForSearch(query.applicantName).replace(/[\\%_]/g, (character) => `\\${character}`);
    select = select.where(sql<boolean>`applicant_name_folded like ${`%${folded}%`} escape '\\'`);
  }
  if (query.applicantIdHashes !== undefined) select = select.where('applicant_id_hash', 'in', [...query.applicantIdHashes]);
  if (query.before) select = select.where(sql<boolean>`(received_at, dossier_code) < (${new Date(query.before.receivedAt)}, ${query.before.dossierCode})`);
  const fetched = await select.orderBy('received_at', 'desc').orderBy('dossier_code', 'desc').limit(query.limit + 1).execute();
  const rows = fetched.slice(0, query.limit);
  const last = rows[rows.length - 1];
  return { rows, next: fetched.length > query.limit && last ? { receivedAt: last.received_at.toISOString(), dossierCode: last.dossier_code } : null };
}
