// The rules of a feedback item (PAKN; docs/feedback.md#who-may-do-what): every command of
// ./commands.ts decided on the item's state. Pure: `now` is the workflow's clock. Refusals carry a
// stable code, a message saying what to do, and the rule they come from.
import { accept, type Decision, type DomainError, refuse } from '../dossier/errors.js';
import type { Actor, Role } from '../dossier/actor.js';
import type { FeedbackCommand, FeedbackCommandOfType } from './commands.js';
import type { FeedbackChannel, FeedbackEvent } from './events.js';
import { readFeedbackClocks } from './feedback-clock.js';
import { FINAL_FEEDBACK_STATUSES, type FeedbackStatus, isReceivedFeedback, type ReceivedFeedback, type FeedbackState } from './feedback-state.js';

const PROCESS = 'The feedback process: receive, classify, accept or refuse or transfer, ask for information, answer, publish (Decree 20/2008/NĐ-CP arts. 9, 14; Decision 766/QĐ-TTg §5.2; docs/feedback.md#the-process)';
const ROLES = 'Who handles feedback: the unit that holds the item (reception, officer, head), its head alone signs the answer (docs/feedback.md#who-may-do-what)';
const CLOCKS = 'The four clocks of an item (Decision 766/QĐ-TTg §5.2; docs/feedback.md#the-four-clocks)';

/** Who may send each command, beyond being of the unit that holds the item. */
const COMMAND_ROLES: Readonly<Record<FeedbackCommand['type'], readonly Role[]>> = {
  ReceiveFeedback: ['reception', 'head', 'citizen', 'system'],
  ClassifyFeedback: ['reception', 'officer', 'head'],
  AcceptFeedback: ['reception', 'head'],
  TransferFeedback: ['reception', 'head'],
  RefuseFeedback: ['reception', 'head'],
  RequestFeedbackInformation: ['reception', 'officer', 'head'],
  // The sender answers online; reception or the head enter a reply that came on paper, by phone, e-mail or in person.
  ProvideFeedbackInformation: ['citizen', 'reception', 'head'],
  AnswerFeedback: ['head'],
  PublishFeedback: ['reception', 'head'],
  MarkFeedbackDeadline: ['system'],
  RecordFeedbackAnswerDocument: ['system'],
  RecordNationalFeedbackStatus: ['system'],
};

/** The statuses each step may be taken in. */
const ALLOWED_IN: Readonly<Partial<Record<FeedbackCommand['type'], readonly FeedbackStatus[]>>> = {
  ClassifyFeedback: ['waiting-to-receive', 'in-processing', 'awaiting-information'],
  AcceptFeedback: ['waiting-to-receive'],
  TransferFeedback: ['waiting-to-receive', 'in-processing'],
  RefuseFeedback: ['waiting-to-receive'],
  RequestFeedbackInformation: ['waiting-to-receive', 'in-processing'],
  ProvideFeedbackInformation: ['awaiting-information'],
  AnswerFeedback: ['in-processing'],
  PublishFeedback: ['answered-awaiting-publication'],
};

/** The channel each kind of sender may name: the public form, the national system, staff entering it. */
const CHANNELS_OF: Readonly<Partial<Record<Role, readonly FeedbackChannel[]>>> = {
  citizen: ['online-form'],
  system: ['national-pakn'],
  reception: ['paper', 'phone', 'email', 'in-person'],
  head: ['paper', 'phone', 'email', 'in-person'],
};

/** The channels a reply to a request for information may come by, per kind of sender: as the item itself. */
const REPLY_CHANNELS_OF: Readonly<Partial<Record<Role, readonly FeedbackChannel[]>>> = {
  citizen: ['online-form'],
  reception: ['paper', 'phone', 'email', 'in-person'],
  head: ['paper', 'phone', 'email', 'in-person'],
};

/** A few minutes' difference between the sender's clock and the workflow's is not "the future". */
const CLOCK_SKEW_MS = 5 * 60_000;
/** The national PAKN system's clock is another operator's: an hour's difference is still not "the future". */
const SYSTEM_CLOCK_SKEW_MS = 60 * 60_000;

