// The SMS brandname and Zalo ZNS channels (integrations/notifications/{sms,zalo}-channel.ts) against
// their loopback doubles (doubles/{sms-gateway-double,zns-double}.ts): a message is sent once and a
// resend is a duplicate at the receiver; each fault the doubles make is retryable or not as the
// gateway's answer means; the ZNS token is refreshed (and rotated) when it expires; the attempt's
// record holds neither the number nor a credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmsGatewayDouble, SMS_DOUBLE_ACCOUNTS, startSmsGatewayDouble } from '../../doubles/sms-gateway-double.js';
import { startZnsDouble, ZNS_DOUBLE_DEFAULTS, type ZnsDouble } from '../../doubles/zns-double.js';
import { deliveryKey, type NoticeTrigger } from '../../domain/outbox/deliveries.js';
import { createSmsChannel } from '../../integrations/notifications/sms-channel.js';
import { smsConfigSchema } from '../../integrations/notifications/sms-config.js';
import type { SmsMessage, ZnsMessage } from '../../integrations/notifications/sms-shared.js';
import { createZaloChannel, type ZaloTokens } from '../../integrations/notifications/zalo-channel.js';
import { zaloConfigSchema } from '../../integrations/notifications/zalo-config.js';
import type { DeliveryContext, DeliveryResult } from '../../integrations/outbox/delivery-channel.js';

const CENTRE = '000.01.01.H99';
const OTHER_UNIT = '000.02.01.H99';
const DOSSIER = '000.01.01.H99-261202-0001';
const PHONE = '0912 345 678';

function context(receiver: 'sms' | 'zalo', sequence: number, options: { phone?: string; representativePhone?: string; agencyCode?: string; trigger?: NoticeTrigger; attempt?: number } = {}): DeliveryContext {
  const trigger = options.trigger ?? 'received';
  const agencyCode = options.agencyCode ?? CENTRE;
  return {
    key: deliveryKey(receiver, DOSSIER, sequence, trigger),
    receiver,
    trigger,
    dossierCode: DOSSIER,
    sequence,
    attempt: options.attempt ?? 1,
    events: [
      {
        version: 1,
        occurredAt: '2026-12-02T02:00:00.000Z',
        actor: { userId: 'reception-1', role: 'reception', agencyCode },
        event: {
          type: 'DossierReceived',
          schemaVersion: 1,
          data: {
            dossierCode: DOSSIER,
            agencyCode,
            procedureCode: '1.004227',
            channel: 'counter',
            applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345', ...(options.phone !== '' ? { phone: options.phone ?? PHONE } : {}), ...(options.representativePhone ? { representative: { fullName: 'Trần Thị Bình', phone: options.representativePhone } } : {}) },
            receivedAt: '2026-12-02T02:00:00.000Z',
          },
        },
      },
    ],
  };
}

const failed = (result: DeliveryResult) => {
  expect(result.outcome, JSON.stringify(result)).toBe('failed');
  return result as Extract<DeliveryResult, { outcome: 'failed' }>;
};

