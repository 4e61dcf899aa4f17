// The e-mail channel against the mail sink: a real SMTP conversation on the loopback, no database
// or Temporal (so it runs with the http project). Exactly once per Message-ID at the mailbox, the
// relay's answers classified as the lane needs them, Vietnamese intact end to end.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../doubles/smtp-sink.js';
import { lookupSecretFor } from '../../api/auth/lookup-secret.js';
import { DELIVERY_KEY_HEADER, classifySmtpError, createEmailChannel, maskAddresses, messageIdOf } from '../../integrations/notifications/email-channel.js';
import { emailConfigSchema, type EmailConfig } from '../../integrations/notifications/email-config.js';
import { noticesConfigSchema } from '../../integrations/notifications/notices-config.js';
import type { DeliveryChannel, DeliveryContext } from '../../integrations/outbox/delivery-channel.js';
import { deliveryKey, type NoticeTrigger } from '../../domain/outbox/deliveries.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { documentLink, historyFor, NOTICE_CENTRE, NOTICE_DOSSIER } from '../support/notice-history.js';

const LOOKUP_KEY = 'test-lookup-key';

function contextFor(trigger: NoticeTrigger, events: DossierEvent[] = historyFor(trigger), attempt = 1): DeliveryContext {
  const sequence = events.length;
  return {
    key: deliveryKey('email', NOTICE_DOSSIER, sequence, trigger),
    receiver: 'email',
    trigger,
    dossierCode: NOTICE_DOSSIER,
    sequence,
    attempt,
    events: events.map((event, index) => ({ version: index + 1, event, occurredAt: '2026-12-02T01:30:00Z', actor: { userId: 'u', role: 'reception', agencyCode: NOTICE_CENTRE } })),
  };
}

let sink: SmtpSink;
let channel: DeliveryChannel;
let config: EmailConfig;

beforeAll(async () => {
  sink = await startSmtpSink({ auth: { user: 'motcua', password: 's3cret' } });
  config = emailConfigSchema.parse({
    host: '127.0.0.1',
    port: sink.smtpPort,
    requireTLS: false,
    auth: { user: 'motcua', password: 'env:TEST_SMTP_PASSWORD' },
    from: { address: 'thongbao@motcua.example.vn', name: 'Hệ thống một cửa điện tử' },
    units: { [NOTICE_CENTRE]: { from: { address: 'motcua@hoabinh.example.vn', name: 'Bộ phận Một cửa UBND xã Hòa Bình' } } },
    timeoutMs: 1500,
  });
  channel = createEmailChannel(config, { lookupKey: LOOKUP_KEY, documentLink, env: { TEST_SMTP_PASSWORD: 's3cret' } });
});

afterAll(async () => {
  await channel?.close?.();
  await sink?.close();
});

beforeEach(() => sink.fail({ mode: 'none' }));

