// The national PAKN system's bookkeeping (migration 2026-12-07T14-00_national-pakn): the inbox's
// cursors and each item's national id with the latest version pushed there.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export type PaknFeed = 'items' | 'reactions';

export async function paknCursorOf(db: Kysely<Database>, feed: PaknFeed): Promise<string | null> {
  const row = await db.selectFrom('national_pakn_cursors').select('cursor').where('feed', '=', feed).executeTakeFirst();
  return row?.cursor ?? null;
}

export async function keepPaknCursor(db: Kysely<Database>, feed: PaknFeed, cursor: string | null): Promise<void> {
  await db
    .insertInto('national_pakn_cursors')
    .values({ feed, cursor, polled_at: new Date() })
    .onConflict((oc) => oc.column('feed').doUpdateSet({ cursor, polled_at: new Date() }))
    .execute();
}

export interface PaknLink {
  readonly feedbackId: string;
  readonly externalId: string;
  readonly pushedVersion: number;
}

export async function paknLinkOf(db: Kysely<Database>, feedbackId: string): Promise<PaknLink | undefined> {
  const row = await db.selectFrom('national_pakn_links').selectAll().where('feedback_id', '=', feedbackId).executeTakeFirst();
  return row ? { feedbackId: row.feedback_id, externalId: row.external_id, pushedVersion: row.pushed_version } : undefined;
}

export async function feedbackIdOfExternal(db: Kysely<Database>, externalId: string): Promise<string | undefined> {
  const row = await db.selectFrom('national_pakn_links').select('feedback_id').where('external_id', '=', externalId).executeTakeFirst();
  return row?.feedback_id;
}

/** Records the item's national id and the version pushed (never lowering it). */
export async function keepPaknLink(db: Kysely<Database>, link: PaknLink): Promise<void> {
  await db
    .insertInto('national_pakn_links')
    .values({ feedback_id: link.feedbackId, external_id: link.externalId, pushed_version: link.pushedVersion, pushed_at: new Date() })
    .onConflict((oc) =>
      oc.column('feedback_id').doUpdateSet({
        external_id: link.externalId,
        pushed_version: sql<number>`GREATEST(national_pakn_links.pushed_version, ${link.pushedVersion})`,
        pushed_at: new Date(),
      }),
    )
    .execute();
}

export type HeldPaknState = 'held' | 'received' | 'expired';

/** A held item as an operator lists it: nothing personal. */
export interface HeldPaknItem {
  readonly externalId: string;
  readonly agencyCode: string;
  readonly state: HeldPaknState;
  readonly refusalCode: string;
  readonly refusalDetail: string;
  readonly tries: number;
  readonly heldAt: Date;
  readonly triedAt: Date;
  readonly feedbackId: string | null;
}

/** Holds an item reception refused, or records another refused try of one held. */
export async function holdPaknItem(db: Kysely<Database>, held: { readonly externalId: string; readonly agencyCode: string; readonly item: unknown; readonly refusalCode: string; readonly refusalDetail: string }): Promise<void> {
  const now = new Date();
  await db
    .insertInto('national_pakn_held')
    .values({ external_id: held.externalId, agency_code: held.agencyCode, item: JSON.stringify(held.item), refusal_code: held.refusalCode, refusal_detail: held.refusalDetail, held_at: now, tried_at: now })
    .onConflict((oc) =>
      oc.column('external_id').doUpdateSet({ refusal_code: held.refusalCode, refusal_detail: held.refusalDetail, tries: sql<number>`national_pakn_held.tries + 1`, tried_at: now }),
    )
    .execute();
}

/** The held items still to be tried (held since `since` or later); older ones are marked expired, kept for the operator. */
export async function heldPaknItemsToTry(db: Kysely<Database>, since: Date): Promise<{ readonly externalId: string; readonly item: unknown }[]> {
  await db.updateTable('national_pakn_held').set({ state: 'expired' }).where('state', '=', 'held').where('held_at', '<', since).execute();
  const rows = await db.selectFrom('national_pakn_held').select(['external_id', 'item']).where('state', '=', 'held').orderBy('held_at').limit(100).execute();
  return rows.map((row) => ({ externalId: row.external_id, item: row.item }));
}

/** A held item received at last. */
export async function releasePaknItem(db: Kysely<Database>, externalId: string, feedbackId: string): Promise<void> {
  await db.updateTable('national_pakn_held').set({ state: 'received', feedback_id: feedbackId, tried_at: new Date() }).where('external_id', '=', externalId).execute();
}

/** Held items, newest first (all states, or one). */
export async function listHeldPaknItems(db: Kysely<Database>, state?: HeldPaknState): Promise<HeldPaknItem[]> {
  let query = db.selectFrom('national_pakn_held').select(['external_id', 'agency_code', 'state', 'refusal_code', 'refusal_detail', 'tries', 'held_at', 'tried_at', 'feedback_id']);
  if (state) query = query.where('state', '=', state);
  const rows = await query.orderBy('held_at', 'desc').limit(500).execute();
  return rows.map((row) => ({ externalId: row.external_id, agencyCode: row.agency_code, state: row.state, refusalCode: row.refusal_code, refusalDetail: row.refusal_detail, tries: row.tries, heldAt: row.held_at, triedAt: row.tried_at, feedbackId: row.feedback_id }));
}

/** Puts an expired item back to be tried at the next poll (the operator fixed what refused it). */
export async function retryHeldPaknItem(db: Kysely<Database>, externalId: string): Promise<boolean> {
  const result = await db.updateTable('national_pakn_held').set({ state: 'held', held_at: new Date() }).where('external_id', '=', externalId).where('state', '<>', 'received').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