describe('the SMS channel and the SMS gateway double', () => {
  let double: SmsGatewayDouble;
  const env = { VNPT_API_PASS: SMS_DOUBLE_ACCOUNTS.vnpt.apiPass, VIETTEL_PASSWORD: SMS_DOUBLE_ACCOUNTS.viettel.password, WRONG: 'not-the-password' };
  const vnptAccount = SMS_DOUBLE_ACCOUNTS.vnpt;
  const config = (overrides: { vnptPass?: string; viettelPass?: string; templates?: object } = {}) =>
    smsConfigSchema.parse({
      default: {
        provider: 'vnpt',
        url: double.vnptUrl,
        username: vnptAccount.username,
        labelId: vnptAccount.labelId,
        contractTypeId: vnptAccount.contractTypeId,
        contractId: vnptAccount.contractId,
        agentId: vnptAccount.agentId,
        apiUser: vnptAccount.apiUser,
        apiPass: overrides.vnptPass ?? 'env:VNPT_API_PASS',
        textTemplateId: '554183',
        templates: overrides.templates ?? { 'supplement-requested': { templateId: '554184', params: ['MaHoSo', 'NgayHenTra'] } },
      },
      units: {
        [OTHER_UNIT]: { provider: 'viettel', url: double.viettelUrl, user: SMS_DOUBLE_ACCOUNTS.viettel.user, password: overrides.viettelPass ?? 'env:VIETTEL_PASSWORD', cpCode: SMS_DOUBLE_ACCOUNTS.viettel.cpCode, serviceId: SMS_DOUBLE_ACCOUNTS.viettel.serviceId },
      },
      timeoutMs: 400,
    });
  const text: SmsMessage = { text: `Ho so ${DOSSIER} da duoc tiep nhan. Ngay hen tra: 10/12/2026`, values: { MaHoSo: DOSSIER, NgayHenTra: '10/12/2026' } };
  const channel = (render: (c: DeliveryContext) => SmsMessage | undefined = () => text, overrides = {}, onNoMessage?: 'refuse' | 'skip') =>
    createSmsChannel(config(overrides), { render, env, ...(onNoMessage ? { onNoMessage } : {}) });

  beforeAll(async () => {
    double = await startSmsGatewayDouble();
  });
  afterAll(() => double.close());

  it('sends through VNPT once; a resend is a duplicate at the gateway; the record is masked', async () => {
    const first = await channel().deliver(context('sms', 1));
    expect(first).toMatchObject({ outcome: 'delivered', reference: expect.stringMatching(/^[0-9a-f]{20}$/) });
    const again = await channel().deliver(context('sms', 1, { attempt: 2 }));
    expect(again).toMatchObject({ outcome: 'delivered', reference: (first as { reference: string }).reference });
    expect(double.messages().filter((message) => message.key === context('sms', 1).key)).toHaveLength(1);
    expect(double.ledger.summary()).toMatchObject({ acted: 1, duplicates: 1 });
    expect(double.receipts()[0]).toMatchObject({ dossierCode: DOSSIER, sequence: 1 });
    const record = JSON.stringify((first as { exchange: unknown }).exchange);
    expect(record).not.toContain('912345678');
    expect(record).not.toContain(vnptAccount.apiPass);
    expect(record).not.toContain('APIUSER');
    expect(record).not.toContain('da duoc tiep nhan');
    expect(record).toContain('849******78');
  });

  it("fills a per-trigger VNPT template's parameters in their configured order", async () => {
    const result = await channel().deliver(context('sms', 2, { trigger: 'supplement-requested' }));
    expect(result.outcome).toBe('delivered');
    expect(double.messages().at(-1)).toMatchObject({ provider: 'vnpt', templateId: '554184', content: [DOSSIER, '10/12/2026'] });
    const missing = failed(await channel(() => ({ text: 'x', values: { MaHoSo: DOSSIER } })).deliver(context('sms', 3, { trigger: 'supplement-requested' })));
    expect(missing).toMatchObject({ retryable: false, reason: expect.stringContaining('NgayHenTra') });
  });

  it('sends through the unit’s own Viettel gateway, once per key', async () => {
    const result = await channel().deliver(context('sms', 4, { agencyCode: OTHER_UNIT }));
    expect(result).toMatchObject({ outcome: 'delivered' });
    await channel().deliver(context('sms', 4, { agencyCode: OTHER_UNIT, attempt: 2 }));
    expect(double.messages().filter((message) => message.provider === 'viettel')).toHaveLength(1);
    expect(double.ledger.summary().duplicateKeys).toContain(context('sms', 4).key);
    expect(JSON.stringify((result as { exchange: unknown }).exchange)).not.toContain(SMS_DOUBLE_ACCOUNTS.viettel.password);
  });

  it('sends to the authorised representative when there is one', async () => {
    expect(await channel().deliver(context('sms', 5, { representativePhone: '+84 86 111 2233' }))).toMatchObject({ outcome: 'delivered' });
    expect(double.messages().at(-1)).toMatchObject({ key: context('sms', 5).key, to: '848******33' });
  });

  it('refuses for good what a retry cannot change', async () => {
    const cases: [string, Promise<DeliveryResult>][] = [
      ['VNPT credentials', channel(undefined, { vnptPass: 'env:WRONG' }).deliver(context('sms', 10))],
      ['Viettel credentials', channel(undefined, { viettelPass: 'env:WRONG' }).deliver(context('sms', 11, { agencyCode: OTHER_UNIT }))],
      ['unknown template', channel(() => ({ templateId: '999999', params: ['x'] })).deliver(context('sms', 12))],
      ['parameter count', channel(() => ({ templateId: '554184', params: ['only one'] })).deliver(context('sms', 13))],
      ['a landline', channel().deliver(context('sms', 14, { phone: '024 3825 1234' }))],
      ['no phone', channel().deliver(context('sms', 15, { phone: '' }))],
      ['diacritics for DATACODING 0', channel(() => ({ text: 'Hồ sơ đã được tiếp nhận' })).deliver(context('sms', 16))],
      ['a template for Viettel', channel(() => ({ templateId: '554183', params: ['x'] })).deliver(context('sms', 17, { agencyCode: OTHER_UNIT }))],
      ['no message', channel(() => undefined).deliver(context('sms', 18))],
    ];
    for (const [name, result] of cases) expect(failed(await result).retryable, name).toBe(false);
    expect(double.ledger.receipts().some((receipt) => receipt.sequence >= 10)).toBe(false);
    expect(await channel(() => undefined, {}, 'skip').deliver(context('sms', 19))).toMatchObject({ outcome: 'delivered', reference: 'nothing-sent' });
  });

  it('retries faults, busy answers and lost answers, and a resend after a lost answer is not sent twice', async () => {
    let sequence = 30;
    for (const operation of ['vnpt', 'viettel'] as const) {
      const agencyCode = operation === 'vnpt' ? CENTRE : OTHER_UNIT;
      for (const mode of ['5xx', 'timeout', 'malformed', 'down'] as const) {
        double.fail({ mode, times: 1, operation });
        expect(failed(await channel().deliver(context('sms', sequence, { agencyCode }))).retryable, `${operation} ${mode}`).toBe(true);
        expect(await channel().deliver(context('sms', sequence, { agencyCode, attempt: 2 })), `${operation} ${mode} cleared`).toMatchObject({ outcome: 'delivered' });
        sequence += 1;
      }
      double.busy(1);
      expect(failed(await channel().deliver(context('sms', sequence, { agencyCode }))), `${operation} busy`).toMatchObject({ retryable: true });
      sequence += 1;
      double.fail({ mode: 'lose-answer', times: 1, operation });
      const key = context('sms', sequence).key;
      expect(failed(await channel().deliver(context('sms', sequence, { agencyCode }))).retryable).toBe(true);
      expect(await channel().deliver(context('sms', sequence, { agencyCode, attempt: 2 }))).toMatchObject({ outcome: 'delivered' });
      expect(double.messages().filter((message) => message.key === key)).toHaveLength(1);
      sequence += 1;
    }
    expect(double.ledger.summary().outOfOrder).toEqual([]);
  });

  it('checks what it receives: ASCII for DATACODING 0, REQID, the SOAP envelope', async () => {
    const rqst = { name: 'send_sms_list', REQID: 'abc', LABELID: vnptAccount.labelId, CONTRACTTYPEID: vnptAccount.contractTypeId, CONTRACTID: vnptAccount.contractId, TEMPLATEID: '554183', PARAMS: [{ NUM: '1', CONTENT: 'Hồ sơ' }], SCHEDULETIME: '', MOBILELIST: '84912345678', ISTELCOSUB: '0', AGENTID: vnptAccount.agentId, APIUSER: vnptAccount.apiUser, APIPASS: vnptAccount.apiPass, USERNAME: vnptAccount.username, DATACODING: '0' };
    const post = async (body: unknown) => (await (await fetch(double.vnptUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { RPLY: { ERROR: string } };
    expect((await post({ RQST: rqst })).RPLY.ERROR).toBe('10');
    expect((await post({ RQST: { ...rqst, REQID: 'x'.repeat(21), PARAMS: [{ NUM: '1', CONTENT: 'ok' }] } })).RPLY.ERROR).toBe('1');
    expect((await post({ RQST: { ...rqst, MOBILELIST: '0912345678', PARAMS: [{ NUM: '1', CONTENT: 'ok' }] } })).RPLY.ERROR).toBe('9');
    const soap = await fetch(double.viettelUrl, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>' });
    expect(soap.status).toBe(500);
    expect(await soap.text()).toContain('Fault');
    const inspected = (await (await fetch(`${double.url}/__inspect`)).json()) as { requests: { body: unknown }[] };
    expect(JSON.stringify(inspected.requests)).not.toContain(vnptAccount.apiPass);
    expect(JSON.stringify(inspected)).not.toMatch(/84912345678|84321234567/);
  });
  it("the record's digest does not depend on the gateway's password (it would let a reader of the records test guesses offline)", async () => {
    const digest = async (overrides: { vnptPass?: string; viettelPass?: string }, agencyCode: string) => {
      const result = await channel(() => text, overrides).deliver(context('sms', 60, { agencyCode }));
      const exchange = 'exchange' in result ? result.exchange : undefined;
      expect(exchange?.requestSha256).toMatch(/^[0-9a-f]{64}$/);
      return exchange!.requestSha256;
    };
    expect(await digest({ vnptPass: 'env:WRONG' }, CENTRE)).toBe(await digest({}, CENTRE));
    expect(await digest({ viettelPass: 'env:WRONG' }, OTHER_UNIT)).toBe(await digest({}, OTHER_UNIT));
  });
});

describe('the Zalo ZNS channel and the ZNS double', () => {
  let double: ZnsDouble;
  const env = { ZALO_SECRET: ZNS_DOUBLE_DEFAULTS.secretKey, ZALO_REFRESH: ZNS_DOUBLE_DEFAULTS.refreshToken, WRONG: 'wrong' };
  const message = (name = 'Nguyen Van An'): ZnsMessage => ({ templateId: '301001', templateData: { ten_nguoi_nhan: name, ma_ho_so: DOSSIER, ngay_hen_tra: '10/12/2026', noi_dung: 'Hồ sơ đã được tiếp nhận' } });
  const config = (secretKey = 'env:ZALO_SECRET') => zaloConfigSchema.parse({ baseUrl: double.url, oauthBaseUrl: double.url, appId: ZNS_DOUBLE_DEFAULTS.appId, secretKey, refreshToken: 'env:ZALO_REFRESH', timeoutMs: 400 });
  let channel: ReturnType<typeof createZaloChannel>;
  let render: () => ZnsMessage = () => message();

  beforeAll(async () => {
    double = await startZnsDouble({ notZaloUsers: ['84987654321'] });
    channel = createZaloChannel(config(), { render: () => render(), env });
  });
  afterAll(() => double.close());

  it('refreshes first, sends once, and answers a resend with the same msg_id', async () => {
    const spent = double.currentRefreshToken();
    const first = await channel.deliver(context('zalo', 1));
    expect(first).toMatchObject({ outcome: 'delivered', reference: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(double.currentRefreshToken()).not.toBe(spent);
    const again = await channel.deliver(context('zalo', 1, { attempt: 2 }));
    expect(again).toMatchObject({ outcome: 'delivered', reference: (first as { reference: string }).reference });
    expect(double.messages()).toHaveLength(1);
    expect(double.ledger.summary()).toMatchObject({ acted: 1, duplicates: 1 });
    const record = JSON.stringify((first as { exchange: unknown }).exchange);
    expect(record).not.toContain('912345678');
    expect(record).not.toContain('Nguyen Van An');
    expect(record).toContain(context('zalo', 1).key);
    const inspected = await (await fetch(`${double.url}/__inspect`)).text();
    expect(inspected).not.toContain('84912345678');
    expect(inspected).not.toContain(ZNS_DOUBLE_DEFAULTS.refreshToken);
  });

  it('refreshes an expired token within the attempt, once for concurrent deliveries', async () => {
    double.expireAccessTokens();
    const refreshesBefore = double.requests().filter((request) => request.operation === 'access_token').length;
    const results = await Promise.all([2, 3, 4].map((sequence) => channel.deliver(context('zalo', sequence))));
    for (const result of results) expect(result.outcome).toBe('delivered');
    expect(double.requests().filter((request) => request.operation === 'access_token')).toHaveLength(refreshesBefore + 1);
    expect(double.requests().some((request) => request.error === -220)).toBe(true);
  });

  it('refuses for good an over-long parameter, an unknown template, a number without Zalo', async () => {
    render = () => message('N'.repeat(31));
    expect(failed(await channel.deliver(context('zalo', 10)))).toMatchObject({ retryable: false, reason: expect.stringContaining('-112') });
    render = () => ({ templateId: '999', templateData: {} });
    expect(failed(await channel.deliver(context('zalo', 11))).retryable).toBe(false);
    render = () => message();
    expect(failed(await channel.deliver(context('zalo', 12, { phone: '+84 987 654 321' })))).toMatchObject({ retryable: false, reason: expect.stringContaining('-118') });
    expect(failed(await channel.deliver(context('zalo', 13, { phone: '12345' }))).retryable).toBe(false);
    expect(double.messages().some((sent) => sent.key.includes('/10/') || sent.key.includes('/12/'))).toBe(false);
  });

  it('retries quota, faults and a lost answer; the resend after a lost answer is a duplicate', async () => {
    render = () => message();
    double.quota(1);
    expect(failed(await channel.deliver(context('zalo', 20))).retryable).toBe(true);
    let sequence = 21;
    for (const mode of ['5xx', 'timeout', 'malformed', 'down'] as const) {
      double.fail({ mode, times: 1, operation: 'message/template' });
      expect(failed(await channel.deliver(context('zalo', sequence))).retryable, mode).toBe(true);
      expect(await channel.deliver(context('zalo', sequence, { attempt: 2 })), `${mode} cleared`).toMatchObject({ outcome: 'delivered' });
      sequence += 1;
    }
    double.fail({ mode: 'lose-answer', times: 1, operation: 'message/template' });
    expect(failed(await channel.deliver(context('zalo', sequence))).retryable).toBe(true);
    expect(await channel.deliver(context('zalo', sequence, { attempt: 2 }))).toMatchObject({ outcome: 'delivered' });
    expect(double.messages().filter((sent) => sent.key === context('zalo', sequence).key)).toHaveLength(1);
  });

  it('after the OA is re-authorised, the configured refresh token replaces a refused one the store kept', async () => {
    // The store kept tokens the OA no longer accepts (re-authorised, or a fresh double in npm start).
    let kept: ZaloTokens | undefined = { accessToken: 'stale-access', refreshToken: 'stale-refresh' };
    const tokenStore = { load: async () => kept, save: async (tokens: ZaloTokens) => void (kept = tokens) };
    const reauthorised = createZaloChannel(config(), { render: () => message(), env: { ...env, ZALO_REFRESH: double.currentRefreshToken() }, tokenStore });
    expect(await reauthorised.deliver(context('zalo', 50))).toMatchObject({ outcome: 'delivered' });
    expect(kept?.refreshToken).toBe(double.currentRefreshToken());
  });

  it('a refused refresh is retried, saying what to do, and never quotes a token', async () => {
    const refused = createZaloChannel(config('env:WRONG'), { render: () => message(), env });
    const result = failed(await refused.deliver(context('zalo', 40)));
    expect(result).toMatchObject({ retryable: true, reason: expect.stringContaining('re-authorise the OA') });
    expect(result.reason).not.toContain(ZNS_DOUBLE_DEFAULTS.refreshToken);
    double.fail({ mode: '5xx', times: 1, operation: 'access_token' });
    const fresh = createZaloChannel(config(), { render: () => message(), env: { ...env, ZALO_REFRESH: double.currentRefreshToken() } });
    expect(failed(await fresh.deliver(context('zalo', 41))).retryable).toBe(true);
    expect(await fresh.deliver(context('zalo', 41, { attempt: 2 }))).toMatchObject({ outcome: 'delivered' });
  });
});
