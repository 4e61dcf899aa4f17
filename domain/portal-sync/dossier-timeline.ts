// What the portal is told about a dossier, read from its events once: the state they fold to, and
// the facts the state does not keep (who asked for a supplement and when it came, the due time in
// force after each pause, the files with their names and origins, the results, the payments).
// Pure: the sync payload (./dossier-payload.ts) and the progress rows (./progress-rows.ts) read it.
import type { FileOrigin } from '../files/file-model.js';
import type { MissingItem } from '../dossier/commands.js';
import type { DossierEvent, DossierReceived, ResultIssued } from '../dossier/events.js';
import { evolveDossier, newDossier, type DossierState, type ReceivedDossier } from '../dossier/state.js';

/** An event of the dossier's stream with what the log records beside it (integrations/outbox's DeliveredEvent has this shape). */
export interface PortalSyncEvent {
  readonly version: number;
  readonly event: DossierEvent;
  readonly occurredAt: string;
  readonly actor: { readonly userId: string; readonly role: string; readonly agencyCode: string };
}

/** One form 02 and its answer: DanhSachHoSoBoSung's entry. */
export interface SupplementCycle {
  /** 1, 2, … over the dossier (reception and processing together). */
  readonly number: number;
  readonly atReception: boolean;
  readonly requestedAt: string;
  /** The official who asked (the event's actor). */
  readonly requestedBy: string;
  readonly missing: readonly MissingItem[];
  /** The due time in force when it was asked (none before acceptance). */
  readonly dueBefore: string | null;
  readonly providedAt?: string;
  /** The official who took the supplement in. */
  readonly receivedBy?: string;
  readonly note?: string;
  /** The due time after it, when the clock runs again. */
  readonly dueAfter?: string | null;
}

/** A component's file as the portal lists it (TaiLieuNop). */
export interface TimelineFile {
  readonly componentId: string;
  readonly sha256: string;
  readonly name?: string;
  readonly mediaType: string;
  readonly origin: FileOrigin;
  readonly approved: boolean;
  readonly replaced: boolean;
}

export interface DossierTimeline {
  readonly dossierCode: string;
  readonly received: DossierReceived['data'];
  readonly state: ReceivedDossier;
  /** The due time in force: the appointment, moved by a restart, a resume after a pause or an adopted calendar; never by form 04. */
  readonly due: string | null;
  /** Form 04's latest: the appointment it replaced and the new one. */
  readonly apology?: { readonly originalDue: string; readonly newAppointment: string };
  /** End of processing: the first result, a refusal to resolve, or a withdrawal approved. */
  readonly endedAt?: string;
  readonly refusedAt?: string;
  readonly returned?: { readonly at: string; readonly method: 'counter' | 'post' | 'electronic' };
  readonly supplements: readonly SupplementCycle[];
  readonly files: readonly TimelineFile[];
  readonly results: readonly ResultIssued['data'][];
  /** DuocThanhToanTrucTuyen: '1' paid online on the national portal, '2' on a ministry or provincial gateway, '0' otherwise. */
  readonly onlinePayment: '0' | '1' | '2';
}

