// The inbox of the national PAKN system (docs/integrations.md#national-pakn-system): every
// `pollSeconds` it asks the system for the items citizens sent there to this deployment's units,
// after its cursor, and receives each (actor `pakn:national`, command id
// `feedback/national/<MaPAKN>`, intake key `national/<MaPAKN>`: an item served twice is received
// once), then asks for the likes and dislikes that changed and records them on their items
// (RecordNationalFeedbackStatus, which also records the national id of an item first entered here).
// The cursor moves only once a whole page is received: a failure asks the same page again at the
// next round. An attachment the file rules refuse is left out (and counted in the log), the item
// still received; an item reception refuses (a unit the catalogue does not know yet, a sending time
// ahead of the engine's clock) is held (db/national-pakn.ts `national_pakn_held`) so one bad item does
// not hold back the others and none is lost: held items are tried again at each round for
// `heldRetryMs` (3 days), then kept as expired for an operator (npm run pakn:held). Nothing personal is logged.
import { Readable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { receiveFeedback, sendFeedbackCommand } from '../api/commands/send-feedback-command.js';
import { feedbackIdOfExternal, heldPaknItemsToTry, holdPaknItem, keepPaknCursor, keepPaknLink, paknCursorOf, releasePaknItem } from '../db/national-pakn.js';
import type { Database } from '../db/schema.js';
import type { DocumentStore } from '../documents/document-store.js';
import { FileRefused } from '../documents/files/file-refused.js';
import { receiveFile } from '../documents/files/receive-file.js';
import { FEEDBACK_FILE_RULES, FEEDBACK_MAX_FILES } from '../domain/feedback/feedback-files.js';
import type { StoredFile } from '../domain/files/file-model.js';
import { NationalPaknUnavailable, type NationalPakn, type NationalPaknItem } from '../integrations/pakn/port.js';
import { fileNameOf } from '../api/file-names.js';
import { type Polling, startPolling } from '../platform/polling.js';

export interface NationalPaknInboxDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  /** The task queue the feedback workflows run on (the dossiers'). */
  readonly taskQueue: string;
  readonly commandTimeoutMs?: number;
  readonly store: DocumentStore;
  readonly pakn: NationalPakn;
  readonly logger: Logger;
  /** MOTCUA_PAKN_POLL_SECONDS: how often both feeds are asked (60 s). */
  readonly pollMs?: number;
  /** false: no loop runs; the caller calls pollOnce itself (tests, a one-off catch-up). */
  readonly loops?: boolean;
  /** How long an item reception refused is tried again at each round before it is left to an operator (3 days). */
  readonly heldRetryMs?: number;
}

export interface NationalPaknInbox {
  /** One round: the held items again, the new items, then the reactions, each until a page comes back short (at most 10 pages). */
  pollOnce(): Promise<{ readonly received: number; readonly reactions: number; readonly held: number }>;
  stop(): Promise<void>;
}

const MAX_PAGES_PER_ROUND = 10;

/** The receiving unit an id names: PAKN-<unit>-<YYMMDD>-<serial>. */
const unitOf = (feedbackId: string) => /^PAKN-(.+)-\d{6}-\d+$/.exec(feedbackId)?.[1] ?? feedbackId;
const NATIONAL_USER = 'pakn:national';