export function decideFeedback(state: FeedbackState, command: FeedbackCommand, context: { readonly now: string }): Decision<FeedbackEvent> {
  const { now } = context;
  if (command.feedbackId !== state.feedbackId) {
    return refuse({ code: 'COMMAND_FOR_ANOTHER_DOSSIER', message: `The command names feedback item ${command.feedbackId}, but it was sent to ${state.feedbackId}.`, rule: PROCESS, field: 'feedbackId' });
  }
  if (command.type === 'ReceiveFeedback') {
    const refused = roleRefusal(command.type, command.actor);
    return refused ? refuse(refused) : receive(state, command, now);
  }
  const refused = feedbackPreconditions(state, command.type, command.actor);
  if (refused) return refuse(refused);
  if (!isReceivedFeedback(state)) throw new Error('unreachable: the preconditions refuse an item not received');
  switch (command.type) {
    case 'ClassifyFeedback':
      return accept({ type: 'FeedbackClassified', schemaVersion: 1, data: { at: now, category: command.category, ...optional('dossierCode', command.dossierCode), ...optional('note', command.note) } });
    case 'AcceptFeedback':
      return accept({ type: 'FeedbackAccepted', schemaVersion: 1, data: { at: now, handlerAgencyCode: state.currentAgencyCode } });
    case 'TransferFeedback':
      if (command.toAgencyCode === state.currentAgencyCode) {
        return refuse({ code: 'FEEDBACK_TRANSFER_TO_SAME_UNIT', message: `Feedback item ${state.feedbackId} is already held by ${command.toAgencyCode}; transfer it to the competent body instead.`, rule: PROCESS, field: 'toAgencyCode' });
      }
      return accept({
        type: 'FeedbackTransferred',
        schemaVersion: 1,
        data: { at: now, toAgencyCode: command.toAgencyCode, ...optional('toAgencyName', command.toAgencyName), outside: command.outside ?? true, reason: command.reason },
      });
    case 'RefuseFeedback':
      return accept({ type: 'FeedbackRefused', schemaVersion: 1, data: { at: now, reason: command.reason, ...optional('legalBasis', command.legalBasis) } });
    case 'RequestFeedbackInformation':
      // 766 §5.2 times only the first request made before the item is accepted.
      return accept({ type: 'FeedbackInformationRequested', schemaVersion: 1, data: { at: now, question: command.question, first: state.informationRequests === 0 && state.acceptedAt === undefined } });
    case 'ProvideFeedbackInformation': {
      // The sender replies online; staff enter a reply that came another way, and say which.
      const channel = command.channel ?? (command.actor.role === 'citizen' ? 'online-form' : undefined);
      const channels = REPLY_CHANNELS_OF[command.actor.role] ?? [];
      if (channel === undefined || !channels.includes(channel)) {
        return refuse({
          code: 'FEEDBACK_CHANNEL_NOT_ALLOWED',
          message: `A ${command.actor.role} records a reply to a request for information by the channel${channels.length === 1 ? '' : 's'} ${channels.join(', ')}${channel === undefined ? '; name the one it came by' : `, not ${channel}`}.`,
          rule: 'The sender replies online with the lookup secret; a reply that came on paper, by phone, e-mail or in person is entered by staff (Decision 31/2021/QĐ-TTg art. 43(2); docs/feedback.md#who-may-do-what)',
          field: 'channel',
        });
      }
      return accept({ type: 'FeedbackInformationProvided', schemaVersion: 1, data: { at: now, content: command.content, attachments: command.attachments, channel } });
    }
    case 'AnswerFeedback':
      return accept({
        type: 'FeedbackAnswered',
        schemaVersion: 1,
        data: {
          at: now,
          answer: command.answer,
          signer: { userId: command.actor.userId, fullName: command.signer.fullName, title: command.signer.title },
          ...optional('legalBasis', command.legalBasis),
          attachments: command.attachments,
          publish: command.publish,
        },
      });
    case 'PublishFeedback':
      return accept({ type: 'FeedbackPublished', schemaVersion: 1, data: { at: now, ...optional('url', command.url) } });
    case 'MarkFeedbackDeadline':
      return markDeadline(state, command, now);
    case 'RecordFeedbackAnswerDocument':
      if (!state.answer) return refuse(statusRefusal(state, command.type, ['answered-awaiting-publication', 'answered-not-published']));
      if (state.answerDocument) {
        return refuse({ code: 'DOCUMENT_ALREADY_RECORDED', message: `The answer document of ${state.feedbackId} is already recorded (${state.answerDocument.documentId}).`, rule: 'One record per issued document (docs/documents.md)' });
      }
      return accept({ type: 'FeedbackAnswerDocumentIssued', schemaVersion: 1, data: { at: now, documentId: command.documentId, file: command.file, signer: command.signer } });
    case 'RecordNationalFeedbackStatus': {
      const events: FeedbackEvent[] = [];
      if (command.externalId !== undefined && command.externalId !== state.externalId) events.push({ type: 'FeedbackLinkedToNational', schemaVersion: 1, data: { at: now, externalId: command.externalId } });
      const likes = command.likes ?? state.likes;
      const dislikes = command.dislikes ?? state.dislikes;
      if (likes !== state.likes || dislikes !== state.dislikes) events.push({ type: 'FeedbackReactionsRecorded', schemaVersion: 1, data: { at: now, likes, dislikes } });
      // Nothing new: an empty decision, recorded as nothing (the national system reports the same figures again).
      return accept(...events);
    }
  }
}

