// The dossier register (form 07, sổ theo dõi hồ sơ) of a receiving unit: one entry per dossier
// received in a period, numbered from 1 in reception order, with what the form asks for: procedure,
// applicant with address and phone, lead body, reception, appointment, transfers to the bodies and
// results back from them, return, and a note. Read from the log and the inline read models, so it is
// never behind. It holds personal data: only the roles that keep or audit the register read it.
import { type Kysely, sql } from 'kysely';
import type { Applicant } from '../../domain/dossier/commands.js';
import type { RegisterRow } from '../../domain/documents/register-document.js';
import type { DossierStatus } from '../../domain/dossier/state.js';
import type { Database } from '../schema.js';

/** A register entry: the row form 07 prints, and the channel and applicant kind besides. */
export interface RegisterEntry extends RegisterRow {
  readonly channel: string;
  readonly applicant: RegisterRow['applicant'] & { readonly kind: string };
}

export interface RegisterPage {
  readonly entries: readonly RegisterEntry[];
  /** Where the next page starts: the last entry's reception time, code and number. */
  readonly next: { readonly receivedAt: string; readonly dossierCode: string; readonly number: number } | null;
}

export async function dossierRegister(
  db: Kysely<Database>,
  query: { agencyCode: string; from: Date; to: Date; limit: number; after?: { receivedAt: string; dossierCode: string; number: number } },
): Promise<RegisterPage> {
  let select = db
    .selectFrom('dossier_summary')
    .select(['dossier_code', 'procedure_code', 'procedure_version', 'channel', 'applicant_kind', 'applicant_name', 'competent_agency_code', 'received_at', 'appointment_at', 'status'])
    .where('agency_code', '=', query.agencyCode)
    // The centre's register lists what it received; a mirror was received on a ministry's system (docs/reports.md#mirrored-dossiers).
    .where('mirrored_from', 'is', null)
    .where('received_at', '>=', query.from)
    .where('received_at', '<', query.to);
  if (query.after) select = select.where(sql<boolean>`(received_at, dossier_code) > (${new Date(query.after.receivedAt)}, ${query.after.dossierCode})`);
  const rows = await select.orderBy('received_at').orderBy('dossier_code').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  const codes = page.map((row) => row.dossier_code);
  if (codes.length === 0) return { entries: [], next: null };

  const events = await db
    .selectFrom('events')
    .select(['stream_id', 'type', 'payload', 'occurred_at'])
    .where('stream_id', 'in', codes)
    .where('type', 'in', ['DossierReceived', 'DossierAccepted', 'ResultReturned'])
    .orderBy('global_position')
    .execute();
  const slip = await db
    .selectFrom('control_slip')
    .select(['dossier_code', 'to_agency_code', 'received_at', 'finished_at'])
    .where('dossier_code', 'in', codes)
    .where('to_agency_code', '<>', query.agencyCode)
    .orderBy('dossier_code')
    .orderBy('received_at')
    .execute();

  // Before acceptance pins a version, the catalogue's latest name of the procedure stands in.
  const names = new Map<string, string>();
  const catalogued = await db
    .selectFrom('procedure_versions')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(page.map((row) => row.procedure_code))])
    .orderBy('effective_from')
    .execute();
  for (const row of catalogued) names.set(row.code, row.name);

  const first = query.after?.number ?? 0;
  const entries = page.map((row, index): RegisterEntry => {
    const own = events.filter((event) => event.stream_id === row.dossier_code);
    const applicant = (own.find((event) => event.type === 'DossierReceived')?.payload as { applicant?: Applicant } | undefined)?.applicant;
    const procedureName = (own.find((event) => event.type === 'DossierAccepted')?.payload as { procedure?: { name?: string } } | undefined)?.procedure?.name ?? names.get(row.procedure_code) ?? null;
    const returned = own.find((event) => event.type === 'ResultReturned');
    return {
      number: first + index + 1,
      dossierCode: row.dossier_code,
      procedureCode: row.procedure_code,
      procedureName,
      channel: row.channel,
      applicant: { kind: row.applicant_kind, fullName: applicant?.fullName ?? row.applicant_name, address: applicant?.address ?? null, phone: applicant?.phone ?? null },
      leadAgencyCode: row.competent_agency_code,
      receivedAt: row.received_at.toISOString(),
      appointmentAt: row.appointment_at?.toISOString() ?? null,
      transfers: slip
        .filter((step) => step.dossier_code === row.dossier_code)
        .map((step) => ({ agencyCode: step.to_agency_code, sentAt: step.received_at.toISOString(), returnedAt: step.finished_at?.toISOString() ?? null })),
      resultReturnedAt: returned ? returned.occurred_at.toISOString() : null,
      status: row.status as DossierStatus,
    };
  });
  const last = entries[entries.length - 1]!;
  return { entries, next: rows.length > query.limit ? { receivedAt: last.receivedAt, dossierCode: last.dossierCode, number: last.number } : null };
}

/** Whether `agencyCode` is `unit` or one of the units below it (agencies.parent_code). */
export async function isWithinUnit(db: Kysely<Database>, unit: string, agencyCode: string): Promise<boolean> {
  if (unit === agencyCode) return true;
  const { rows } = await sql<{ found: boolean }>`
    WITH RECURSIVE chain AS (
      SELECT code, parent_code, 0 AS depth FROM agencies WHERE code = ${agencyCode}
      UNION ALL
      SELECT agencies.code, agencies.parent_code, chain.depth + 1 FROM agencies JOIN chain ON agencies.code = chain.parent_code WHERE chain.depth < 20
    )
    SELECT EXISTS (SELECT 1 FROM chain WHERE code = ${unit}) AS found`.execute(db);
  return rows[0]?.found ?? false;
}
