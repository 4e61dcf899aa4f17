// The relay's sweep (db/outbox/deliveries.ts staleLanes) on real PostgreSQL: it wakes a lane whose
// pending deliveries were dispatched long ago and that shows no sign of life (it ended, or an
// operator terminated it), and leaves alone a lane held back by a dead letter (only an operator's
// retry or close moves it) and a lane that is attempting (retrying with backoff). Waking those
// every 30 s grew their workflow histories without bound. Rows are inserted as the planner, the
// dispatcher and the lanes write them, for dossier codes no other test uses.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staleLanes } from '../../db/outbox/deliveries.js';
import type { Database } from '../../db/schema.js';
import { deliveryKey } from '../../domain/outbox/deliveries.js';
import { testDatabase } from '../support/engine.js';

let db: Kysely<Database>;
const prefix = `T${randomBytes(3).toString('hex').toUpperCase()}.00.00.H38-261202-`;
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function delivery(dossierCode: string, sequence: number, state: 'pending' | 'delivered' | 'dead', dispatchedAgoMs: number): Promise<string> {
  const key = deliveryKey('portal', dossierCode, sequence, 'status');
  await db
    .insertInto('deliveries')
    .values({ key, receiver: 'portal', dossier_code: dossierCode, sequence, event_type: 'DossierAccepted', trigger: 'status', global_position: '1', event_committed_at: ago(3 * HOUR), dispatched_at: ago(dispatchedAgoMs) })
    .execute();
  if (state !== 'pending') await db.updateTable('deliveries').set({ state, ...(state === 'dead' ? { dead_at: ago(HOUR) } : { delivered_at: ago(HOUR) }) }).where('key', '=', key).execute();
  return key;
}

async function attempt(key: string, number: number, startedAgoMs: number): Promise<void> {
  await db.insertInto('delivery_attempts').values({ delivery_key: key, attempt: number, started_at: ago(startedAgoMs), finished_at: ago(startedAgoMs - 1000), outcome: 'failed', error: 'HTTP 503' }).execute();
}

beforeAll(() => {
  db = testDatabase(2);
});
afterAll(async () => {
  await db.deleteFrom('delivery_attempts').where('delivery_key', 'like', `portal/${prefix}%`).execute();
  await db.deleteFrom('deliveries').where('dossier_code', 'like', `${prefix}%`).execute();
  await db.destroy();
});

describe('the relay sweep (staleLanes)', () => {
  it('wakes lanes that show no life, not those held by a dead letter nor those attempting', async () => {
    const ended = `${prefix}0001`;
    await delivery(ended, 3, 'pending', 2 * HOUR);

    const terminated = `${prefix}0002`;
    await attempt(await delivery(terminated, 3, 'pending', 2 * HOUR), 1, 2 * HOUR);

    const held = `${prefix}0003`;
    await attempt(await delivery(held, 3, 'dead', 2 * HOUR), 1, 2 * HOUR);
    await delivery(held, 5, 'pending', 2 * HOUR);

    const retrying = `${prefix}0004`;
    const head = await delivery(retrying, 3, 'pending', 2 * HOUR);
    await attempt(head, 1, 2 * HOUR);
    await attempt(head, 2, 60_000);
    await delivery(retrying, 5, 'pending', 2 * HOUR);

    const mine = (await staleLanes(db, 10 * 60_000, 10_000)).filter((lane) => lane.dossierCode.startsWith(prefix)).map((lane) => lane.dossierCode);
    expect(mine.sort()).toEqual([ended, terminated]);
  });
});
