import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxDoubles, startOutboxDoubles } from '../../doubles/outbox-doubles.js';
import type { PortalDoubleB } from '../../doubles/portal-double-b.js';
import { createOutbox, outboxConfigSchema } from '../../integrations/outbox/channels.js';
import { createLogger } from '../../platform/logger.js';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, postCommand, postJson, receptionBody, startTestEngine, TEST_FILE_LINK_KEY, TEST_LOOKUP_KEY, type TestEngine } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';

// The outbox wired as `npm start` wires it (doubles/outbox-doubles.ts, integrations/outbox/channels.ts):
// a dossier's lifecycle through the API reaches the portal's generation-B double (which downloads
// every file link through the engine's public route), the SMTP sink, the SMS gateway and Zalo ZNS,
// each enforcing its contract; every delivery is acted on once, in order.

let engine: TestEngine;
let doubles: OutboxDoubles;
const PHONE = '0912 345 678';
const NAME = 'Đặng Thị Hồng Nhung';

beforeAll(async () => {
  doubles = await startOutboxDoubles({ unitIdentifier: 'T', provinceIdentifier: 'H38', secretsDir: path.join(mkdtempSync(path.join(os.tmpdir(), 'motcua-outbox-')), 'secrets') });
  engine = await startTestEngine({
    name: 'outbox-receivers',
    databaseUrl: await databaseOfItsOwn(),
    outbox: (url) => {
      const config = doubles.config(url, { notices: outboxConfigSchema.shape.notices.parse({ quietHours: {}, preferredOnly: false }) });
      const outbox = createOutbox(config, { lookupKey: TEST_LOOKUP_KEY, fileLinkKey: TEST_FILE_LINK_KEY, logger: createLogger({ level: 'silent' }) });
      return { channels: outbox.channels, policy: outbox.policy, lane: { ...outbox.lane, firstRetryMs: 200, retryCeilingMs: 1000 } };
    },
  });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await doubles?.close();
});

describe('the outbox to its receivers’ doubles', () => {
  it('syncs a lifecycle to the portal with downloadable e-result links, and tells the applicant by e-mail, SMS and Zalo, each once and in order', async () => {
    const { centre, office, procedureCode } = await loadTestProcedure(engine.db, {
      calendar: ROUND_THE_CLOCK,
      series: '999118',
      clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null, explanationWithinWorkingDays: 2 },
      stepBudget: { unit: 'working-days', amount: 3 },
    });
    const reception = actor('reception', centre);
    const { locality: _locality, ...body } = receptionBody(centre, { procedureCode });
    const applicant = { kind: 'citizen' as const, fullName: NAME, identityNumber: '001090077777', phone: PHONE, email: 'nhung@example.vn', notices: { channels: ['zalo', 'sms', 'email'] } };
    const received = await postJson(`${engine.url}/dossiers`, { ...body, applicant }, await authAs(reception));
    expect(received.status, JSON.stringify(received.json)).toBe(201);
    const code = received.json.dossierCode as string;
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: [] })).status).toBe(200);
    expect((await postCommand(`${engine.url}/dossiers/${code}/complete-step`, actor('officer', office), { stepId: 'review', outcome: 'approved' })).status).toBe(200);
    expect((await issueSignedResult(engine.url, code, actor('head', office), `KQ-${code.slice(-4)}`)).status).toBe(200);
    expect((await postCommand(`${engine.url}/dossiers/${code}/return-result`, reception, { method: 'counter', applicantNotifiedInAdvance: true })).status).toBe(200);

    const rows = () => engine.db.selectFrom('deliveries').select(['key', 'receiver', 'state', 'last_error']).where('dossier_code', '=', code).orderBy('sequence').execute();
    await expect
      .poll(async () => {
        const all = await rows();
        return all.some((row) => row.key.endsWith('/result-returned') && row.receiver === 'zalo') && all.every((row) => row.state === 'delivered') ? 'all delivered' : JSON.stringify(all.filter((row) => row.state !== 'delivered'));
      }, { timeout: 90_000, interval: 500 })
      .toBe('all delivered');
    const planned = await rows();

    // The portal: every status sync acted on once, in order, ending at 10, with the e-result's link downloaded from the engine.
    const portal = doubles.portal as PortalDoubleB;
    const held = portal.dossier(code)!;
    expect(held.status).toBe(10);
    const portalKeys = planned.filter((row) => row.receiver === 'portal').map((row) => row.key);
    expect([...new Set(portal.receipts().filter((receipt) => receipt.dossierCode === code).map((receipt) => receipt.key))]).toEqual(portalKeys);
    expect(portal.summary().outOfOrder).toEqual([]);
    expect(portal.fetched().some((file) => file.url.startsWith(`${engine.url}/portal-files/${code}/`))).toBe(true);

    // The citizen: each channel's notices once each, in order, in its own form.
    for (const [channel, receiver] of [['email', doubles.smtp], ['sms', doubles.sms], ['zalo', doubles.zns]] as const) {
      const keys = planned.filter((row) => row.receiver === channel).map((row) => row.key);
      expect(keys.map((key) => key.split('/').at(-1))).toEqual(['received', 'accepted', 'result-ready-early', 'result-returned']);
      expect(receiver.receipts().filter((receipt) => receipt.dossierCode === code).map((receipt) => receipt.key)).toEqual(keys);
      expect(receiver.ledger.summary().duplicates).toBe(0);
    }
    const mails = doubles.smtp.messages().filter((message) => message.key?.includes(code));
    expect(mails).toHaveLength(4);
    expect(mails[0]!.subject).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđ]/i);
    expect(mails[0]!.text).toContain(code);
    const texts = doubles.sms.messages().filter((message) => message.key.includes(code)).flatMap((message) => message.content);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((text) => /^[\x20-\x7E]*$/.test(text))).toBe(true);
    expect(doubles.zns.messages().filter((message) => message.key.includes(code))).toHaveLength(4);

    // Nothing personal in the engine's logs.
    expect(engine.logs.text).not.toContain(NAME);
    expect(engine.logs.text).not.toContain('nhung@example.vn');
  }, 240_000);
});
