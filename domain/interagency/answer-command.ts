// What an outside system's answer does to the dossier (docs/integrations.md#answers-from-the-systems):
// each answer becomes the one command an officer of the step's body would have sent, under the
// `interagency` role and the system's own user id, with the id `interagency/<system>/<answerId>`
// so that applying it twice is recognised as one command. Pure: the files an answer carried are
// already checked and stored (their StoredFile is given), and the step's agency is read by the caller.
import type { StoredFile } from '../files/file-model.js';
import type { CommandOfType } from '../dossier/commands.js';
import type { Actor } from '../dossier/actor.js';
import type { InteragencyAnswer } from './answer.js';
import { interagencyUserId, type InteragencySystem } from './systems.js';

type OmitFromEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An answer as the inbox keeps it: without its file's bytes (the file is stored apart). */
export type AnswerWithoutBytes = OmitFromEach<InteragencyAnswer, 'file'>;

/** The files of an answer once checked and stored: the one it carried, if any. */
export interface AnswerStoredFiles {
  readonly file?: StoredFile;
}

export type AnswerCommand = CommandOfType<'ReportExternalProgress' | 'CompleteStep' | 'SendStepBack' | 'RequestSupplement' | 'RequestFinancialObligation' | 'RecordPayment'>;

/** The command id of an applied answer: Temporal's update id, so a second apply is the same update. */
export function answerCommandId(system: InteragencySystem, answerId: string): string {
  return `interagency/${system}/${answerId}`;
}

/** Who an answer's command is recorded as: the system, at the agency that holds the step. */
export function interagencyActor(system: InteragencySystem, stepAgencyCode: string): Actor {
  return { userId: interagencyUserId(system), role: 'interagency', agencyCode: stepAgencyCode };
}

/** The longest note a CompleteStep carries (domain/dossier/commands.ts). */
export const MAX_NOTE_CHARS = 2000;

/**
 * The note of a refusal, as the head who decides next reads it: the reasons, numbered, and the
 * legal basis the body cited, cut to the note's limit with an ellipsis when they are longer.
 */
export function refusalNote(reasons: readonly string[], legalBasis?: string): string {
  const listed = reasons.length === 1 ? reasons[0]! : reasons.map((reason, index) => `${index + 1}) ${reason}`).join('\n');
  const note = `Cơ quan thực hiện không giải quyết. Lý do: ${listed}${legalBasis ? `\nCăn cứ pháp lý: ${legalBasis}` : ''}`;
  return note.length <= MAX_NOTE_CHARS ? note : `${note.slice(0, MAX_NOTE_CHARS - 1)}…`;
}

/**
 * The command an answer becomes, for the dossier and step it names: every step command names the
 * run the answer is for, so a late answer for a run that ended is refused rather than taken for the next.
 */
export function commandOfAnswer(system: InteragencySystem, answer: AnswerWithoutBytes, stepAgencyCode: string, storedFiles: AnswerStoredFiles = {}): AnswerCommand {
  const envelope = { commandId: answerCommandId(system, answer.answerId), actor: interagencyActor(system, stepAgencyCode), dossierCode: answer.dossierCode };
  const { file } = storedFiles;
  switch (answer.kind) {
    case 'progress':
      return { ...envelope, type: 'ReportExternalProgress', stepId: answer.stepId, run: answer.run, status: answer.status, ...(answer.note ? { note: answer.note } : {}), reportedAt: answer.at };
    case 'completed':
      return {
        ...envelope,
        type: 'CompleteStep',
        stepId: answer.stepId,
        run: answer.run,
        outcome: 'approved',
        ...(answer.note ? { note: answer.note } : {}),
        ...(file ? { resultFile: file } : {}),
        ...(answer.registration ? { registration: { system, number: answer.registration.number, ...(answer.registration.book ? { book: answer.registration.book } : {}) } } : {}),
      };
    case 'refused':
      return { ...envelope, type: 'CompleteStep', stepId: answer.stepId, run: answer.run, outcome: 'not-approved', note: refusalNote(answer.reasons, answer.legalBasis) };
    case 'sent-back':
      return { ...envelope, type: 'SendStepBack', stepId: answer.stepId, run: answer.run, reason: answer.reason };
    case 'supplement-requested':
      return { ...envelope, type: 'RequestSupplement', stepId: answer.stepId, run: answer.run, missing: answer.missing, ...(answer.reasonForAnotherRequest ? { reasonForAnotherRequest: answer.reasonForAnotherRequest } : {}) };
    case 'financial-obligation':
      return { ...envelope, type: 'RequestFinancialObligation', stepId: answer.stepId, run: answer.run, noticeNumber: answer.noticeNumber, amountVnd: answer.amountVnd, dueDate: answer.dueDate, ...(file ? { noticeFile: file } : {}) };
    case 'payment-receipt':
      return { ...envelope, type: 'RecordPayment', amountVnd: answer.amountVnd, method: answer.method, receiptNumber: answer.receiptNumber, paidAt: answer.paidAt, ...(file ? { receiptFile: file } : {}) };
  }
}