describe('the e-mail channel and the mail sink', () => {
  it('delivers a notice once, with the key as Message-ID and header, and Vietnamese intact', async () => {
    const context = contextFor('received');
    const result = await channel.deliver(context);
    expect(result.outcome).toBe('delivered');
    const message = sink.messages().find((candidate) => candidate.key === context.key)!;
    expect(message.outcome).toBe('new');
    expect(message.messageId).toBe(`<${context.key}@motcua.example.vn>`);
    expect(message.headers[DELIVERY_KEY_HEADER.toLowerCase()]).toBe(context.key);
    expect(message.subject).toBe(`Hồ sơ ${NOTICE_DOSSIER} đã được tiếp nhận`);
    expect(message.text).toContain('Kính gửi Ông/Bà Trần Thị Bình,');
    expect(message.text).toContain(`Mã tra cứu: ${lookupSecretFor(LOOKUP_KEY, NOTICE_DOSSIER)}`);
    expect(message.html).toContain('Bộ phận Một cửa UBND xã Hòa Bình đã tiếp nhận hồ sơ');
    expect(message.from).toBe('Bộ phận Một cửa UBND xã Hòa Bình <motcua@hoabinh.example.vn>');
    expect(message.envelope.to).toEqual(['binh@example.vn']);
  });

  it('records the attempt without the address: masked recipient, subject, the body digest, the answer', async () => {
    const result = await channel.deliver(contextFor('accepted'));
    if (result.outcome !== 'delivered') throw new Error(`not delivered: ${JSON.stringify(result)}`);
    expect(result.exchange.request).toMatchObject({ to: '***@example.vn', from: 'motcua@hoabinh.example.vn', subject: `Hồ sơ ${NOTICE_DOSSIER} đã được tiếp nhận giải quyết` });
    expect(result.exchange.requestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.exchange.response).toMatch(/^250 /);
    expect(JSON.stringify(result.exchange)).not.toContain('binh@example.vn');
  });

  it('a resend of the same key is the same message: the mailbox counts it as a duplicate', async () => {
    const context = contextFor('supplement-requested');
    const first = await channel.deliver(context);
    const second = await channel.deliver({ ...context, attempt: 2 });
    expect([first.outcome, second.outcome]).toEqual(['delivered', 'delivered']);
    if (first.outcome === 'delivered' && second.outcome === 'delivered') expect(second.exchange.requestSha256).toBe(first.exchange.requestSha256);
    expect(sink.messages().filter((message) => message.key === context.key).map((message) => message.outcome)).toEqual(['new', 'duplicate']);
    expect(sink.summary().duplicateKeys).toContain(context.key);
  });

  it('451 is transient: retryable, and the retry is delivered', async () => {
    sink.fail({ mode: '5xx', status: 451, times: 1 });
    const context = contextFor('financial-obligation');
    const failed = await channel.deliver(context);
    expect(failed).toMatchObject({ outcome: 'failed', retryable: true });
    expect((await channel.deliver({ ...context, attempt: 2 })).outcome).toBe('delivered');
    expect(sink.receipts().filter((receipt) => receipt.key === context.key)).toHaveLength(1);
  });

  it('550 is permanent: not retryable', async () => {
    sink.fail({ mode: '5xx', status: 550, times: 1 });
    const failed = await channel.deliver(contextFor('refused'));
    expect(failed).toMatchObject({ outcome: 'failed', retryable: false });
    if (failed.outcome === 'failed') expect(failed.reason).toMatch(/^SMTP 550 at DATA \(permanent\)/);
  });

  it('a dropped connection is retryable', async () => {
    sink.fail({ mode: 'down', times: 1 });
    const failed = await channel.deliver(contextFor('result-ready'));
    expect(failed).toMatchObject({ outcome: 'failed', retryable: true });
  });

  it('a lost answer is retryable, and the resend is recognised by its Message-ID', async () => {
    sink.fail({ mode: 'lose-answer', times: 1 });
    const context = contextFor('result-returned');
    expect(await channel.deliver(context)).toMatchObject({ outcome: 'failed', retryable: true });
    expect((await channel.deliver({ ...context, attempt: 2 })).outcome).toBe('delivered');
    expect(sink.messages().filter((message) => message.key === context.key).map((message) => message.outcome)).toEqual(['new', 'duplicate']);
  });

  it('an answer that is not SMTP is retryable', async () => {
    sink.fail({ mode: 'malformed', times: 1 });
    const result = await channel.deliver({ ...contextFor('result-ready'), key: deliveryKey('email', NOTICE_DOSSIER, 4, 'result-ready', 'malformed') });
    expect(result).toMatchObject({ outcome: 'failed', retryable: true });
  });

  it('a slow answer is still delivered', async () => {
    sink.fail({ mode: 'slow', delayMs: 200, times: 1 });
    expect((await channel.deliver({ ...contextFor('result-ready'), key: deliveryKey('email', NOTICE_DOSSIER, 4, 'result-ready', 'slow') })).outcome).toBe('delivered');
  });

  it('no answer within the deadline is retryable', async () => {
    sink.fail({ mode: 'timeout', times: 1 });
    expect(await channel.deliver(contextFor('result-ready-early'))).toMatchObject({ outcome: 'failed', retryable: true });
  });

  it('the apology carries the signed letter’s link', async () => {
    const context = contextFor('apology');
    expect((await channel.deliver(context)).outcome).toBe('delivered');
    const message = sink.messages().find((candidate) => candidate.key === context.key)!;
    expect(message.text).toContain(documentLink(NOTICE_DOSSIER, 'a'.repeat(64)));
    expect(message.subject).toBe(`Văn bản xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${NOTICE_DOSSIER}`);
  });

  it('refuses, without sending, what no retry can change: no address, a portal trigger, events of another trigger', async () => {
    const before = sink.messages().length;
    expect(await channel.deliver(contextFor('received', historyFor('received', { email: undefined })))).toMatchObject({ outcome: 'failed', retryable: false });
    expect(await channel.deliver({ ...contextFor('received'), trigger: 'status' })).toMatchObject({ outcome: 'failed', retryable: false });
    expect(await channel.deliver(contextFor('apology', historyFor('accepted')))).toMatchObject({ outcome: 'failed', retryable: false });
    expect(sink.messages()).toHaveLength(before);
  });

  it('a unit’s own wording from the notices configuration', async () => {
    const notices = noticesConfigSchema.parse({ templates: { units: { [NOTICE_CENTRE]: { accepted: { email: { subject: 'UBND xã Hòa Bình – hồ sơ {maHoSo}' } } } } } });
    const own = createEmailChannel(config, { lookupKey: LOOKUP_KEY, documentLink, notices, env: { TEST_SMTP_PASSWORD: 's3cret' } });
    const events = [...historyFor('accepted')];
    const context = { ...contextFor('accepted', events), key: deliveryKey('email', NOTICE_DOSSIER, 2, 'accepted', 'own') };
    expect((await own.deliver(context)).outcome).toBe('delivered');
    expect(sink.messages().find((message) => message.key === context.key)?.subject).toBe(`UBND xã Hòa Bình – hồ sơ ${NOTICE_DOSSIER}`);
    await own.close?.();
  });

  it('wrong credentials are retried (an operator fixes them), not dead-lettered at once', async () => {
    const wrong = createEmailChannel(config, { lookupKey: LOOKUP_KEY, documentLink, env: { TEST_SMTP_PASSWORD: 'wrong' } });
    const result = await wrong.deliver({ ...contextFor('received'), key: deliveryKey('email', NOTICE_DOSSIER, 1, 'received', 'auth') });
    expect(result).toMatchObject({ outcome: 'failed', retryable: true });
    await wrong.close?.();
  });
});

