// The nightly reconciliation's resend on real PostgreSQL (db/outbox/reconciliation.ts planResync):
// one `resync` delivery per dossier and day. A dossier the portal still holds otherwise the next
// night, with no event since (the same latest sequence), gets a second resend; the same day run
// twice plans nothing twice. The portal row is inserted as the planner writes it, for a dossier
// code no other test uses.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planResync } from '../../db/outbox/reconciliation.js';
import type { Database } from '../../db/schema.js';
import { deliveryKey } from '../../domain/outbox/deliveries.js';
import { testDatabase } from '../support/engine.js';

let db: Kysely<Database>;
const dossierCode = `T${randomBytes(3).toString('hex').toUpperCase()}.00.00.H38-261202-0001`;

beforeAll(async () => {
  db = testDatabase(2);
  const key = deliveryKey('portal', dossierCode, 4, 'status');
  await db
    .insertInto('deliveries')
    .values({ key, receiver: 'portal', dossier_code: dossierCode, sequence: 4, event_type: 'DossierAccepted', trigger: 'status', global_position: '1', event_committed_at: new Date().toISOString() })
    .execute();
  await db.updateTable('deliveries').set({ state: 'delivered', delivered_at: new Date().toISOString() }).where('key', '=', key).execute();
});
afterAll(async () => {
  await db.deleteFrom('deliveries').where('dossier_code', '=', dossierCode).execute();
  await db.destroy();
});

it('plans one resync per dossier and day, the next night too when nothing happened since', async () => {
  expect(await planResync(db, dossierCode, 4, '2026-12-01')).toEqual({ key: deliveryKey('portal', dossierCode, 4, 'resync', '2026-12-01'), inserted: true });
  expect((await planResync(db, dossierCode, 4, '2026-12-01')).inserted).toBe(false);
  expect(await planResync(db, dossierCode, 4, '2026-12-02')).toEqual({ key: deliveryKey('portal', dossierCode, 4, 'resync', '2026-12-02'), inserted: true });
  const rows = await db.selectFrom('deliveries').select(['key', 'state']).where('dossier_code', '=', dossierCode).where('trigger', '=', 'resync').orderBy('key').execute();
  expect(rows.map((row) => row.state)).toEqual(['pending', 'pending']);
});

it('still plans one delivery per event, receiver and trigger', async () => {
  const again = db
    .insertInto('deliveries')
    .values({ key: `portal/${dossierCode}/4/status/again`, receiver: 'portal', dossier_code: dossierCode, sequence: 4, event_type: 'DossierAccepted', trigger: 'status', global_position: '1', event_committed_at: new Date().toISOString() })
    .execute();
  await expect(again).rejects.toThrow(/deliveries_event_receiver_trigger/);
});
