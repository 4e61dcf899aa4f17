// A mirrored dossier's report row: the facts a ministry's system pushed, mapped onto the same row a
// dossier of the engine gives (./dossier-report.ts), so the province's Decision 766 indicators count
// it as Decree 224/2026 art. 15(1)(h) requires, marked `mirroredFrom` so a report can say "of which
// mirrored" (docs/reports.md#mirrored-dossiers; docs/decisions/0021-mirrored-dossiers.md).
//
// Every instant is the source's own: received, accepted, appointment, end of processing and return
// are its dates, which is what Decision 766 scores (NgayKetThucXuLy against NgayHenTra). A yes/no
// fact (paid online, digitised, e-result) counts from the revision that first said yes. What only the
// engine's own clock could tell is left out: the lateness duties (apology, explanation) are the
// handling system's, and the source's pauses are known only from the status of its latest revision.
import { parseInstant } from '../calendar/civil-day.js';
import { civilServiceWorkingCalendarAt } from '../calendar/vietnam-civil-service-calendar.js';
import { classify, lateFrom } from '../clock/on-time-classification.js';
import { round2 } from '../clock/rounding.js';
import type { MirrorEvent } from '../mirror/events.js';
import { foldMirror, newMirror } from '../mirror/mirror-state.js';
import type { DossierReport, OpenInterval, Resolution } from './dossier-report.js';

/** National portal statuses in which a dossier waits for the applicant (supplement, financial obligation): its clock is paused. */
const PAUSED_STATUSES: ReadonlySet<number> = new Set([5, 6]);

export function mirrorReportOf(dossierCode: string, events: readonly MirrorEvent[]): DossierReport | undefined {
  const state = foldMirror(newMirror(dossierCode), events);
  if (state.status !== 'mirrored') return undefined;
  const { facts, flagsSince } = state;
  const iso = (instant: string | undefined | null) => (instant === undefined || instant === null ? null : new Date(parseInstant(instant)).toISOString());
  const accepted = facts.acceptedAt !== undefined;
  const resolvedAt = accepted && facts.finishedAt !== undefined ? facts.finishedAt : undefined;
  const resolution: Resolution | null = resolvedAt === undefined ? null : (facts.resolution ?? (facts.status === 8 ? 'withdrawn' : 'result'));
  // Decision 766: on time when NgayKetThucXuLy is not after NgayHenTra, judged by the day.
  const classification = resolvedAt !== undefined && facts.appointmentAt !== undefined ? classify(parseInstant(resolvedAt), parseInstant(facts.appointmentAt), 'day') : null;
  // The budget's days of a mirror are not known: its working days on the national civil-service calendar.
  const processingDays = resolvedAt !== undefined && facts.acceptedAt !== undefined ? processingDaysOf(facts.acceptedAt, resolvedAt) : null;
  const feeBearing = facts.feeBearing === true || facts.paidOnline === true;
  return {
    facts: {
      dossierCode,
      agencyCode: facts.agencyCode,
      competentAgencyCode: null,
      procedureCode: facts.procedureCode,
      procedureVersion: null,
      field: facts.fieldCode ?? null,
      channel: facts.channel,
      registeredAt: iso(facts.submittedAt)!,
      acceptedAt: iso(facts.acceptedAt),
      refusedAtReceptionAt: !accepted ? iso(facts.refusedAt) : null,
      appointmentAt: iso(facts.appointmentAt),
      resolvedAt: iso(resolvedAt),
      resolution,
      dossierRule: classification,
      decision766: classification,
      processingDays,
      eResultAt: facts.eResult === true ? iso(facts.finishedAt ?? flagsSince.eResult) : null,
      returnedAt: accepted ? iso(facts.returnedAt) : null,
      returnMethod: accepted && facts.returnedAt !== undefined ? (facts.returnMethod ?? null) : null,
      feeBearingFrom: feeBearing ? iso(facts.acceptedAt ?? facts.submittedAt) : null,
      paidAt: iso(flagsSince.paidOnline),
      paidOnlineAt: iso(flagsSince.paidOnline),
      digitisedAt: facts.digitised === true ? iso(facts.acceptedAt ?? flagsSince.digitised) : null,
      reusedDataAt: null,
      supplementRequests: facts.supplementRequests ?? 0,
      apologyAt: null,
      evaluatedAt: null,
      evaluationSource: null,
      rating: null,
      overdueAt: null,
      responsibleAgencyCode: null,
      latenessApologyAt: null,
      latenessExplainedAt: null,
      explanationDueAt: null,
      mirroredFrom: state.system,
    },
    openIntervals: accepted ? openIntervalsOf(facts.acceptedAt!, iso(resolvedAt), facts.appointmentAt, PAUSED_STATUSES.has(facts.status) && resolvedAt === undefined ? state.sourceUpdatedAt : undefined) : [],
  };
}

/** Working days, to two decimals, between acceptance and the end of processing. */
function processingDaysOf(acceptedAt: string, finishedAt: string): number {
  const from = parseInstant(acceptedAt);
  const to = parseInstant(finishedAt);
  const calendar = civilServiceWorkingCalendarAt(to);
  return round2(calendar.workingMinutesBetween(from, to) / calendar.minutesPerDay);
}

/**
 * Open from acceptance to the end of processing (or still open), running, then paused from the
 * latest revision when it says the dossier waits for the applicant. Late from the day after the
 * appointment, under the dossier's rule and Decision 766's alike.
 */
function openIntervalsOf(acceptedAt: string, resolvedAt: string | null, appointmentAt: string | undefined, pausedSince: string | undefined): OpenInterval[] {
  const from = new Date(parseInstant(acceptedAt)).toISOString();
  const late = appointmentAt === undefined ? null : new Date(lateFrom(parseInstant(appointmentAt), 'day')).toISOString();
  const running = (start: string, end: string | null): OpenInterval => ({ from: start, to: end, paused: false, overdueFrom: late, late766From: late });
  // While paused nothing counts: overdue throughout the pause, or not at all.
  const paused = (start: string): OpenInterval => {
    const overdue = late !== null && parseInstant(start) >= parseInstant(late) ? start : null;
    return { from: start, to: null, paused: true, overdueFrom: overdue, late766From: overdue };
  };
  if (resolvedAt !== null) return parseInstant(resolvedAt) > parseInstant(from) ? [running(from, resolvedAt)] : [];
  if (pausedSince === undefined) return [running(from, null)];
  const pause = new Date(Math.max(parseInstant(pausedSince), parseInstant(from))).toISOString();
  return pause === from ? [paused(from)] : [running(from, pause), paused(pause)];
}