/** The timeline of a dossier's events (in stream order); undefined before its reception. */
export function readTimeline(events: readonly PortalSyncEvent[]): DossierTimeline | undefined {
  const first = events[0]?.event;
  if (first?.type !== 'DossierReceived') return undefined;
  let state: DossierState = newDossier(first.data.dossierCode);
  let due: string | null = null;
  let apology: DossierTimeline['apology'];
  let endedAt: string | undefined;
  let refusedAt: string | undefined;
  let returned: DossierTimeline['returned'];
  const supplements: SupplementCycle[] = [];
  let files: TimelineFile[] = [];
  const results: ResultIssued['data'][] = [];
  let onlinePayment: '0' | '1' | '2' = '0';
  for (const { event, actor } of events) {
    state = evolveDossier(state, event);
    switch (event.type) {
      case 'DossierAccepted':
        due = event.data.appointment;
        break;
      case 'SupplementRequestedAtReception':
      case 'SupplementRequested':
        supplements.push({ number: supplements.length + 1, atReception: event.type === 'SupplementRequestedAtReception', requestedAt: event.data.at, requestedBy: actor.userId, missing: event.data.missing, dueBefore: due });
        break;
      case 'SupplementProvided': {
        const open = supplements.findLastIndex((cycle) => cycle.providedAt === undefined);
        if (event.data.due) due = event.data.due;
        if (open >= 0) supplements[open] = { ...supplements[open]!, providedAt: event.data.at, receivedBy: actor.userId, ...(event.data.note ? { note: event.data.note } : {}), dueAfter: event.data.due };
        break;
      }
      case 'PaymentRecorded':
        if (event.data.due) due = event.data.due;
        // Only a payment made online counts, and the gateway says which code (766 §3.6): not "a fee row exists".
        // The national payment platform's confirmation is 1; so are the online payments staff
        // recorded before the platform's were (docs/rules.md#payment-requests-and-online-payments).
        if (event.data.platformPayment || (event.data.method === 'online' && event.data.onlineGateway === 'national-portal')) onlinePayment = '1';
        else if (event.data.method === 'online' && event.data.onlineGateway === 'provincial' && onlinePayment === '0') onlinePayment = '2';
        break;
      case 'CalendarAmendmentAdopted':
        if (event.data.dueAfter) due = event.data.dueAfter;
        break;
      case 'ApologyIssued':
        apology = { originalDue: event.data.originalDue, newAppointment: event.data.newAppointment };
        break;
      case 'ResultIssued':
        endedAt ??= event.data.at;
        results.push(event.data);
        break;
      case 'ResolutionRefused':
        endedAt ??= event.data.at;
        refusedAt = event.data.at;
        break;
      case 'DossierRefusedAtReception':
        refusedAt = event.data.at;
        break;
      case 'WithdrawalDecided':
        if (event.data.approved) endedAt ??= event.data.at;
        break;
      case 'ResultReturned':
        returned = { at: event.data.at, method: event.data.method };
        break;
      case 'ComponentFileAttached': {
        const { componentId, file, origin, approved, replaces } = event.data;
        if (replaces !== undefined) files = files.map((candidate) => (candidate.componentId === componentId && candidate.sha256 === replaces && !candidate.replaced ? { ...candidate, replaced: true } : candidate));
        files.push({ componentId, sha256: file.sha256, ...(file.name ? { name: file.name } : {}), mediaType: file.mediaType, origin, approved, replaced: false });
        break;
      }
      case 'ComponentFileApproved':
        files = files.map((candidate) => (candidate.componentId === event.data.componentId && candidate.sha256 === event.data.sha256 && !candidate.replaced ? { ...candidate, approved: true } : candidate));
        break;
      default:
        break;
    }
  }
  if (state.status === 'none') return undefined;
  return {
    dossierCode: state.dossierCode,
    received: first.data,
    state,
    due,
    ...(apology ? { apology } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(refusedAt ? { refusedAt } : {}),
    ...(returned ? { returned } : {}),
    supplements,
    files,
    results,
    onlinePayment,
  };
}

/** An agency's name as the dossier pinned it (the route's agencies, or the receiving centre's header); its code when unknown. */
export function agencyName(state: ReceivedDossier, agencyCode: string): string {
  const pinned = state.accepted?.agencies.find((agency) => agency.code === agencyCode);
  if (pinned) return pinned.name;
  if (agencyCode === state.agencyCode && state.centre) return state.centre.name;
  return agencyCode;
}

/** The agency holding the dossier: the latest step's (the active one first), else the receiving centre. */
export function handlingAgencyCode(state: ReceivedDossier): string {
  const active = state.steps.filter((step) => step.status === 'active');
  return (active.at(-1) ?? state.steps.at(-1))?.agencyCode ?? state.agencyCode;
}