export function startNationalPaknInbox(deps: NationalPaknInboxDeps): NationalPaknInbox {
  const { db, pakn, logger } = deps;
  const commandDeps = { db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs ?? 20_000, log: logger as unknown as FastifyBaseLogger };

  const attachmentsOf = async (item: NationalPaknItem): Promise<StoredFile[]> => {
    const kept: StoredFile[] = [];
    let refused = 0;
    for (const [index, file] of item.attachments.slice(0, FEEDBACK_MAX_FILES).entries()) {
      try {
        const inspected = await receiveFile(deps.store, Readable.from([file.bytes]), FEEDBACK_FILE_RULES, { field: `TepDinhKem[${index}]` });
        const name = fileNameOf(file.name);
        kept.push({ sha256: inspected.sha256, size: inspected.size, mediaType: inspected.mediaType, ...(inspected.pages !== undefined ? { pages: inspected.pages } : {}), ...(name ? { name } : {}) });
      } catch (error) {
        if (!(error instanceof FileRefused)) throw error;
        refused += 1;
      }
    }
    refused += Math.max(0, item.attachments.length - FEEDBACK_MAX_FILES);
    if (refused > 0) logger.warn({ externalId: item.externalId, refused }, 'national PAKN inbox: attachments the file rules refuse were left out of the item');
    return kept;
  };

  /** An item with its files stored: what is held when reception refuses it. */
  type StoredItem = Omit<NationalPaknItem, 'attachments'> & { readonly storedAttachments: readonly StoredFile[] };

  const receive = async (served: NationalPaknItem): Promise<'received' | 'held'> => {
    const { attachments: _bytes, ...fields } = served;
    return receiveStored({ ...fields, storedAttachments: await attachmentsOf(served) });
  };

  const receiveStored = async (item: StoredItem): Promise<'received' | 'held'> => {
    const attachments = [...item.storedAttachments];
    const followUpOf = item.followUpOfExternalId ? await feedbackIdOfExternal(db, item.followUpOfExternalId) : undefined;
    const received = await receiveFeedback(commandDeps, {
      request: {
        agencyCode: item.agencyCode,
        channel: 'national-pakn',
        submitter: item.submitter,
        title: item.title,
        content: item.content,
        attachments,
        sentAt: item.sentAt,
        externalId: item.externalId,
        ...(item.dossierCode ? { dossierCode: item.dossierCode } : {}),
        ...(followUpOf ? { followUpOf } : {}),
      },
      actor: { userId: NATIONAL_USER, role: 'system', agencyCode: item.agencyCode },
      intakeKey: `national/${item.externalId}`,
      commandId: `feedback/national/${item.externalId}`,
    });
    if (received.kind === 'refused') {
      const refusalCode = received.problem.code ?? received.problem.type;
      logger.warn({ externalId: item.externalId, refusal: refusalCode }, 'national PAKN inbox: the item was refused at reception; held for an operator and tried again at the next rounds');
      await holdPaknItem(db, { externalId: item.externalId, agencyCode: item.agencyCode, item, refusalCode, refusalDetail: received.problem.detail ?? received.problem.title });
      return 'held';
    }
    // Pushed as received: a later sync only moves the version up.
    await keepPaknLink(db, { feedbackId: received.feedbackId, externalId: item.externalId, pushedVersion: 0 });
    await releasePaknItem(db, item.externalId, received.feedbackId);
    return 'received';
  };

  /** The items held at earlier rounds, tried again until `heldRetryMs` after they were first held. */
  const retryHeld = async () => {
    let received = 0;
    for (const held of await heldPaknItemsToTry(db, new Date(Date.now() - (deps.heldRetryMs ?? 3 * 86_400_000)))) {
      if ((await receiveStored(held.item as StoredItem)) === 'received') received += 1;
    }
    return received;
  };

  const pollItems = async () => {
    let received = 0;
    let held = 0;
    for (let page = 0; page < MAX_PAGES_PER_ROUND; page += 1) {
      const cursor = await paknCursorOf(db, 'items');
      const served = await pakn.pullItems(cursor);
      const seen = new Set<string>();
      for (const item of served.items) {
        if (seen.has(item.externalId)) continue;
        seen.add(item.externalId);
        if ((await receive(item)) === 'received') received += 1;
        else held += 1;
      }
      await keepPaknCursor(db, 'items', served.next ?? cursor);
      if (served.items.length === 0 || served.next === null || served.next === cursor) break;
    }
    return { received, held };
  };

  const pollReactions = async () => {
    let recorded = 0;
    for (let page = 0; page < MAX_PAGES_PER_ROUND; page += 1) {
      const cursor = await paknCursorOf(db, 'reactions');
      const served = await pakn.pullReactions(cursor);
      for (const [index, reaction] of served.reactions.entries()) {
        const feedbackId = await feedbackIdOfExternal(db, reaction.externalId);
        if (!feedbackId) {
          logger.warn({ externalId: reaction.externalId }, 'national PAKN inbox: reactions for an item the engine does not know; skipped');
          continue;
        }
        const outcome = await sendFeedbackCommand(commandDeps, {
          type: 'RecordNationalFeedbackStatus',
          commandId: `feedback/national/${reaction.externalId}/reactions/${cursor ?? 'start'}/${index}`,
          actor: { userId: NATIONAL_USER, role: 'system', agencyCode: unitOf(feedbackId) },
          feedbackId,
          externalId: reaction.externalId,
          likes: reaction.likes,
          dislikes: reaction.dislikes,
        });
        if (outcome.kind === 'answered') recorded += 1;
        else logger.warn({ feedbackId, outcome: outcome.kind === 'refused' ? (outcome.problem.code ?? outcome.problem.type) : outcome.kind }, 'national PAKN inbox: reactions not recorded');
      }
      await keepPaknCursor(db, 'reactions', served.next ?? cursor);
      if (served.reactions.length === 0 || served.next === null || served.next === cursor) break;
    }
    return recorded;
  };

  const pollOnce = async () => {
    try {
      const again = await retryHeld();
      const items = await pollItems();
      const reactions = await pollReactions();
      return { received: again + items.received, reactions, held: items.held };
    } catch (error) {
      if (error instanceof NationalPaknUnavailable) logger.warn({ reason: error.reason }, `national PAKN inbox: ${error.message}; asked again at the next round`);
      throw error;
    }
  };

  const loops: Polling[] = [];
  if (deps.loops !== false) loops.push(startPolling({ round: pollOnce, pollMs: deps.pollMs ?? 60_000, logger, what: 'national PAKN inbox' }));
  return {
    pollOnce,
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}
