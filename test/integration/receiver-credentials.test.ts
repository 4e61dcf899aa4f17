import { afterAll, describe, expect, it } from 'vitest';
import { receiverCredentialStore } from '../../db/outbox/receiver-credentials.js';
import { testDatabase, testPayloadCodec } from '../support/engine.js';

// A receiver's rotating credentials (Zalo's single-use refresh token) outlive the relay, sealed.
const db = testDatabase(1);
afterAll(() => db.destroy());

describe('receiver credentials', () => {
  it('keep the newest tokens across stores, never in clear in the database', async () => {
    const receiver = `zalo-test-${Date.now()}`;
    const first = receiverCredentialStore<{ accessToken: string; refreshToken: string }>(db, testPayloadCodec(), receiver);
    expect(await first.load()).toBeUndefined();
    await first.save({ accessToken: 'access-one-secret', refreshToken: 'refresh-one-secret' });
    await first.save({ accessToken: 'access-two-secret', refreshToken: 'refresh-two-secret' });
    const second = receiverCredentialStore<{ accessToken: string; refreshToken: string }>(db, testPayloadCodec(), receiver);
    expect(await second.load()).toEqual({ accessToken: 'access-two-secret', refreshToken: 'refresh-two-secret' });
    const stored = await db.selectFrom('receiver_credentials').select('sealed').where('receiver', '=', receiver).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.sealed)).not.toMatch(/secret/);
    expect(Buffer.from((stored.sealed as { data: string }).data, 'base64').toString('latin1')).not.toMatch(/secret/);
  });
});