/** The commands a person sends to a received item, in the order of the process (the reception has routes of its own). */
export const FEEDBACK_PERSON_COMMANDS = [
  'ClassifyFeedback',
  'AcceptFeedback',
  'TransferFeedback',
  'RefuseFeedback',
  'RequestFeedbackInformation',
  'ProvideFeedbackInformation',
  'AnswerFeedback',
  'PublishFeedback',
] as const satisfies readonly FeedbackCommand['type'][];
export type FeedbackPersonCommand = (typeof FEEDBACK_PERSON_COMMANDS)[number];

function roleRefusal(type: FeedbackCommand['type'], actor: Actor): DomainError | undefined {
  if (COMMAND_ROLES[type].includes(actor.role)) return undefined;
  return { code: 'ROLE_NOT_ALLOWED', message: `${type} is for the roles ${COMMAND_ROLES[type].join(', ')}, not ${actor.role}.${type === 'AnswerFeedback' ? ' Only the head of the unit signs an answer.' : ''}`, rule: ROLES };
}

/**
 * What the rules ask of a command before its content: who sends it, the item's status, the unit
 * that holds it, and for acceptance and publication the classification and the signed answer. The
 * decider checks these first; feedbackCommandAvailability asks them for the console.
 */
export function feedbackPreconditions(state: FeedbackState, type: Exclude<FeedbackCommand['type'], 'ReceiveFeedback'>, actor: Actor): DomainError | undefined {
  const role = roleRefusal(type, actor);
  if (role) return role;
  if (!isReceivedFeedback(state)) return { code: 'FEEDBACK_NOT_RECEIVED', message: `No feedback item ${state.feedbackId} has been received; receive it first (POST /feedback).`, rule: PROCESS };
  const staff = actor.role === 'reception' || actor.role === 'officer' || actor.role === 'head';
  if (staff && actor.agencyCode !== state.currentAgencyCode) {
    return {
      code: 'NOT_THE_HANDLING_UNIT',
      message: `Feedback item ${state.feedbackId} is held by unit ${state.currentAgencyCode}; staff of ${actor.agencyCode} cannot act on it. Ask that unit, or have it transferred to yours.`,
      rule: ROLES,
    };
  }
  if (actor.role === 'citizen' && actor.userId !== citizenOf(state.feedbackId)) {
    return { code: 'FEEDBACK_NOT_THE_SENDER', message: `Only the sender of ${state.feedbackId} (with its lookup secret) may answer its request for information.`, rule: ROLES };
  }
  const allowed = ALLOWED_IN[type];
  if (allowed && !allowed.includes(state.status)) return statusRefusal(state, type, allowed);
  if (type === 'AcceptFeedback' && state.category === undefined) {
    return { code: 'FEEDBACK_NOT_CLASSIFIED', message: `Classify feedback item ${state.feedbackId} (regulation, procedure or staff conduct) before accepting it.`, rule: 'An item is received, logged and classified before it is handled (Decree 20/2008/NĐ-CP art. 9; Decision 766/QĐ-TTg §5.1)' };
  }
  if (type === 'PublishFeedback' && !state.answerDocument) {
    return {
      code: 'FEEDBACK_ANSWER_DOCUMENT_PENDING',
      message: `The signed answer of ${state.feedbackId} is still being issued; publish it once the document is recorded (a few seconds; GET /feedback/{id} shows it).`,
      rule: 'An answer is a signed document; what is published is that document (Decision 31/2021/QĐ-TTg ch. 6; docs/feedback.md#the-answer)',
    };
  }
  return undefined;
}

/**
 * Which of a person's commands the caller may send to the item now, and why the others of their role
 * are refused: for GET /feedback/{id}/actions, so the console offers what the rules would take. A
 * command offered may still be refused for its content (a transfer to the unit that holds the item).
 */
export function feedbackCommandAvailability(state: FeedbackState, actor: Actor): { readonly available: readonly FeedbackPersonCommand[]; readonly refused: readonly (DomainError & { readonly type: FeedbackPersonCommand })[] } {
  const available: FeedbackPersonCommand[] = [];
  const refused: (DomainError & { type: FeedbackPersonCommand })[] = [];
  for (const type of FEEDBACK_PERSON_COMMANDS) {
    if (!COMMAND_ROLES[type].includes(actor.role)) continue;
    const refusal = feedbackPreconditions(state, type, actor);
    if (refusal) refused.push({ type, ...refusal });
    else available.push(type);
  }
  return { available, refused };
}

