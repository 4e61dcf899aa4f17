// The dossier's inline read models: summary, work queue items and control-slip rows. Each append
// folds the dossier's whole stream (tens of events) with the domain's own evolve and rewrites the
// dossier's rows from the state, in the append's transaction. One fold serves all three, so they
// can never disagree with each other or with the rules, and a rebuild is the same code run again.
import type { Transaction } from 'kysely';
import { appointmentInForce, explanationDue, nextApologyOwedFrom } from '../../domain/dossier/lateness.js';
import { followedCalendarVersion, readDossierClock, readStepClock } from '../../domain/dossier/dossier-clock.js';
import { activeSteps, foldDossier, isReceived, NATIONAL_PORTAL_STATUS, newDossier, type ReceivedDossier } from '../../domain/dossier/state.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { followUpAgency, heldBySystem } from '../../domain/dossier/decide-deadline-alert.js';
import { INTERAGENCY_SYSTEM_NAMES } from '../../domain/interagency/systems.js';
import { foldForSearch } from '../../domain/search-text.js';
import { isMirrorStream } from '../../domain/mirror/events.js';
import { type InlineProjection, readStream, type StoredEvent } from '../event-store.js';
import { mirrorReadModelsOf } from './mirror-read-model.js';
import type { Database, ResultRegistration } from '../schema.js';

export const projectDossierReadModels: InlineProjection = async (trx, events) => {
  for (const streamId of new Set(events.map((event) => event.streamId))) await rewriteDossier(trx, streamId);
};

/** The rows a dossier's events imply: its summary, queue items and control-slip rows. */
export function readModelsOf(dossierCode: string, stored: readonly StoredEvent[]) {
  const last = stored[stored.length - 1];
  if (!last) return undefined;
  // A mirror of a dossier handled elsewhere: its own fold, the same rows (./mirror-read-model.ts).
  if (isMirrorStream(stored[0]?.type)) return mirrorReadModelsOf(dossierCode, stored);
  const state = foldDossier(newDossier(dossierCode), stored.map(asDossierEvent));
  if (!isReceived(state)) return undefined;
  const asOf = last.occurredAt.toISOString();
  const received = stored.find((event) => event.type === 'DossierReceived')!;
  const applicant = (received.data as { applicant: { kind: string; fullName: string } }).applicant;
  const clock = state.accepted ? readDossierClock(state, asOf) : null;
  const summary = {
    agency_code: state.agencyCode,
    procedure_code: state.procedureCode,
    channel: state.channel,
    status: state.status,
    portal_status: NATIONAL_PORTAL_STATUS[state.status],
    applicant_kind: applicant.kind,
    applicant_name: applicant.fullName,
    applicant_name_folded: foldForSearch(applicant.fullName),
    received_at: state.receivedAt,
    stream_version: last.streamVersion,
    last_global_position: last.globalPosition,
    updated_at: asOf,
    procedure_version: state.accepted?.procedure.version ?? null,
    competent_agency_code: state.accepted?.procedure.competentAgencyCode ?? null,
    // The latest version it follows, adopted or pinned: what a calendar roll-out looks for.
    calendar_version: followedCalendarVersion(state),
    accepted_at: state.accepted?.at ?? null,
    appointment_at: state.accepted?.appointment ?? null,
    appointment_in_force_at: appointmentInForce(state, clock?.extendedDue ?? null),
    due_at: clock?.originalDue ?? null,
    extended_due_at: clock?.extendedDue ?? null,
    clock_state: clock?.state ?? null,
    overdue: state.alerts.includes('overdue') || (clock?.overdue ?? false),
    due_soon: state.alerts.includes('due-soon'),
    supplement_requests: state.supplementRequests,
    current_agencies: [...new Set(activeSteps(state).map((step) => step.agencyCode))],
    result_code: state.results > 0 ? `${dossierCode}-KQ${state.results}` : null,
    closed_at: state.closedAt ?? null,
    mirrored_from: null,
    source_updated_at: null,
    held_by_systems: [...new Set(activeSteps(state).flatMap((step) => heldBySystem(step) ?? []))],
    result_registrations: resultRegistrations(stored),
  };
  const queue = queueItems(state, asOf).map((item) => ({ dossier_code: dossierCode, ...item }));
  const slip = state.steps.map((step) => ({
    dossier_code: dossierCode,
    step_id: step.stepId,
    run: step.run,
    stage_index: step.stageIndex,
    from_agency_code: step.fromAgencyCode,
    to_agency_code: step.agencyCode,
    task: step.task,
    received_at: step.startedAt,
    due_at: readStepClock(state, step, asOf).originalDue,
    finished_at: step.status === 'active' ? null : (step.clock[step.clock.length - 1]?.at ?? null),
    status: step.status,
    handler_user_id: step.handlerUserId ?? null,
    allotted_minutes: step.mark?.allottedMinutes ?? null,
    used_minutes: step.mark?.usedMinutes ?? null,
    mark: step.mark?.mark ?? null,
    system: step.system ?? null,
    handed_off_at: step.handedOffAt ?? null,
    external_reference: step.externalReference ?? null,
    progress_status: step.progress?.status ?? null,
    progress_at: step.progress?.at ?? null,
    answered_at: step.answeredAt ?? null,
    result_file: step.resultFile ?? null,
    registration: step.registration ?? null,
  }));
  return { summary, queue, slip };
}

