// The applicant's evaluation (Decree 61/2018 arts. 28–31; docs/rules.md#one-evaluation): the
// citizen's own, online, or a paper form staff enter with its reference; once the dossier is
// finished, within EVALUATION_WINDOW_MS, once.
import { formatVietnamInstant, parseInstant } from '../calendar/civil-day.js';
import type { Actor } from './actor.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { firstRefusal, notReceivingCentre, roleNotAllowed } from './decision-guards.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent } from './events.js';
import { CLOSED_STATUSES, EVALUATION_WINDOW_MS, type ReceivedDossier } from './state.js';

/**
 * The evaluation opens once the dossier is finished (returned, refused at reception, or stopped), as
 * on the national portal, and stays open for EVALUATION_WINDOW_MS; one per dossier (docs/rules.md#one-evaluation).
 */
export function evaluationPreconditions(state: ReceivedDossier, actor: Actor, context: DecisionContext): DomainError | null {
  return evaluationGuard(state, actor, context, true);
}

function evaluationGuard(state: ReceivedDossier, actor: Actor, { now }: DecisionContext, onlyWhenFinished: boolean): DomainError | null {
  const guard = firstRefusal(() => roleNotAllowed(actor, 'RecordEvaluation'), () => notReceivingCentre(state, actor, 'RecordEvaluation'));
  if (guard) return guard;
  if (state.evaluated) {
    return {
      code: 'EVALUATION_ALREADY_RECORDED',
      message: `The applicant's evaluation of dossier ${state.dossierCode} is already recorded; one evaluation per dossier.`,
      rule: EVALUATION_RULE,
    };
  }
  if (onlyWhenFinished && !CLOSED_STATUSES.has(state.status)) {
    return {
      code: 'EVALUATION_NOT_OPEN',
      message: `Dossier ${state.dossierCode} is ${state.status}; its evaluation opens once it is finished (the result returned, or the dossier refused or stopped).`,
      rule: `${EVALUATION_RULE}; as on the national portal, once the dossier is finished (docs/rules.md#one-evaluation)`,
    };
  }
  // A closed dossier's run waits this long for the evaluation, then ends (workflows/dossier.ts); a run
  // started again later for a lateness duty does not reopen the window.
  if (state.closedAt !== undefined && parseInstant(now) >= parseInstant(state.closedAt) + EVALUATION_WINDOW_MS) {
    return {
      code: 'DOSSIER_CLOSED',
      message: `Dossier ${state.dossierCode} closed on ${formatVietnamInstant(parseInstant(state.closedAt))}; its evaluation is taken for ${EVALUATION_WINDOW_MS / 86_400_000} days after that, and they have passed.`,
      rule: 'Decree 61/2018 arts. 28–31: the applicant evaluates the handling of the dossier; the engine takes it within its evaluation window (docs/lifecycle.md)',
    };
  }
  return null;
}

const EVALUATION_RULE = 'Decree 61/2018 arts. 28–31: the applicant evaluates the handling of the dossier';

/**
 * Who gives it and how: the citizen online (with the receipt's code and secret), staff only a paper
 * form the centre collected, with its reference. Staff never evaluate on the applicant's behalf.
 */
function evaluationSourceRefusal(command: CommandOfType<'RecordEvaluation'>): DomainError | null {
  const byCitizen = command.actor.role === 'citizen';
  if (byCitizen && command.source !== 'online') {
    return {
      code: 'PAPER_FORM_BY_STAFF_ONLY',
      message: 'A citizen evaluates online (source "online"); a paper form is entered by the one-stop centre that collected it.',
      rule: `${EVALUATION_RULE}; paper forms are entered by the centre (docs/rules.md#one-evaluation)`,
      field: 'source',
    };
  }
  if (byCitizen && command.paperFormReference !== undefined) {
    return {
      code: 'PAPER_FORM_BY_STAFF_ONLY',
      message: 'An online evaluation names no paper form; leave paperFormReference out.',
      rule: `${EVALUATION_RULE}; paper forms are entered by the centre (docs/rules.md#one-evaluation)`,
      field: 'paperFormReference',
    };
  }
  if (!byCitizen && command.source !== 'paper-form') {
    return {
      code: 'EVALUATION_BY_CITIZEN_ONLY',
      message: `Staff (${command.actor.role}) do not evaluate on the applicant's behalf: the applicant evaluates online with the receipt's code and secret (POST /lookup/{code}/evaluation). Staff enter only a paper evaluation form the centre collected: source "paper-form" with its paperFormReference.`,
      rule: `${EVALUATION_RULE}; the evaluation is the applicant's own (docs/rules.md#one-evaluation)`,
      field: 'source',
    };
  }
  if (!byCitizen && command.paperFormReference === undefined) {
    return {
      code: 'PAPER_FORM_REFERENCE_REQUIRED',
      message: 'A paper evaluation form is entered with its reference (the number or label the centre filed it under), so it can be found again; set paperFormReference.',
      rule: `${EVALUATION_RULE}; a paper form is kept and named (docs/rules.md#one-evaluation)`,
      field: 'paperFormReference',
    };
  }
  return null;
}

export function recordEvaluation(state: ReceivedDossier, command: CommandOfType<'RecordEvaluation'>, context: DecisionContext): Decision<DossierEvent> {
  // A RecordEvaluation recorded before evaluations carried their source (its history replays today)
  // has none and decides as it did then: staff, in any status. The API and the public route always
  // send a source, so no new command takes this path.
  if ((command as Partial<CommandOfType<'RecordEvaluation'>>).source === undefined) {
    const guard = evaluationGuard(state, command.actor, context, false);
    if (guard) return refuse(guard);
    return accept({ type: 'EvaluationRecorded', schemaVersion: 1, data: { at: context.now, rating: command.rating, ...(command.comment ? { comment: command.comment } : {}) } });
  }
  const guard = evaluationPreconditions(state, command.actor, context) ?? evaluationSourceRefusal(command);
  if (guard) return refuse(guard);
  return accept({
    type: 'EvaluationRecorded',
    schemaVersion: 1,
    data: {
      at: context.now,
      rating: command.rating,
      ...(command.comment ? { comment: command.comment } : {}),
      source: command.source,
      ...(command.paperFormReference !== undefined ? { paperFormReference: command.paperFormReference } : {}),
    },
  });
}
