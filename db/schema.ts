import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// The database, as Kysely sees it. The migrations in db/migrations/ are the source of truth; this
// interface mirrors them so every query is typed end to end.

export interface Database {
  events: EventsTable;
  dossier_summary: DossierSummaryTable;
  dossier_daily_serials: DossierDailySerialsTable;
}

/** The append-only event log: one row per domain event, never updated or deleted. */
export interface EventsTable {
  global_position: Generated<number>;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  payload: ColumnType<unknown, string, never>;
  metadata: ColumnType<EventMetadata, string, never>;
  occurred_at: ColumnType<Date, string, never>;
  recorded_at: Generated<Date>;
  /** The writing transaction (xid8), so asynchronous readers can skip rows of open transactions. */
  transaction_id: Generated<string>;
}

export interface EventMetadata {
  readonly actor: { readonly userId: string; readonly role: string; readonly agencyCode: string };
  /** The command that caused the event (its Temporal update id). */
  readonly commandId: string;
  /** The request or process that started the chain, for tracing across services. */
  readonly correlationId?: string;
}

/** Inline projection: one row per dossier, for the API's reads. */
export interface DossierSummaryTable {
  dossier_code: string;
  agency_code: string;
  procedure_code: string;
  channel: string;
  status: string;
  portal_status: number;
  applicant_kind: string;
  applicant_name: string;
  received_at: ColumnType<Date, string, string>;
  stream_version: number;
  last_global_position: number;
  updated_at: ColumnType<Date, string, string>;
}

/** The last serial handed out per receiving agency and reception date (the NNNN of a dossier code). */
export interface DossierDailySerialsTable {
  agency_code: string;
  reception_date: ColumnType<string, string, never>;
  last_serial: number;
}

export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type DossierSummaryRow = Selectable<DossierSummaryTable>;
