// The two activities the feedback workflow (workflows/feedback.ts) calls that live at the edges:
// the signed answer document (activities/feedback-documents.ts) and the push to the national PAKN
// system (activities/feedback-national-sync.ts). Their shapes are declared here so the workflow and
// the worker can be written against them; each implementation says `satisfies` the interface.
import type { StoredFile } from '../domain/files/file-model.js';

export interface IssueFeedbackAnswerInput {
  readonly feedbackId: string;
  /** The item as its log stood at this version (the answer's event included): the same input gives the same document. */
  readonly upToVersion: number;
}

export interface IssuedFeedbackAnswer {
  readonly documentId: string;
  readonly file: StoredFile;
  /** Who signed, as the document names them. */
  readonly signer: string;
}

export interface FeedbackDocumentActivities {
  /** Renders, signs and stores the answer (Văn bản trả lời phản ánh, kiến nghị); retried by Temporal. */
  issueFeedbackAnswer(input: IssueFeedbackAnswerInput): Promise<IssuedFeedbackAnswer>;
}

export interface SyncFeedbackInput {
  readonly feedbackId: string;
  /** Tell the national system what the item's log holds up to this version. */
  readonly upToVersion: number;
}

export interface FeedbackNationalSyncActivities {
  /** `not-configured` when the deployment has no national PAKN system: nothing to tell. Retried by Temporal. */
  syncFeedbackToNational(input: SyncFeedbackInput): Promise<'synced' | 'not-configured'>;
}

export type FeedbackEdgeActivities = FeedbackDocumentActivities & FeedbackNationalSyncActivities;
