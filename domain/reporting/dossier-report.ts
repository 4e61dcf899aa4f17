// Longer than 300 lines: whole because each fact is set beside the event that makes it true, in one fold.
// What the reports need to know about one dossier, folded from its events: the facts that happen
// once (received, accepted, resolved, paid online, evaluated…), each with the instant it became
// true, and the intervals during which the dossier was open, with what its clocks said then.
//
// Every fact carries its instant so a report "as of" any past date can ignore what came later, and
// an open interval is enough to judge an unfinished dossier at any instant inside it: between two
// events a running clock's due time does not move, and a paused one does not count. So a report
// never folds events itself; it filters these rows by time (Decision 766/QĐ-TTg; docs/rules.md).
import { lateFrom } from '../clock/on-time-classification.js';
import { parseInstant } from '../calendar/civil-day.js';
import type { Classification } from '../clock/on-time-classification.js';
import type { SubmittedComponent } from '../dossier/commands.js';
import { digitisedComponents, reusedComponents } from '../dossier/component-files.js';
import { readDossierClock } from '../dossier/dossier-clock.js';
import { explanationDue, missedDue, responsibleAgency } from '../dossier/lateness.js';
import type { DossierEvent } from '../dossier/events.js';
import { evolveDossier, isReceived, newDossier, type DossierState, type ReceivedDossier } from '../dossier/state.js';

export type Resolution = 'result' | 'refused' | 'withdrawn';

/** Where an evaluation came from (docs/reports.md#evaluations-by-source). */
export type EvaluationSource = 'online' | 'paper-form' | 'staff-recorded';

export interface DossierReportFacts {
  readonly dossierCode: string;
  /** The one-stop centre that received it. */
  readonly agencyCode: string;
  /** The agency competent to resolve it (from the procedure pinned at acceptance). */
  readonly competentAgencyCode: string | null;
  readonly procedureCode: string;
  readonly procedureVersion: string | null;
  /** The procedure's field (lĩnh vực), known once the procedure is pinned at acceptance. */
  readonly field: string | null;
  readonly channel: string;
  readonly registeredAt: string;
  /** NgayTiepNhan: the clock's start, and the instant Decision 766 counts a dossier by. */
  readonly acceptedAt: string | null;
  readonly refusedAtReceptionAt: string | null;
  /** NgayHenTra: the appointment printed on the receipt. */
  readonly appointmentAt: string | null;
  /** NgayKetThucXuLy: the clock stopped with a result, a refusal or a withdrawal. */
  readonly resolvedAt: string | null;
  readonly resolution: Resolution | null;
  /** Early / on time / late against the dossier's own original due time, at its granularity. */
  readonly dossierRule: Classification | null;
  readonly decision766: Classification | null;
  /** Working days (or the budget's days) the clock counted until it stopped. */
  readonly processingDays: number | null;
  /**
   * The e-result (kết quả điện tử; the result digitised): the first result recorded with the competent
   * body's signed file (ResultIssued with its signature report). Dossiers resolved before that count
   * from the engine's own signed result document (DocumentIssued of kind result).
   */
  readonly eResultAt: string | null;
  readonly returnedAt: string | null;
  readonly returnMethod: string | null;
  /** Fee-bearing since: acceptance when the pinned procedure has a non-zero fee, else the first financial obligation. */
  readonly feeBearingFrom: string | null;
  readonly paidAt: string | null;
  readonly paidOnlineAt: string | null;
  /** The first time a component was recorded as scanned (at acceptance or with a supplement). */
  readonly digitisedAt: string | null;
  /** The first time a component was recorded as taken from digitised data. */
  readonly reusedDataAt: string | null;
  readonly supplementRequests: number;
  readonly apologyAt: string | null;
  readonly evaluatedAt: string | null;
  readonly rating: string | null;
  /** `staff-recorded`: an evaluation recorded before evaluations carried their source (issue 21); it counts as before. */
  readonly evaluationSource: EvaluationSource | null;
  /** When the dossier first went past the appointment in force (the due time that passed); null: never late for the applicant. */
  readonly overdueAt: string | null;
  /** The agency that held it then, which owes the apology for lateness and the explanation. */
  readonly responsibleAgencyCode: string | null;
  /** The first apology for lateness (not form 04, which comes before the due date). */
  readonly latenessApologyAt: string | null;
  /** The first accountability explanation, and when it was due. */
  readonly latenessExplainedAt: string | null;
  readonly explanationDueAt: string | null;
  /** A mirror of a dossier handled on a ministry's system: that system's name (./mirror-report.ts); null for the engine's own. */
  readonly mirroredFrom: string | null;
}

/** A stretch of time in which an accepted, unresolved dossier's report figures did not change. */
export interface OpenInterval {
  readonly from: string;
  /** Null while it is still open at the last event. */
  readonly to: string | null;
  readonly paused: boolean;
  /** From this instant the dossier is overdue under its own rule (may precede `from`); null: not in this interval. */
  readonly overdueFrom: string | null;
  /** The same under Decision 766's rule (waiting for supplements excluded; a second request is late). */
  readonly late766From: string | null;
}