export async function rewriteDossier(trx: Transaction<Database>, dossierCode: string): Promise<void> {
  const models = readModelsOf(dossierCode, await readStream(trx, dossierCode));
  if (!models) return;
  const { queue } = models;
  // The JSON columns are written as JSON text (an array would otherwise go as a PostgreSQL array);
  // `json`, not `jsonb`, keeps the keys' order, so the audit's comparison reads back what the fold gave.
  const summary = { ...models.summary, result_registrations: jsonText(models.summary.result_registrations) };
  const slip = models.slip.map((row) => ({ ...row, result_file: jsonText(row.result_file), registration: jsonText(row.registration) }));
  await trx
    .insertInto('dossier_summary')
    .values({ dossier_code: dossierCode, ...summary })
    .onConflict((oc) => oc.column('dossier_code').doUpdateSet(summary))
    .execute();
  await trx.deleteFrom('work_queue').where('dossier_code', '=', dossierCode).execute();
  if (queue.length > 0) await trx.insertInto('work_queue').values(queue).execute();
  await trx.deleteFrom('control_slip').where('dossier_code', '=', dossierCode).execute();
  if (slip.length > 0) await trx.insertInto('control_slip').values(slip).execute();
}

function jsonText(value: object | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** The registrations the latest result carries (ResultIssued.registrations), else null. */
function resultRegistrations(stored: readonly StoredEvent[]): ResultRegistration[] | null {
  const issued = stored.filter((event) => event.type === 'ResultIssued').at(-1);
  const registrations = issued ? asDossierEvent(issued) : undefined;
  return registrations?.type === 'ResultIssued' && registrations.data.registrations ? [...registrations.data.registrations] : null;
}

interface QueueItem {
  item: string;
  agency_code: string;
  kind: string;
  task: string;
  since: string;
  due_at: string | null;
  handler_user_id: string | null;
  due_soon: boolean;
  overdue: boolean;
  held_by_system: string | null;
}

/** What each agency must do next on this dossier. */
function queueItems(state: ReceivedDossier, asOf: string): QueueItem[] {
  const items: QueueItem[] = activeSteps(state).flatMap((step) => {
    const item: QueueItem = {
      item: `step:${step.stepId}#${step.run}`,
      agency_code: step.agencyCode,
      kind: 'step',
      task: step.task,
      since: step.startedAt,
      due_at: readStepClock(state, step, asOf).due,
      handler_user_id: step.handlerUserId ?? null,
      due_soon: step.alerts.includes('due-soon'),
      overdue: step.alerts.includes('overdue'),
      held_by_system: heldBySystem(step) ?? null,
    };
    // A step an outside system holds (handed over to it) is watched by the receiving centre, which follows it
    // up through the system (docs/deadlines.md#steps-carried-out-by-another-agencys-system): the
    // same step, due and overdue as its own budget says, on the centre's queue too.
    const followUp = followUpAgency(state, step);
    if (followUp === step.agencyCode) return [item];
    return [item, { ...item, item: `follow-up:${step.stepId}#${step.run}`, agency_code: followUp, kind: 'follow-up', task: `Theo dõi ${INTERAGENCY_SYSTEM_NAMES[heldBySystem(step)!]}: ${step.task}`, handler_user_id: null }];
  });
  const centre = (kind: string, task: string, agencyCode = state.agencyCode): QueueItem => ({
    item: kind,
    agency_code: agencyCode,
    kind,
    task,
    since: state.statusSince,
    due_at: state.accepted ? readDossierClock(state, asOf).due : null,
    handler_user_id: null,
    due_soon: state.alerts.includes('due-soon'),
    overdue: state.alerts.includes('overdue'),
    held_by_system: null,
  });
  const competent = state.accepted?.procedure.competentAgencyCode ?? state.agencyCode;
  switch (state.status) {
    case 'received':
      // An online submission (from a portal, with its files) is labelled so: reception checks it as
      // it arrived, without the applicant at the counter (docs/portal-intake.md).
      items.push(centre('check-dossier', state.channel === 'online' ? 'Kiểm tra hồ sơ nộp trực tuyến, tiếp nhận hoặc hướng dẫn bổ sung' : 'Kiểm tra hồ sơ, tiếp nhận hoặc hướng dẫn bổ sung'));
      break;
    case 'awaiting-supplement-at-reception':
    case 'awaiting-supplement':
      items.push(centre('await-supplement', 'Chờ công dân bổ sung hồ sơ'));
      break;
    case 'awaiting-financial-obligation':
      items.push(centre('await-payment', 'Chờ công dân thực hiện nghĩa vụ tài chính'));
      break;
    case 'withdrawal-requested':
      items.push(centre('decide-withdrawal', 'Xem xét đề nghị rút hồ sơ', competent));
      break;
    case 'result-ready':
      items.push(centre('return-result', 'Trả kết quả cho công dân'));
      break;
    case 'in-processing':
      if (activeSteps(state).length === 0) {
        const notApproved = state.steps.some((step) => step.status === 'completed' && step.outcome === 'not-approved' && step === latestRunOf(state, step.stepId));
        items.push(
          notApproved
            ? centre('decide-not-approved', 'Hồ sơ không đạt: từ chối giải quyết hoặc chuyển lại bước trước', competent)
            : centre('issue-result', 'Ký, ban hành kết quả', competent),
        );
      }
      break;
    default:
      break;
  }
  // An overdue dossier's duties stay on the responsible agency's queue (which its head reads) until
  // they are done, whatever the dossier's status: the apology to the applicant and the explanation.
  const { lateness } = state;
  if (lateness && !lateness.apologised) {
    items.push({ ...centre('apology-due', 'Gửi văn bản xin lỗi tổ chức, cá nhân vì hồ sơ quá hạn', lateness.agencyCode), since: lateness.since, due_at: null, due_soon: false, overdue: false });
  }
  // The new appointment the apology gave passes before the result is ready: another apology is owed.
  // Written now, it shows on the queue from that appointment on (its `since`; db/work-queue.ts).
  const owedFrom = nextApologyOwedFrom(state);
  if (lateness && owedFrom !== null) {
    items.push({ ...centre('apology-due', 'Gửi văn bản xin lỗi lần nữa: đã quá ngày hẹn mới mà chưa có kết quả', lateness.agencyCode), since: owedFrom, due_at: null, due_soon: false, overdue: false });
  }
  if (lateness && !lateness.explained) {
    const due = explanationDue(state, lateness.due, lateness.agencyCode);
    items.push({
      ...centre('explanation-due', 'Giải trình lý do hồ sơ quá hạn với người đứng đầu cơ quan', lateness.agencyCode),
      since: lateness.since,
      due_at: due,
      due_soon: false,
      // As of the dossier's latest event, like every row here; no event marks the moment it passes,
      // so the queue's read judges it again (db/work-queue.ts).
      overdue: Date.parse(asOf) > Date.parse(due),
    });
  }
  return items;
}

function latestRunOf(state: ReceivedDossier, stepId: string) {
  const runs = state.steps.filter((step) => step.stepId === stepId);
  return runs[runs.length - 1];
}
