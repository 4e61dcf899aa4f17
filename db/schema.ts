import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { StoredFile } from '../domain/files/file-model.js';

// The database, as Kysely sees it. The migrations in db/migrations/ are the source of truth; this
// interface mirrors them so every query is typed end to end.

export interface Database {
  events: EventsTable;
  dossier_summary: DossierSummaryTable;
  dossier_daily_serials: DossierDailySerialsTable;
  agencies: AgenciesTable;
  procedure_versions: ProcedureVersionsTable;
  agency_directories: AgencyDirectoriesTable;
  work_queue: WorkQueueTable;
  control_slip: ControlSlipTable;
  idempotency_keys: IdempotencyKeysTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  report_dossiers: ReportDossiersTable;
  report_open_intervals: ReportOpenIntervalsTable;
  report_targets: ReportTargetsTable;
  documents: DocumentsTable;
  calendar_amendments: CalendarAmendmentsTable;
  calendar_rollouts: CalendarRolloutsTable;
  component_file_index: ComponentFileIndexTable;
  portal_submissions: PortalSubmissionsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  receiver_credentials: ReceiverCredentialsTable;
  interagency_answers: InteragencyAnswersTable;
  interagency_poll_cursors: InteragencyPollCursorsTable;
  feedback_summary: FeedbackSummaryTable;
  feedback_daily_serials: FeedbackDailySerialsTable;
  feedback_intake_keys: FeedbackIntakeKeysTable;
  payment_transactions: PaymentTransactionsTable;
  national_pakn_cursors: NationalPaknCursorsTable;
  national_pakn_links: NationalPaknLinksTable;
  national_pakn_held: NationalPaknHeldTable;
}

/** Data already held, by a keyed hash of the applicant (db/projections/component-file-index.ts). */
export interface ComponentFileIndexTable {
  dossier_code: string;
  kind: 'file' | 'result';
  ref: string;
  applicant_hash: string;
  agency_code: string;
  procedure_code: string;
  component_id: string | null;
  result_code: string | null;
  sha256: string;
  size: ColumnType<string | null, number | null, number | null>;
  media_type: string | null;
  pages: number | null;
  origin: string | null;
  available_at: ColumnType<Date, string, string>;
}

/** Calendar amendments loaded as data: one row per version, never updated (db/calendar-amendments.ts). */
export interface CalendarAmendmentsTable {
  calendar_id: string;
  version: string;
  version_year: number;
  version_sequence: number;
  effective_from: ColumnType<string, string, never>;
  legal_reference: string;
  amendment: ColumnType<unknown, string, never>;
  content_sha256: string;
  loaded_by: string;
  loaded_at: ColumnType<Date, string | undefined, never>;
}

/** How far an amendment's roll-out to the open dossiers has gone (workflows/calendar-rollout.ts). */
export interface CalendarRolloutsTable {
  calendar_id: string;
  version: string;
  state: 'running' | 'done';
  passes: ColumnType<number, number | undefined, number>;
  adopted: ColumnType<number, number | undefined, number>;
  already: ColumnType<number, number | undefined, number>;
  refused: ColumnType<number, number | undefined, number>;
  not_running: ColumnType<number, number | undefined, number>;
  last_dossier_code: string | null;
  started_at: ColumnType<Date, string | undefined, never>;
  updated_at: ColumnType<Date, string | undefined, string>;
  finished_at: ColumnType<Date | null, string | null | undefined, string | null>;
}

/** The content-addressed document store (documents/document-store.ts). */
export interface DocumentsTable {
  sha256: string;
  media_type: string;
  size: number;
  content: Buffer | null;
  stored_at: ColumnType<Date, string | undefined, never>;
}

/** Where an asynchronous projection has read the event log up to: (transaction id, position). */
export interface ProjectionCheckpointsTable {
  name: string;
  last_transaction_id: ColumnType<string, string | undefined, string>;
  last_position: ColumnType<string, number | string | undefined, number | string>;
  events_seen: ColumnType<string, number | string | undefined, number | string>;
  updated_at: ColumnType<Date, string | undefined, string>;
}

type Instant = ColumnType<Date | null, string | null, string | null>;

