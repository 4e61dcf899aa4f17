import { afterAll, describe, expect, it } from 'vitest';
import { createDeliveryActivities } from '../../activities/deliveries.js';
import { createLogger } from '../../platform/logger.js';
import { testDatabase, uniqueAgencyCode } from '../support/engine.js';

// Quiet hours hold a text message back when it is about to go, not only when it was planned: a
// backlog after an outage, or a dead letter retried at night, still waits for the morning.
const db = testDatabase(2);
afterAll(() => db.destroy());

const vietnamClock = (offsetMinutes: number) => {
  const at = new Date(Date.now() + 7 * 3_600_000 + offsetMinutes * 60_000);
  return `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
};

describe('quiet hours at sending time', () => {
  it('give a pending SMS planned by day a not-before at their end, and leave e-mail as it was', async () => {
    const code = `${uniqueAgencyCode()}-261202-0001`;
    const row = (receiver: string) => ({ key: `${receiver}/${code}/1/received`, receiver, dossier_code: code, sequence: 1, event_type: 'DossierReceived', trigger: 'received', global_position: 1, event_committed_at: new Date(Date.now() - 3_600_000).toISOString() });
    await db.insertInto('deliveries').values([row('sms'), row('email')]).execute();
    // Quiet from an hour ago until an hour from now, Vietnam time (wrapping midnight is the rule's own test).
    const quiet = { from: vietnamClock(-60), to: vietnamClock(60) };
    const activities = createDeliveryActivities({ db, channels: new Map(), logger: createLogger({ level: 'silent' }), quietHours: { sms: quiet } });
    const sms = await activities.nextDelivery({ receiver: 'sms', dossierCode: code });
    expect(sms?.state).toBe('pending');
    const waitMs = Date.parse(sms!.notBefore!) - Date.now();
    expect(waitMs).toBeGreaterThan(55 * 60_000);
    expect(waitMs).toBeLessThanOrEqual(61 * 60_000);
    expect((await activities.nextDelivery({ receiver: 'email', dossierCode: code }))?.notBefore).toBeNull();
  });
});
