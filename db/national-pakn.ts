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
