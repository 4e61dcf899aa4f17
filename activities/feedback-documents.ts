// The activity that issues a feedback item's signed answer (văn bản trả lời phản ánh, kiến nghị):
// read the item's events up to the version the workflow names, build the document with the pure
// form (domain/documents/forms/feedback-answer.ts) under the answering unit's name from the
// catalogue, render, sign (PAdES) and store it by digest (documents/document-issuer.ts). The workflow
// records what it answers with RecordFeedbackAnswerDocument. Retried until it succeeds; the same
// events give the same signed bytes, so a retry stores nothing new.
import type { Kysely } from 'kysely';
import { findAgency } from '../db/catalogue.js';
import { readStream } from '../db/event-store.js';
import type { Database } from '../db/schema.js';
import type { DocumentIssuer } from '../documents/document-issuer.js';
import { answeringAgencyCode, feedbackAnswerDocument } from '../domain/documents/forms/feedback-answer.js';
import type { FeedbackEvent } from '../domain/feedback/events.js';

// The activity's input and answer: one declaration, the workflow's (./feedback-edge-activities.ts).
export type { IssueFeedbackAnswerInput, IssuedFeedbackAnswer } from './feedback-edge-activities.js';
import type { IssueFeedbackAnswerInput, IssuedFeedbackAnswer } from './feedback-edge-activities.js';

export interface FeedbackDocumentActivitiesDeps {
  readonly db: Kysely<Database>;
  readonly issuer: DocumentIssuer;
}

/** An item's events as the form reads them (the stored envelope stripped). */
export async function feedbackEventsOf(db: Kysely<Database>, feedbackId: string): Promise<FeedbackEvent[]> {
  return (await readStream(db, feedbackId)).map((stored) => ({ type: stored.type, schemaVersion: stored.schemaVersion, data: stored.data }) as FeedbackEvent);
}

export function createFeedbackDocumentActivities({ db, issuer }: FeedbackDocumentActivitiesDeps) {
  return {
    async issueFeedbackAnswer(input: IssueFeedbackAnswerInput): Promise<IssuedFeedbackAnswer> {
      const events = await feedbackEventsOf(db, input.feedbackId);
      const agencyCode = answeringAgencyCode(events, input.upToVersion);
      const agency = await findAgency(db, agencyCode);
      const document = feedbackAnswerDocument(input.feedbackId, events, input.upToVersion, agency ?? { code: agencyCode, name: agencyCode });
      const { file } = await issuer.issue(document.model, { code: document.issuerAgencyCode, name: agency?.name ?? agencyCode });
      return { documentId: document.documentId, file: { sha256: file.sha256, size: file.size, mediaType: 'application/pdf' }, signer: document.signer };
    },
  };
}

export type FeedbackDocumentActivities = ReturnType<typeof createFeedbackDocumentActivities>;
