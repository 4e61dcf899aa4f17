// A mirror's summary row: the same dossier_summary row as a dossier's, from the mirror's own fold
// (domain/mirror/), marked with its source system. A mirror has no work queue items and no control
// slip: no body of the province acts on it (docs/decisions/0021-mirrored-dossiers.md).
import { parseInstant } from '../../domain/calendar/civil-day.js';
import { lateFrom } from '../../domain/clock/on-time-classification.js';
import { asMirrorEvent } from '../../domain/mirror/events.js';
import { foldMirror, mirrorClosedAt, mirrorStatusWord, newMirror } from '../../domain/mirror/mirror-state.js';
import { foldForSearch } from '../../domain/search-text.js';
import type { StoredEvent } from '../event-store.js';

export function mirrorReadModelsOf(dossierCode: string, stored: readonly StoredEvent[]) {
  const last = stored[stored.length - 1];
  if (!last) return undefined;
  const state = foldMirror(newMirror(dossierCode), stored.map(asMirrorEvent));
  if (state.status !== 'mirrored') return undefined;
  const { facts } = state;
  const asOf = last.occurredAt.toISOString();
  const accepted = facts.acceptedAt !== undefined;
  const late = facts.appointmentAt === undefined ? undefined : lateFrom(parseInstant(facts.appointmentAt), 'day');
  // Late by its own dates: finished after the appointment's day, or still open past it at the latest push.
  const overdue = late !== undefined && accepted && (facts.finishedAt !== undefined ? parseInstant(facts.finishedAt) >= late : parseInstant(asOf) >= late);
  const summary = {
    agency_code: facts.agencyCode,
    procedure_code: facts.procedureCode,
    channel: facts.channel,
    status: mirrorStatusWord(facts.status, accepted),
    portal_status: facts.status,
    applicant_kind: facts.applicant.kind,
    applicant_name: facts.applicant.fullName,
    applicant_name_folded: foldForSearch(facts.applicant.fullName),
    received_at: facts.submittedAt,
    stream_version: last.streamVersion,
    last_global_position: last.globalPosition,
    updated_at: asOf,
    procedure_version: null,
    competent_agency_code: null,
    calendar_version: null,
    accepted_at: facts.acceptedAt ?? null,
    appointment_at: facts.appointmentAt ?? null,
    appointment_in_force_at: facts.appointmentAt ?? null,
    due_at: facts.appointmentAt ?? null,
    extended_due_at: null,
    clock_state: null,
    overdue,
    due_soon: false,
    supplement_requests: facts.supplementRequests ?? 0,
    current_agencies: [] as string[],
    result_code: null,
    closed_at: mirrorClosedAt(state),
    mirrored_from: state.system,
    source_updated_at: state.sourceUpdatedAt,
    // A mirror's steps are its own system's business: no step of it is handed to a system from here.
    held_by_systems: [],
    result_registrations: null,
  };
  return { summary, queue: [], slip: [] };
}