export interface DossierReport {
  readonly facts: DossierReportFacts;
  readonly openIntervals: readonly OpenInterval[];
}

type Snapshot = Omit<OpenInterval, 'from' | 'to'>;

export function dossierReportOf(dossierCode: string, events: readonly DossierEvent[]): DossierReport | undefined {
  let state: DossierState = newDossier(dossierCode);
  const intervals: OpenInterval[] = [];
  let open: (Snapshot & { from: string }) | undefined;
  const facts = {
    refusedAtReceptionAt: null as string | null,
    resolvedAt: null as string | null,
    resolution: null as Resolution | null,
    dossierRule: null as Classification | null,
    decision766: null as Classification | null,
    processingDays: null as number | null,
    eResultAt: null as string | null,
    returnedAt: null as string | null,
    returnMethod: null as string | null,
    obligationAt: null as string | null,
    paidAt: null as string | null,
    paidOnlineAt: null as string | null,
    digitisedAt: null as string | null,
    reusedDataAt: null as string | null,
    apologyAt: null as string | null,
    evaluatedAt: null as string | null,
    rating: null as string | null,
    evaluationSource: null as EvaluationSource | null,
    overdueAt: null as string | null,
    responsibleAgencyCode: null as string | null,
    latenessApologyAt: null as string | null,
    latenessExplainedAt: null as string | null,
  };
  // Events recorded before the file events carry the flags staff ticked then: they still count for those dossiers.
  const noteComponents = (components: readonly SubmittedComponent[], at: string) => {
    if (components.some((component) => component.digitised)) facts.digitisedAt ??= at;
    if (components.some((component) => component.reusedFromData)) facts.reusedDataAt ??= at;
  };
  // Since the file events: digitised when a component's file is approved, reused when a file was
  // taken from data already held (domain/dossier/component-files.ts; docs/files.md).
  const noteFiles = (files: ReceivedDossier['files'], at: string) => {
    if (digitisedComponents(files ?? []).size > 0) facts.digitisedAt ??= at;
    if (reusedComponents(files ?? []).size > 0) facts.reusedDataAt ??= at;
  };

  for (const event of events) {
    state = evolveDossier(state, event);
    if (!isReceived(state)) continue;
    const at = event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at;
    switch (event.type) {
      case 'ComponentFileAttached':
      case 'ComponentFileApproved':
        noteFiles(state.files, at);
        break;
      case 'DossierRefusedAtReception':
        facts.refusedAtReceptionAt = at;
        break;
      case 'DossierAccepted':
        noteComponents(event.data.components, at);
        break;
      case 'SupplementProvided':
        noteComponents(event.data.components, at);
        break;
      case 'FinancialObligationRequested':
        facts.obligationAt ??= at;
        break;
      case 'PaymentRecorded':
        facts.paidAt ??= at;
        if (event.data.method === 'online') facts.paidOnlineAt ??= at;
        break;
      case 'ApologyIssued':
        facts.apologyAt ??= at;
        break;
      case 'DocumentIssued':
        if (event.data.kind === 'result') facts.eResultAt ??= at;
        break;
      case 'ResultIssued':
        if (event.data.signature?.valid) facts.eResultAt ??= at;
        break;
      case 'ResultReturned':
        facts.returnedAt ??= at;
        facts.returnMethod ??= event.data.method;
        break;
      case 'EvaluationRecorded':
        facts.evaluatedAt = at;
        facts.rating = event.data.rating;
        facts.evaluationSource = event.data.source ?? 'staff-recorded';
        break;
      case 'DeadlineAlerted':
        if (event.data.scope.kind === 'dossier' && event.data.alert === 'overdue') {
          facts.overdueAt ??= event.data.due;
          facts.responsibleAgencyCode ??= event.data.agencyCode;
        }
        break;
      case 'LatenessApologyIssued':
        facts.overdueAt ??= event.data.missedAppointment;
        facts.responsibleAgencyCode ??= event.data.responsibleAgencyCode;
        facts.latenessApologyAt ??= at;
        break;
      case 'LatenessExplained':
        facts.overdueAt ??= event.data.overdueSince;
        facts.responsibleAgencyCode ??= event.data.agencyCode;
        facts.latenessExplainedAt ??= at;
        break;
      default:
        break;
    }

    const snapshot = state.accepted && facts.resolvedAt === null ? openSnapshot(state, at, facts) : undefined;
    if (open && (!snapshot || !sameSnapshot(open, open.from, snapshot, at))) {
      // Two events at one instant leave no time between them: that stretch holds nothing.
      if (parseInstant(at) > parseInstant(open.from)) intervals.push({ ...open, to: at });
      open = undefined;
    }
    if (snapshot && !open) open = { ...snapshot, from: at };
  }
  if (open) intervals.push({ ...open, to: null });
  if (!isReceived(state)) return undefined;

  const { accepted } = state;
  const fees = accepted?.procedure.fees ?? [];
  // Late without an overdue alert in the log (resolved past its appointment before the timer fired).
  const lastEvent = events[events.length - 1];
  if (facts.overdueAt === null && accepted && lastEvent && lastEvent.type !== 'DossierReceived') {
    facts.overdueAt = missedDue(state, lastEvent.data.at);
    if (facts.overdueAt !== null) facts.responsibleAgencyCode = responsibleAgency(state);
  }
  const iso = (instant: string | null) => (instant === null ? null : new Date(parseInstant(instant)).toISOString());
  return {
    facts: {
      dossierCode,
      agencyCode: state.agencyCode,
      competentAgencyCode: accepted?.procedure.competentAgencyCode ?? null,
      procedureCode: state.procedureCode,
      procedureVersion: accepted?.procedure.version ?? null,
      field: accepted?.procedure.field ?? null,
      channel: state.channel,
      registeredAt: state.receivedAt,
      acceptedAt: accepted?.at ?? null,
      refusedAtReceptionAt: facts.refusedAtReceptionAt,
      appointmentAt: accepted?.appointment ?? null,
      resolvedAt: facts.resolvedAt,
      resolution: facts.resolution,
      dossierRule: facts.dossierRule,
      decision766: facts.decision766,
      processingDays: facts.processingDays,
      eResultAt: facts.eResultAt,
      returnedAt: facts.returnedAt,
      returnMethod: facts.returnMethod,
      feeBearingFrom: accepted && fees.some((fee) => fee.amountVnd > 0) ? accepted.at : facts.obligationAt,
      paidAt: facts.paidAt,
      paidOnlineAt: facts.paidOnlineAt,
      digitisedAt: facts.digitisedAt,
      reusedDataAt: facts.reusedDataAt,
      supplementRequests: state.supplementRequests,
      apologyAt: facts.apologyAt,
      evaluatedAt: facts.evaluatedAt,
      rating: facts.rating,
      evaluationSource: facts.evaluationSource,
      overdueAt: iso(facts.overdueAt),
      responsibleAgencyCode: facts.responsibleAgencyCode,
      latenessApologyAt: facts.latenessApologyAt,
      latenessExplainedAt: facts.latenessExplainedAt,
      explanationDueAt: facts.overdueAt !== null && facts.responsibleAgencyCode !== null ? iso(explanationDue(state, facts.overdueAt, facts.responsibleAgencyCode)) : null,
      mirroredFrom: null,
    },
    openIntervals: intervals,
  };
}

