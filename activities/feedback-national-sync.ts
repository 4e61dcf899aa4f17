// The activity that tells the national PAKN system what became of an item (Decision 31/2021/QĐ-TTg
// art. 43(2): items that reach a unit by paper, phone or e-mail are entered there and handled there
// too): after each batch of the item's events the workflow calls it, and it pushes the item as its
// log stands now (its status under the national label, the note of a refusal, transfer or request
// for information, the answer), creating it there on the first push of an item entered locally. The
// national id and the version pushed are kept (db/national-pakn.ts): a retry, or a call for a
// version already pushed, pushes nothing new; the system itself keeps the highest version it got.
// Without a national PAKN system configured it answers `not-configured` and does nothing.
import type { Kysely } from 'kysely';
import { loadFeedback } from '../db/feedback/feedback-queries.js';
import { keepPaknLink, paknLinkOf } from '../db/national-pakn.js';
import type { Database } from '../db/schema.js';
import type { FeedbackEvent } from '../domain/feedback/events.js';
import { isReceivedFeedback, nationalFeedbackLabel, type ReceivedFeedback } from '../domain/feedback/feedback-state.js';
import type { NationalPakn, NationalPaknStatusPush } from '../integrations/pakn/port.js';

export interface SyncFeedbackToNationalInput {
  readonly feedbackId: string;
  /** The item's version after the batch: a push describes at least this version. */
  readonly upToVersion: number;
}

export interface FeedbackNationalSyncDeps {
  readonly db: Kysely<Database>;
  /** The national PAKN system (integrations/pakn/); absent: the deployment is not connected. */
  readonly pakn?: NationalPakn;
}

/** The push that describes the item as its events leave it. */
export function statusPushOf(state: ReceivedFeedback, events: readonly FeedbackEvent[], version: number, externalId: string | undefined): NationalPaknStatusPush {
  const received = events[0];
  if (!received || received.type !== 'FeedbackReceived') throw new Error(`${state.feedbackId}: the stream does not open with FeedbackReceived`);
  const last = events.at(-1)!;
  let note: string | undefined;
  let answer: NationalPaknStatusPush['answer'];
  for (const event of events) {
    if (event.type === 'FeedbackRefused') note = event.data.reason;
    if (event.type === 'FeedbackTransferred') note = event.data.reason;
    if (event.type === 'FeedbackInformationRequested') note = event.data.question;
    if (event.type === 'FeedbackInformationProvided' || event.type === 'FeedbackAccepted') note = undefined;
    if (event.type === 'FeedbackAnswered') answer = { text: event.data.answer, signer: `${event.data.signer.fullName}, ${event.data.signer.title}`, answeredAt: event.data.at, publish: event.data.publish };
  }
  const { submitter } = state;
  return {
    feedbackId: state.feedbackId,
    ...(externalId ? { externalId } : {}),
    version,
    agencyCode: state.currentAgencyCode,
    statusLabel: nationalFeedbackLabel(state),
    changedAt: last.data.at,
    item: {
      channel: state.channel,
      title: state.title,
      content: received.data.content,
      sentAt: state.sentAt,
      submitter: { fullName: submitter.fullName, ...(submitter.email ? { email: submitter.email } : {}), ...(submitter.phone ? { phone: submitter.phone } : {}), ...(submitter.address ? { address: submitter.address } : {}) },
      ...(state.category ? { category: state.category } : {}),
      ...(state.dossierCode ? { dossierCode: state.dossierCode } : {}),
    },
    ...(note ? { note } : {}),
    ...(answer ? { answer } : {}),
  };
}

export function createFeedbackNationalSyncActivities({ db, pakn }: FeedbackNationalSyncDeps) {
  return {
    async syncFeedbackToNational(input: SyncFeedbackToNationalInput): Promise<'synced' | 'not-configured'> {
      if (!pakn) return 'not-configured';
      const loaded = await loadFeedback(db, input.feedbackId);
      if (!loaded || !isReceivedFeedback(loaded.state)) throw new Error(`feedback item ${input.feedbackId} is not in the log; its workflow asked to sync version ${input.upToVersion}`);
      const link = await paknLinkOf(db, input.feedbackId);
      if (link && link.pushedVersion >= Math.max(input.upToVersion, loaded.streamVersion)) return 'synced';
      const push = statusPushOf(loaded.state, loaded.events, loaded.streamVersion, link?.externalId ?? loaded.state.externalId);
      const { externalId } = await pakn.pushStatus(push);
      await keepPaknLink(db, { feedbackId: input.feedbackId, externalId, pushedVersion: loaded.streamVersion });
      return 'synced';
    },
  };
}

export type FeedbackNationalSyncActivities = ReturnType<typeof createFeedbackNationalSyncActivities>;