/** The actor's user id the API gives the sender of an item once its lookup secret checks out. */
export function citizenOf(feedbackId: string): string {
  return `citizen:${feedbackId}`;
}

function receive(state: FeedbackState, command: FeedbackCommandOfType<'ReceiveFeedback'>, now: string): Decision<FeedbackEvent> {
  if (isReceivedFeedback(state)) {
    return refuse({ code: 'FEEDBACK_ALREADY_RECEIVED', message: `Feedback item ${state.feedbackId} is already received; read it (GET /feedback/{id}) instead of receiving it again.`, rule: PROCESS });
  }
  const channels = CHANNELS_OF[command.actor.role] ?? [];
  if (!channels.includes(command.channel)) {
    return refuse({
      code: 'FEEDBACK_CHANNEL_NOT_ALLOWED',
      message: `A ${command.actor.role} cannot receive an item by the channel ${command.channel}; the channels open to that role are: ${channels.join(', ')}.`,
      rule: 'PAKN arriving by paper, phone, fax or e-mail is entered by staff; online items come from the public form or the national PAKN system (Decision 31/2021/QĐ-TTg art. 43(2); docs/feedback.md#receiving-an-item)',
      field: 'channel',
    });
  }
  const staff = command.actor.role === 'reception' || command.actor.role === 'head';
  if (staff && command.actor.agencyCode !== command.agencyCode) {
    return refuse({ code: 'NOT_THE_HANDLING_UNIT', message: `Staff of ${command.actor.agencyCode} cannot enter an item for unit ${command.agencyCode}; enter it for your own unit, then transfer it if another is competent.`, rule: ROLES });
  }
  if (Date.parse(command.sentAt) > Date.parse(now) + (command.actor.role === 'system' ? SYSTEM_CLOCK_SKEW_MS : CLOCK_SKEW_MS)) {
    return refuse({ code: 'FEEDBACK_SENT_IN_FUTURE', message: `sentAt (${command.sentAt}) is later than now (${now}); give the moment the citizen sent the item, as the paper or message shows it.`, rule: CLOCKS, field: 'sentAt' });
  }
  const { type: _type, commandId: _id, actor: _actor, expectedStreamVersion: _version, ...fields } = command;
  return accept({
    type: 'FeedbackReceived',
    schemaVersion: 1,
    data: {
      at: now,
      feedbackId: fields.feedbackId,
      agencyCode: fields.agencyCode,
      channel: fields.channel,
      submitter: fields.submitter,
      title: fields.title,
      content: fields.content,
      attachments: fields.attachments,
      ...optional('dossierCode', fields.dossierCode),
      sentAt: new Date(fields.sentAt).toISOString(),
      ...optional('externalId', fields.externalId),
      ...optional('followUpOf', fields.followUpOf),
      calendarVersion: fields.calendarVersion,
      ...(fields.calendarAmendments && fields.calendarAmendments.length > 0 ? { calendarAmendments: fields.calendarAmendments } : {}),
      limits: fields.limits,
    },
  });
}

function markDeadline(state: ReceivedFeedback, command: FeedbackCommandOfType<'MarkFeedbackDeadline'>, now: string): Decision<FeedbackEvent> {
  const clock = readFeedbackClocks(state, now).find((reading) => reading.clock === command.clock && reading.open);
  const notDue = (why: string): Decision<FeedbackEvent> => refuse({ code: 'ALERT_NOT_DUE', message: `No ${command.alert} alert is due on the ${command.clock} clock of ${state.feedbackId}: ${why}.`, rule: CLOCKS });
  if (!clock) return notDue('that clock is not running');
  if ((state.alerts[command.clock] ?? []).includes(command.alert)) return notDue('it was already raised');
  const at = command.alert === 'overdue' ? clock.due : clock.dueSoonAt;
  if (Date.parse(now) < Date.parse(at)) return notDue(`it falls due at ${at}`);
  return accept({ type: 'FeedbackDeadlineAlerted', schemaVersion: 1, data: { at: now, clock: command.clock, alert: command.alert, due: clock.due } });
}

function statusRefusal(state: ReceivedFeedback, type: FeedbackCommand['type'], allowed: readonly FeedbackStatus[]): DomainError {
  const final = FINAL_FEEDBACK_STATUSES.includes(state.status);
  const error: DomainError = final
    ? { code: 'FEEDBACK_CLOSED', message: `Feedback item ${state.feedbackId} is ${state.status}: its handling has ended and ${type} can no longer be recorded.`, rule: PROCESS }
    : { code: 'FEEDBACK_STEP_NOT_ALLOWED', message: `Feedback item ${state.feedbackId} is ${state.status}; ${type} is taken only when it is ${allowed.join(' or ')}. Read the item (GET /feedback/{id}) and send a step that applies.`, rule: PROCESS };
  return error;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