/**
 * The report figures of an accepted dossier right after an event. When its clock has stopped the
 * resolution is recorded in `facts` and there is no snapshot: the dossier is no longer open.
 */
function openSnapshot(
  state: ReceivedDossier,
  at: string,
  facts: { resolvedAt: string | null; resolution: Resolution | null; dossierRule: Classification | null; decision766: Classification | null; processingDays: number | null },
): Snapshot | undefined {
  const reading = readDossierClock(state, at);
  if (reading.outcome) {
    facts.resolvedAt = new Date(parseInstant(reading.outcome.stoppedAt)).toISOString();
    facts.resolution = reading.outcome.result === 'refused' ? 'refused' : reading.outcome.result === 'withdrawn' ? 'withdrawn' : 'result';
    facts.dossierRule = reading.outcome.dossierRule;
    facts.decision766 = reading.decision766.classification;
    facts.processingDays = reading.elapsed.days;
    return undefined;
  }
  const rules = state.accepted!.procedure.clock;
  const paused = reading.state === 'paused';
  const atMs = parseInstant(at);
  const iso = (ms: number) => new Date(ms).toISOString();
  // While paused nothing counts, so the dossier is overdue throughout the pause or not at all.
  const overdueFrom = paused
    ? (atMs >= lateFrom(parseInstant(reading.originalDue), rules.granularity) ? iso(atMs) : null)
    : iso(lateFrom(parseInstant(reading.originalDue), rules.granularity));
  const waitingForSupplement = reading.pauses.some((pause) => pause.to === null && pause.reason === 'waiting-for-supplement');
  const d766 = reading.decision766;
  // Decision 766 ends a dossier waiting for a supplement at the request, so its mark is fixed then;
  // otherwise the end is the reporting instant, less the supplement waits already closed.
  const late766From = d766.supplementRequests > 1
    ? iso(atMs)
    : waitingForSupplement
      ? (d766.classification === 'late' ? iso(atMs) : null)
      : iso(lateFrom(parseInstant(d766.appointment), rules.decision766.granularity) + Math.round(d766.excludedMinutes * 60_000));
  return { paused, overdueFrom, late766From };
}

/**
 * Whether the figures stay the same from `a` (open since `aFrom`) to `b` (from `bFrom`). A threshold
 * already passed when its interval began means "late throughout", whatever instant it names.
 */
function sameSnapshot(a: Snapshot, aFrom: string, b: Snapshot, bFrom: string): boolean {
  const threshold = (value: string | null, from: string) => (value === null ? 'never' : parseInstant(value) <= parseInstant(from) ? 'throughout' : parseInstant(value));
  return a.paused === b.paused
    && threshold(a.overdueFrom, aFrom) === threshold(b.overdueFrom, bFrom)
    && threshold(a.late766From, aFrom) === threshold(b.late766From, bFrom);
}
