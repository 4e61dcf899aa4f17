// An answer's file (a result, a tax notice, a receipt) comes inline, base64, and is checked like
// any upload before the answer is kept (docs/documents.md#file-intake): strict base64, then its
// type by its bytes (it must be the type the answer declares: a "PDF" that is not one is refused),
// its size, a PDF that parses and is not encrypted. Every file of a message is staged and checked
// first; only when all pass are they committed to the content-addressed store, so a refused
// message leaves nothing behind. The answer is kept with the StoredFile in place of the bytes.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DocumentStore, StagedFile } from '../../documents/document-store.js';
import { decodeBase64File } from '../../documents/files/base64.js';
import { stageAndInspect } from '../../documents/files/receive-file.js';
import { answerCommandId, type AnswerWithoutBytes } from '../../domain/interagency/answer-command.js';
import { type InteragencyAnswer, MAX_ANSWER_FILE_BYTES } from '../../domain/interagency/answer.js';
import type { StoredFile } from '../../domain/files/file-model.js';
import type { InteragencySystem } from '../../domain/interagency/systems.js';
import type { InboxAnswer } from '../../db/interagency/answers.js';

/** The body kept in the inbox: the answer, its file (if any) as stored. */
export type KeptAnswer = AnswerWithoutBytes & { readonly file?: StoredFile };

/** JSON with its keys sorted, so one answer has one digest however its sender ordered its keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The digest an answer is recognised by when it is sent again: over the whole answer, its file's bytes included. */
export function answerDigest(answer: InteragencyAnswer): string {
  return createHash('sha256').update(canonicalJson(answer)).digest('hex');
}

/**
 * Checks and stores the files of a message's answers, and gives the answers as the inbox keeps
 * them. A file refused (FileRefused, its field `answers[i].file.contentBase64`, or
 * `field(i)` when given) throws, and nothing of the message is stored. Files are committed here,
 * before the answers are stored: a caller that may refuse the message (a changed resend) checks it
 * in `beforeCommit` (api/routes/interagency-answers.ts), or a refused message would leave its files behind.
 */
export async function prepareAnswers(
  store: DocumentStore,
  system: InteragencySystem,
  answers: readonly InteragencyAnswer[],
  field: (index: number) => string = (index) => `answers[${index}].file.contentBase64`,
  /** Runs once the files are checked, before any is committed; what it throws refuses the message, its files discarded. */
  beforeCommit?: () => Promise<void>,
): Promise<InboxAnswer[]> {
  const staged: { index: number; staged: StagedFile; stored: StoredFile }[] = [];
  try {
    for (const [index, answer] of answers.entries()) {
      if (!('file' in answer) || !answer.file) continue;
      const where = field(index);
      const bytes = decodeBase64File(answer.file.contentBase64, where, MAX_ANSWER_FILE_BYTES);
      const rules = { accept: [answer.file.mediaType], maxBytes: MAX_ANSWER_FILE_BYTES, maxPages: 1000 };
      const checked = await stageAndInspect(store, Readable.from([bytes]), rules, { field: where });
      staged.push({ index, staged: checked.staged, stored: { ...checked.inspected, name: answer.file.name } });
    }
    if (beforeCommit) await beforeCommit();
    for (const item of staged) await store.commit(item.staged, item.stored.mediaType);
  } catch (error) {
    await Promise.all(staged.map((item) => store.discard(item.staged).catch(() => undefined)));
    throw error;
  }
  const files = new Map(staged.map((item) => [item.index, item.stored]));
  return answers.map((answer, index) => keptAnswer(system, answer, files.get(index)));
}

/** An answer as the inbox keeps it: its file's bytes replaced by the stored file (none when its file was not stored). */
export function keptAnswer(system: InteragencySystem, answer: InteragencyAnswer, stored?: StoredFile): InboxAnswer {
  const { file: _bytes, ...rest } = answer as InteragencyAnswer & { file?: unknown };
  const body: KeptAnswer = { ...(rest as AnswerWithoutBytes), ...(stored ? { file: stored } : {}) };
  return {
    answerId: answer.answerId,
    dossierCode: answer.dossierCode,
    stepId: answer.stepId,
    run: answer.run,
    sequence: answer.sequence,
    kind: answer.kind,
    body,
    bodySha256: answerDigest(answer),
    commandId: answerCommandId(system, answer.answerId),
  };
}
