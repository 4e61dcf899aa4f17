import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FeedbackCommand, FeedbackCommandOfType } from '../../domain/feedback/commands.js';
import type { FeedbackCommandOutcome, FeedbackState } from '../../domain/feedback/feedback-state.js';

// What a feedback item's workflow (workflows/feedback.ts) is started with, receives and answers,
// declared beside it as the dossier's are. The API reaches them through api/commands/send-feedback-command.ts.

/** One workflow per feedback item, named after its id: the one writer of the item's event stream. */
export function feedbackWorkflowId(feedbackId: string): string {
  return `feedback-${feedbackId}`;
}

/** What continue-as-new carries from one run of an item's workflow to the next. */
export interface CarriedFeedback {
  readonly state: FeedbackState;
  readonly streamVersion: number;
  /** The latest commands' outcomes, by command id, oldest first. */
  readonly recent?: readonly (readonly [string, FeedbackCommandOutcome])[];
  /** The stream version up to which the national PAKN system has been told (activities/feedback-national-sync.ts). */
  readonly syncedVersion?: number;
}

export interface FeedbackWorkflowInput {
  readonly feedbackId: string;
  readonly carried?: CarriedFeedback;
  /** Continue as new after this many history events (Temporal's own suggestion otherwise). */
  readonly historyLimit?: number;
  /**
   * Started for an item whose run has ended (a published item's reactions from the national system,
   * say): the run folds the item's log before it decides anything.
   */
  readonly resumeFromLog?: boolean;
}

/** Every command but the reception, which opens the stream through `receiveFeedbackUpdate`. */
export type FeedbackLifecycleCommand = Exclude<FeedbackCommand, { type: 'ReceiveFeedback' }>;

// Every command is an Update: its caller gets the command's outcome, or the rule that refused it.
export const receiveFeedbackUpdate = defineUpdate<FeedbackCommandOutcome, [FeedbackCommandOfType<'ReceiveFeedback'>]>('receiveFeedback');
export const feedbackCommandUpdate = defineUpdate<FeedbackCommandOutcome, [FeedbackLifecycleCommand]>('feedbackCommand');
export const feedbackStateQuery = defineQuery<{ state: FeedbackState; streamVersion: number }>('feedbackState');