describe('the mail sink checks the contract', () => {
  it('refuses a message without a delivery key as Message-ID (554) and acts on nothing', async () => {
    const nodemailer = (await import('nodemailer')).default;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, ignoreTLS: true, auth: { user: 'motcua', pass: 's3cret' } });
    const acted = sink.summary().acted;
    await expect(transport.sendMail({ from: 'a@example.vn', to: 'b@example.vn', subject: 'x', text: 'y', messageId: '<random@example.vn>' })).rejects.toMatchObject({ responseCode: 554 });
    await expect(transport.sendMail({ from: 'a@example.vn', to: 'b@example.vn', subject: 'x', html: '<p>y</p>', messageId: '<email/X/1/received@example.vn>', headers: { [DELIVERY_KEY_HEADER]: 'email/X/1/received' } })).rejects.toMatchObject({ responseCode: 554 });
    expect(sink.summary().acted).toBe(acted);
    expect(sink.messages().at(-1)?.violation).toContain('no text/plain part');
    transport.close();
  });

  it('has an HTTP side with the messages, the receipts and the fault switch', async () => {
    const faults = await fetch(`${sink.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: '5xx', status: 451, times: 1 }) });
    expect(faults.status).toBe(200);
    expect(await channel.deliver({ ...contextFor('received'), key: deliveryKey('email', NOTICE_DOSSIER, 1, 'received', 'http') })).toMatchObject({ outcome: 'failed', retryable: true });
    const receipts = (await (await fetch(`${sink.url}/__receipts`)).json()) as { summary: { acted: number } };
    expect(receipts.summary.acted).toBeGreaterThan(0);
    const inspect = (await (await fetch(`${sink.url}/__inspect`)).json()) as { messages: unknown[] };
    expect(inspect.messages.length).toBe(sink.messages().length);
  });
});

describe('SMTP answers, classified', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO', response: '450 mailbox busy' }, true],
    [{ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 <binh@example.vn>: no such user' }, false],
    [{ code: 'EMESSAGE', responseCode: 554, command: 'DATA', response: '554 content rejected' }, false],
    [{ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 bad credentials' }, true],
    [{ code: 'ECONNECTION', responseCode: 554, command: 'CONN', response: '554 no SMTP service here' }, true],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, true],
    [{ code: 'ECONNECTION', command: 'CONN', message: 'connect ECONNREFUSED' }, true],
    [{ code: 'EENVELOPE', command: 'API', message: 'No recipients defined' }, false],
    [{ code: 'EMESSAGE', command: 'MAIL FROM', message: 'Message size larger than allowed 1000' }, false],
    [{ code: 'EMESSAGE', command: 'DATA', response: 'HTTP/1.1 200 OK' }, true],
  ])('%o → retryable %s', (error, retryable) => {
    expect(classifySmtpError(error).retryable).toBe(retryable);
  });

  it('masks the addresses a relay quotes', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 <binh@example.vn>: no such user' }).reason).not.toContain('binh@');
    expect(maskAddresses('550 <binh@example.vn> unknown')).toBe('550 <***@example.vn> unknown');
  });

  it('the Message-ID is the key at the domain; a key that is no dot-atom is refused', () => {
    expect(messageIdOf('email/000.01.01.H99-261202-0001/7/received', 'motcua.example.vn')).toBe('<email/000.01.01.H99-261202-0001/7/received@motcua.example.vn>');
    expect(() => messageIdOf('email/a b/1/received', 'x.vn')).toThrow(RangeError);
  });
});
