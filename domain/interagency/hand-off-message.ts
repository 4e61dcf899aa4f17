// The hand-off message (domain/interagency/hand-off.ts) built from a dossier's events up to the one
// that caused the delivery (docs/integrations.md#handing-steps-over): the same events give the same
// message, so a retry sends the same body under the same key. Pure: the signed links of the files
// come from the caller's `fileLink`.
import { readStepClock } from '../dossier/dossier-clock.js';
import type { DossierEvent } from '../dossier/events.js';
import { evolveDossier, isReceived, newDossier, type DossierState, type ReceivedDossier } from '../dossier/state.js';
import { handOffMessageSchema, type HandOffKind, type HandOffMessage } from './hand-off.js';
import type { InteragencySystem } from './systems.js';

export interface HandOffFacts {
  /** The delivery's idempotency key. */
  readonly key: string;
  readonly kind: HandOffKind;
  readonly system: InteragencySystem;
  /** The dossier's events, in order, up to and including the one that caused the delivery. */
  readonly events: readonly { readonly event: DossierEvent }[];
  /** A signed link the system downloads one of the dossier's files from. */
  readonly fileLink: (dossierCode: string, sha256: string) => string;
  readonly answers: HandOffMessage['answers'];
}

/** The message, checked against the contract, or why none can be built (a retry cannot change it). */
export function handOffMessage(facts: HandOffFacts): { readonly message: HandOffMessage } | { readonly refused: string } {
  const events = facts.events.map((entry) => entry.event);
  const received = events[0];
  if (received?.type !== 'DossierReceived') return { refused: 'the events hold no reception: nothing to hand over' };
  const code = received.data.dossierCode;
  let state: DossierState = newDossier(code);
  const names = new Map<string, string>();
  // What the steps completed so far returned as files (a system's result): the next body reads them.
  const results: { stepId: string; sha256: string; size: number; mediaType: string; name?: string }[] = [];
  let step: Extract<DossierEvent, { type: 'StepStarted' }> | undefined;
  let appointment: string | undefined;
  for (const event of events) {
    state = evolveDossier(state, event);
    // The latest run of the system's step: a step sent back and started again is handed over anew.
    if (event.type === 'StepStarted' && event.data.system === facts.system) step = event;
    if (event.type === 'DossierAccepted') appointment = event.data.appointment;
    if (event.type === 'ApologyIssued') appointment = event.data.newAppointment;
    if (event.type === 'ComponentFileAttached' && event.data.file.name) names.set(event.data.file.sha256, event.data.file.name);
    if (event.type === 'StepCompleted' && event.data.resultFile) {
      const { sha256, size, mediaType, name } = event.data.resultFile;
      results.push({ stepId: event.data.stepId, sha256, size, mediaType, ...(name ? { name } : {}) });
    }
  }
  if (!isReceived(state) || !state.accepted) return { refused: `dossier ${code} was not accepted: no step to hand over` };
  if (!step) return { refused: `dossier ${code} has no step carried out by the ${facts.system} system` };
  const { accepted } = state;
  const files = state.files ?? [];
  const link = (file: { sha256: string; size: number; mediaType: string; name?: string | undefined }) => ({
    ...(file.name ? { name: file.name } : {}),
    mediaType: file.mediaType,
    size: file.size,
    sha256: file.sha256,
    url: facts.fileLink(code, file.sha256),
  });
  const { notices: _notices, ...applicant } = received.data.applicant;
  const last = events.at(-1)!;
  const candidate = {
    key: facts.key,
    kind: facts.kind,
    system: facts.system,
    dossier: {
      code,
      receivingAgencyCode: received.data.agencyCode,
      competentAgencyCode: accepted.procedure.competentAgencyCode,
      procedure: { code: accepted.procedure.code, version: accepted.procedure.version, name: accepted.procedure.name },
      receivedAt: received.data.receivedAt,
      acceptedAt: accepted.at,
      appointment: appointment ?? accepted.appointment,
      applicant,
      components: accepted.procedure.components
        .map((component) => ({
          componentId: component.id,
          name: component.name,
          files: files.filter((file) => file.componentId === component.id && file.replacedBy === undefined).map((file) => link({ ...file, name: names.get(file.sha256) })),
        }))
        .filter((component) => component.files.length > 0),
    },
    step: {
      stepId: step.data.stepId,
      run: step.data.run,
      agencyCode: step.data.agencyCode,
      task: step.data.task,
      startedAt: step.data.at,
      due: facts.kind === 'update' ? dueNow(state, step.data, last) : step.data.due,
      earlierResults: groupByStep(results).map(({ stepId, files: stepFiles }) => ({ stepId, files: stepFiles.map(link) })),
    },
    answers: facts.answers,
    ...(facts.kind === 'cancel' ? { reason: cancelReason(last) } : {}),
  };
  const parsed = handOffMessageSchema.safeParse(candidate);
  if (!parsed.success) {
    return { refused: `the hand-off built from the events breaks the contract (domain/interagency/hand-off.ts): ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` };
  }
  return { message: parsed.data };
}

/**
 * An update's due time of the step: read from the step's clock as of the event that caused it (a
 * supplement that restarted the clock moved it); the due at its start when it cannot be read.
 */
function dueNow(state: ReceivedDossier, started: { readonly stepId: string; readonly run: number; readonly due: string }, last: DossierEvent): string {
  const run = state.steps.find((candidate) => candidate.stepId === started.stepId && candidate.run === started.run);
  const asOf = 'at' in last.data && typeof last.data.at === 'string' ? last.data.at : undefined;
  if (!run || run.status !== 'active' || !asOf) return started.due;
  try {
    return readStepClock(state, run, asOf).due;
  } catch {
    return started.due;
  }
}

function groupByStep<T extends { stepId: string }>(items: readonly T[]): { stepId: string; files: T[] }[] {
  const groups: { stepId: string; files: T[] }[] = [];
  for (const item of items) {
    const group = groups.find((candidate) => candidate.stepId === item.stepId);
    if (group) group.files.push(item);
    else groups.push({ stepId: item.stepId, files: [item] });
  }
  return groups;
}

/** Why the system should stop: the event that ended the dossier, or the step's run, by the body's officers. */
function cancelReason(event: DossierEvent): string {
  switch (event.type) {
    case 'StepCompleted':
      return `Cán bộ của cơ quan đã hoàn thành bước ${event.data.stepId} trên hệ thống một cửa (xử lý thay khi hệ thống không thực hiện được); hệ thống không thực hiện tiếp bước này.`;
    case 'StepSentBack':
      return `Cán bộ của cơ quan đã trả lại bước ${event.data.stepId} trên hệ thống một cửa (xử lý thay khi hệ thống không thực hiện được); hệ thống không thực hiện tiếp lượt xử lý này.`;
    case 'WithdrawalDecided':
      return `Hồ sơ đã được rút theo đề nghị của người nộp (mẫu 05): ${event.data.reason}`;
    case 'ResolutionRefused':
      return `Cơ quan có thẩm quyền từ chối giải quyết: ${event.data.reasons.join('; ')}`;
    case 'ResultIssued':
      return 'Đã có kết quả giải quyết hồ sơ; bước xử lý không còn cần thực hiện.';
    default:
      return `Hồ sơ đã kết thúc (${event.type}).`;
  }
}