/** One row per dossier: each fact the reports count, with the instant it became true. */
export interface ReportDossiersTable {
  dossier_code: string;
  agency_code: string;
  competent_agency_code: string | null;
  procedure_code: string;
  procedure_version: string | null;
  field: string | null;
  channel: string;
  registered_at: ColumnType<Date, string, string>;
  accepted_at: Instant;
  refused_at_reception_at: Instant;
  appointment_at: Instant;
  resolved_at: Instant;
  resolution: string | null;
  dossier_rule: string | null;
  decision766: string | null;
  processing_days: ColumnType<string | null, number | null, number | null>;
  e_result_at: Instant;
  returned_at: Instant;
  return_method: string | null;
  fee_bearing_from: Instant;
  paid_at: Instant;
  paid_online_at: Instant;
  digitised_at: Instant;
  reused_data_at: Instant;
  supplement_requests: number;
  apology_at: Instant;
  evaluated_at: Instant;
  rating: string | null;
  /** online, paper-form, or staff-recorded (before evaluations carried their source); null: not evaluated. */
  evaluation_source: ColumnType<string | null, string | null | undefined, string | null>;
  overdue_at: Instant;
  responsible_agency_code: string | null;
  lateness_apology_at: Instant;
  lateness_explained_at: Instant;
  explanation_due_at: Instant;
  /** A mirror's source system; null for the engine's own dossier (domain/reporting/mirror-report.ts). */
  mirrored_from: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A stretch in which an accepted, unresolved dossier's report figures held (domain/reporting/). */
export interface ReportOpenIntervalsTable {
  dossier_code: string;
  agency_code: string;
  competent_agency_code: string | null;
  procedure_code: string;
  field: string | null;
  valid: string;
  paused: boolean;
  overdue_from: Instant;
  late766_from: Instant;
}

/** A unit's local target for an indicator in a year, in percent (the local plans differ). */
export interface ReportTargetsTable {
  agency_code: string;
  year: number;
  indicator: string;
  target: ColumnType<string, number, number>;
  source: string;
}

/** A POST's response kept under the caller's Idempotency-Key. */
export interface IdempotencyKeysTable {
  caller: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: ColumnType<unknown, string | null, string | null>;
  resource: ColumnType<unknown, string | null | undefined, string | null>;
  /** When the key was first used; the daily sweep goes by it. */
  created_at: ColumnType<Date, string | undefined, string>;
  /** When the current claim began; a released claim is dated 1970 so a retry takes it over at once. */
  claimed_at: ColumnType<Date, string | undefined, string>;
  completed_at: ColumnType<Date | null, string | null, string | null>;
}

/** The agency catalogue; `definition` is the validated catalogue entry. */
export interface AgenciesTable {
  code: string;
  name: string;
  kind: string;
  parent_code: string | null;
  definition: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, string | undefined, string>;
}

/** Procedure versions; a loaded version is never changed, since dossiers pinned it. */
export interface ProcedureVersionsTable {
  code: string;
  version: string;
  effective_from: ColumnType<string, string, never>;
  effective_until: ColumnType<string | null, string | null, never>;
  name: string;
  sample: boolean;
  definition: ColumnType<unknown, string, never>;
  loaded_at: ColumnType<Date, string | undefined, never>;
}

/** The province's agency directory, one row per loaded version, never changed; the highest seq is current. */
export interface AgencyDirectoriesTable {
  version: string;
  seq: Generated<number>;
  definition: ColumnType<unknown, string, never>;
  loaded_at: ColumnType<Date, string | undefined, never>;
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
  /** SHA-256 over the previous event's hash and this event's canonical form (db/event-hash.ts). */
  hash: ColumnType<Buffer, Buffer, never>;
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
  /** The name as a search compares it (domain/search-text.ts): no marks, lower case. */
  applicant_name_folded: string | null;
  /**
   * A keyed hash of the applicant's identity number (db/projections/applicant-search.ts), for the
   * search by ID number; null until the keyed projection has seen the dossier.
   */
  applicant_id_hash: ColumnType<string | null, string | null | undefined, string | null>;
  received_at: ColumnType<Date, string, string>;
  stream_version: number;
  last_global_position: number;
  updated_at: ColumnType<Date, string, string>;
  procedure_version: string | null;
  competent_agency_code: string | null;
  calendar_version: string | null;
  accepted_at: ColumnType<Date | null, string | null, string | null>;
  appointment_at: ColumnType<Date | null, string | null, string | null>;
  /** The appointment the applicant is told to expect now (domain/dossier/lateness.ts appointmentInForce). */
  appointment_in_force_at: ColumnType<Date | null, string | null, string | null>;
  due_at: ColumnType<Date | null, string | null, string | null>;
  extended_due_at: ColumnType<Date | null, string | null, string | null>;
  clock_state: string | null;
  overdue: ColumnType<boolean, boolean | undefined, boolean>;
  due_soon: ColumnType<boolean, boolean | undefined, boolean>;
  supplement_requests: ColumnType<number, number | undefined, number>;
  current_agencies: ColumnType<string[], string[] | undefined, string[]>;
  result_code: string | null;
  closed_at: ColumnType<Date | null, string | null, string | null>;
  /** A mirror of a dossier handled on a ministry's system: that system's name; null for the engine's own (db/mirror-store.ts). */
  mirrored_from: ColumnType<string | null, string | null | undefined, string | null>;
  /** A mirror's source revision (its sourceUpdatedAt); null for the engine's own. */
  source_updated_at: ColumnType<Date | null, string | null | undefined, string | null>;
  /** The outside systems holding a step of the dossier now (docs/integrations.md#interagency). */
  held_by_systems: ColumnType<string[], string[] | undefined, string[]>;
  /** The registrations the result carries (ResultIssued.registrations), as JSON text when written. */
  result_registrations: ColumnType<ResultRegistration[] | null, string | null | undefined, string | null>;
}

/** A registration an outside system recorded for a step (StepCompleted.registration). */
export interface StepRegistration {
  readonly system: string;
  readonly number: string;
  readonly book?: string;
}
export type ResultRegistration = StepRegistration & { readonly stepId: string };

/** What each agency has in hand: a step to work on, or the centre's next act on a dossier. */
export interface WorkQueueTable {
  dossier_code: string;
  item: string;
  agency_code: string;
  kind: string;
  task: string;
  since: ColumnType<Date, string, string>;
  due_at: ColumnType<Date | null, string | null, string | null>;
  handler_user_id: string | null;
  due_soon: boolean;
  overdue: boolean;
  /** The outside system holding the step (the item waits for its answer), else null. */
  held_by_system: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The process control slip (form 06): one row per step run with its times and mark. */
export interface ControlSlipTable {
  dossier_code: string;
  step_id: string;
  run: number;
  stage_index: number;
  from_agency_code: string;
  to_agency_code: string;
  task: string;
  received_at: ColumnType<Date, string, string>;
  due_at: ColumnType<Date, string, string>;
  finished_at: ColumnType<Date | null, string | null, string | null>;
  status: string;
  handler_user_id: string | null;
  allotted_minutes: ColumnType<string | null, number | null, number | null>;
  used_minutes: ColumnType<string | null, number | null, number | null>;
  mark: string | null;
  /** A step carried out in an outside system: which, when handed over and answered, what it said and returned. */
  system: ColumnType<string | null, string | null | undefined, string | null>;
  handed_off_at: ColumnType<Date | null, string | null | undefined, string | null>;
  external_reference: ColumnType<string | null, string | null | undefined, string | null>;
  progress_status: ColumnType<string | null, string | null | undefined, string | null>;
  progress_at: ColumnType<Date | null, string | null | undefined, string | null>;
  answered_at: ColumnType<Date | null, string | null | undefined, string | null>;
  /** JSON text when written (the stored file's digest, size, type, name). */
  result_file: ColumnType<StoredFile | null, string | null | undefined, string | null>;
  registration: ColumnType<StepRegistration | null, string | null | undefined, string | null>;
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

/** A portal's submission claimed under its own dossier id, with the dossier code and the first answer (db/portal-submissions.ts). */
export interface PortalSubmissionsTable {
  portal: string;
  portal_dossier_id: string;
  submission_digest: string;
  dossier_code: string;
  received_at: ColumnType<Date, string, string>;
  command_id: string;
  answer: ColumnType<unknown, string | null | undefined, string | null>;
  claimed_at: ColumnType<Date, string | undefined, string>;
  answered_at: ColumnType<Date | null, string | null | undefined, string | null>;
}

/** The outbox: one row per (event, receiver), keyed by its idempotency key (db/outbox/deliveries.ts). */
export interface DeliveriesTable {
  key: string;
  receiver: string;
  dossier_code: string;
  sequence: number;
  event_type: string;
  trigger: string;
  global_position: ColumnType<string, string | number, never>;
  state: ColumnType<'pending' | 'delivered' | 'dead' | 'closed', 'pending' | undefined, 'pending' | 'delivered' | 'dead' | 'closed'>;
  not_before: ColumnType<Date | null, string | null | undefined, string | null>;
  event_committed_at: ColumnType<Date, string, never>;
  planned_at: ColumnType<Date, string | undefined, never>;
  dispatched_at: ColumnType<Date | null, string | null | undefined, string | null>;
  delivered_at: ColumnType<Date | null, string | null | undefined, string | null>;
  dead_at: ColumnType<Date | null, string | null | undefined, string | null>;
  closed_at: ColumnType<Date | null, string | null | undefined, string | null>;
  closed_by: string | null;
  closed_reason: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  receiver_reference: string | null;
}

/** Every attempt to carry out a delivery, with what was sent (personal fields masked) and answered. */
export interface DeliveryAttemptsTable {
  delivery_key: string;
  attempt: number;
  started_at: ColumnType<Date, string, never>;
  finished_at: ColumnType<Date, string, never>;
  outcome: 'delivered' | 'already-delivered' | 'failed' | 'refused';
  request: ColumnType<unknown, string | null, never>;
  request_sha256: string | null;
  response: string | null;
  error: string | null;
}

/** Credentials a receiver rotates, sealed with the payload keys (db/outbox/receiver-credentials.ts). */
export interface ReceiverCredentialsTable {
  receiver: string;
  sealed: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, string | undefined, string>;
}

/** The inbox of the outside systems' answers (db/interagency/answers.ts, docs/integrations.md#answers-from-the-systems). */
export interface InteragencyAnswersTable {
  system: string;
  answer_id: string;
  dossier_code: string;
  step_id: string;
  run: number;
  sequence: number;
  kind: string;
  received_at: ColumnType<Date, Date | string | undefined, never>;
  via: 'callback' | 'poll';
  /** The answer without its file's bytes: the file is replaced by its StoredFile. */
  body: ColumnType<unknown, string, never>;
  body_sha256: string;
  status: ColumnType<'pending' | 'held' | 'applied' | 'duplicate-content' | 'refused', 'pending' | 'refused' | undefined, 'pending' | 'held' | 'applied' | 'duplicate-content' | 'refused'>;
  outcome_code: string | null;
  outcome_message: string | null;
  command_id: string;
  applied_at: ColumnType<Date | null, never, Date | null>;
  attempts: ColumnType<number, never, number>;
  last_error: string | null;
  tried_at: ColumnType<Date | null, never, Date | null>;
}

/** Where the engine's poll of each system stands (db/interagency/answers.ts). */
export interface InteragencyPollCursorsTable {
  system: string;
  cursor: string | null;
  polled_at: ColumnType<Date, Date | undefined, Date>;
}

/** Inline projection: one row per feedback item (PAKN), rewritten from its fold (db/feedback/feedback-projection.ts). No personal data. */
export interface FeedbackSummaryTable {
  feedback_id: string;
  agency_code: string;
  current_agency_code: string;
  status: string;
  national_label: string;
  category: string | null;
  channel: string;
  title: string;
  sent_at: ColumnType<Date, string, string>;
  received_at: ColumnType<Date, string, string>;
  dossier_code: string | null;
  external_id: string | null;
  follow_up_of: string | null;
  refuse_due_at: ColumnType<Date | null, string | null, string | null>;
  info_request_due_at: ColumnType<Date | null, string | null, string | null>;
  answer_due_at: ColumnType<Date | null, string | null, string | null>;
  publish_due_at: ColumnType<Date | null, string | null, string | null>;
  next_due_at: ColumnType<Date | null, string | null, string | null>;
  next_due_clock: string | null;
  due_soon: boolean;
  overdue: boolean;
  alerts: ColumnType<Record<string, readonly string[]>, string, string>;
  accepted_at: ColumnType<Date | null, string | null, string | null>;
  refused_at: ColumnType<Date | null, string | null, string | null>;
  transferred_out_at: ColumnType<Date | null, string | null, string | null>;
  answered_at: ColumnType<Date | null, string | null, string | null>;
  published_at: ColumnType<Date | null, string | null, string | null>;
  /** When the item left the unit's hands (answered, refused, sent outside): null while open. */
  handled_at: ColumnType<Date | null, string | null, string | null>;
  /** Whether every clock that has closed closed in time; null while a clock is still open and none is late. */
  on_time: boolean | null;
  late_clocks: ColumnType<string[], string[], string[]>;
  likes: number;
  dislikes: number;
  stream_version: number;
  last_global_position: ColumnType<number, number, number>;
  updated_at: ColumnType<Date, string, string>;
}

export interface FeedbackDailySerialsTable {
  agency_code: string;
  received_date: ColumnType<string, string, never>;
  last_serial: number;
}

export interface FeedbackIntakeKeysTable {
  intake_key: string;
  feedback_id: string;
  received_at: ColumnType<Date, string, never>;
}

export type FeedbackSummaryRow = Selectable<FeedbackSummaryTable>;
/** An online payment's transaction with the national payment platform (db/payments/transactions.ts). */
export interface PaymentTransactionsTable {
  reference: string;
  dossier_code: string;
  purpose: 'fees' | 'obligation';
  amount_vnd: ColumnType<string, number, never>;
  state: ColumnType<'khoi-tao' | 'thanh-cong' | 'that-bai', 'khoi-tao' | 'thanh-cong' | 'that-bai' | undefined, 'khoi-tao' | 'thanh-cong' | 'that-bai'>;
  payment_url: string | null;
  inits: ColumnType<number, number | undefined, number>;
  transaction_id: string | null;
  bank_code: string | null;
  paid_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  initiated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  confirmed_via: 'callback' | 'query' | null;
  callback_count: ColumnType<number, number | undefined, number>;
  /** The platform's last callback as sent (its fields only: none personal). */
  last_callback: ColumnType<unknown, string | null | undefined, string | null>;
  last_callback_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_outcome: string | null;
  queried_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  query_count: ColumnType<number, number | undefined, number>;
  receipt_file: ColumnType<StoredFile | null, string | null | undefined, string | null>;
  receipt_sha256: string | null;
  /** The payment request this attempt pays (its MaThamChieu is `reference`). */
  request_reference: string;
  attempt: ColumnType<number, number | undefined, never>;
  /** Why this attempt's confirmed money is owed back (another attempt paid the request first). */
  refund_due: string | null;
}

/** Where the national PAKN inbox's polls stand (worker/national-pakn-inbox.ts). */
export interface NationalPaknCursorsTable {
  feed: 'items' | 'reactions';
  cursor: string | null;
  polled_at: ColumnType<Date, Date | undefined, Date>;
}

/** A feedback item's id in the national PAKN system and the latest version pushed there (activities/feedback-national-sync.ts). */
export interface NationalPaknLinksTable {
  feedback_id: string;
  external_id: string;
  pushed_version: number;
  pushed_at: ColumnType<Date, Date | undefined, Date>;
}

/** A national PAKN item reception refused, held for an operator and tried again for a while (worker/national-pakn-inbox.ts). */
export interface NationalPaknHeldTable {
  external_id: string;
  agency_code: string;
  /** The item as served, its files as stored: personal data, never logged. */
  item: ColumnType<unknown, string, string>;
  state: ColumnType<'held' | 'received' | 'expired', 'held' | 'received' | 'expired' | undefined, 'held' | 'received' | 'expired'>;
  refusal_code: string;
  refusal_detail: string;
  tries: ColumnType<number, number | undefined, number>;
  held_at: ColumnType<Date, Date | undefined, Date>;
  tried_at: ColumnType<Date, Date | undefined, Date>;
  feedback_id: string | null;
}
