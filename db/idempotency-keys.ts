// The Idempotency-Key table: a POST's claim on its key, the answer kept for retries, and what the
// first attempt allocated (a dossier code). api/idempotency.ts decides when each is called.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, IdempotencyKeysTable } from './schema.js';

/** A key, scoped by the caller who sent it. */
export interface IdempotencyKey {
  readonly caller: string;
  readonly key: string;
}

export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;

/** The answer a replay repeats. */
export interface KeptAnswer {
  readonly contentType: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** Kept answers are for retries, not archives: a day is plenty. */
const KEPT_FOR = "interval '24 hours'";

/**
 * Deletes keys older than a day. A key released after a server error keeps its claim time (and the
 * dossier code it allocated) so a retry within the day still finds it.
 */
export async function sweepIdempotencyKeys(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', sql<Date>`now() - ${sql.raw(KEPT_FOR)}`).execute();
}

/** Claims an unused key for a request; false when the key is already there. */
export async function claimIdempotencyKey(db: Kysely<Database>, { caller, key }: IdempotencyKey, requestHash: string): Promise<boolean> {
  const claimed = await db.insertInto('idempotency_keys').values({ caller, key, request_hash: requestHash }).onConflict((oc) => oc.columns(['caller', 'key']).doNothing()).returning('key').executeTakeFirst();
  return claimed !== undefined;
}

export async function findIdempotencyKey(db: Kysely<Database>, { caller, key }: IdempotencyKey): Promise<IdempotencyKeyRow | undefined> {
  return db.selectFrom('idempotency_keys').selectAll().where('caller', '=', caller).where('key', '=', key).executeTakeFirst();
}

/**
 * Takes over an unanswered claim older than `staleAfterMs`; true when this caller got it. The
 * database's clock decides staleness, so of several retries only one takes over.
 */
export async function takeOverStaleClaim(db: Kysely<Database>, { caller, key }: IdempotencyKey, staleAfterMs: number): Promise<boolean> {
  const taken = await db
    .updateTable('idempotency_keys')
    .set({ claimed_at: sql<string>`now()` })
    .where('caller', '=', caller)
    .where('key', '=', key)
    .where('status_code', 'is', null)
    .where('claimed_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterMs / 1000})`)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Releases an unanswered claim for an immediate retry, keeping what it allocated. */
export async function releaseIdempotencyKey(db: Kysely<Database>, { caller, key }: IdempotencyKey): Promise<void> {
  await db.updateTable('idempotency_keys').set({ claimed_at: new Date(0).toISOString() }).where('caller', '=', caller).where('key', '=', key).where('status_code', 'is', null).execute();
}

export async function keepAnswer(db: Kysely<Database>, { caller, key }: IdempotencyKey, statusCode: number, answer: KeptAnswer): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response: JSON.stringify(answer), completed_at: new Date().toISOString() })
    .where('caller', '=', caller)
    .where('key', '=', key)
    .execute();
}

/** What an earlier attempt under this key allocated, if it did. */
export async function allocatedUnderKey(db: Kysely<Database>, { caller, key }: IdempotencyKey): Promise<unknown> {
  const row = await db.selectFrom('idempotency_keys').select('resource').where('caller', '=', caller).where('key', '=', key).executeTakeFirst();
  return row?.resource ?? undefined;
}

/** Keeps what this attempt allocated, before it acts on it. */
export async function keepAllocation(db: Kysely<Database>, { caller, key }: IdempotencyKey, resource: unknown): Promise<void> {
  await db.updateTable('idempotency_keys').set({ resource: JSON.stringify(resource) }).where('caller', '=', caller).where('key', '=', key).execute();
}
