// The pure parts of the SMS and ZNS channels: the phone number as people write it turned into the
// gateways' 84…, the operators' prefixes, the request ids derived from the delivery key, the SOAP
// reader against hostile XML, and the classification of every kind of answer the gateways give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyViettelAnswer, classifyVnptAnswer, vnptTemplateFor } from '../../integrations/notifications/sms-channel.js';
import { DEFAULT_OPERATOR_PREFIXES, smsConfigSchema, smsProviderFor, vnptSmsSchema } from '../../integrations/notifications/sms-config.js';
import { normaliseVietnamesePhone, operatorOf } from '../../integrations/notifications/sms-phone.js';
import { isPlainAscii, noMessageResult, requestIdOf } from '../../integrations/notifications/sms-shared.js';
import { readSoap, wsCpMtEnvelope, wsCpMtResponseEnvelope } from '../../integrations/notifications/sms-soap.js';
import { classifyZnsAnswer, znsTrackingId } from '../../integrations/notifications/zalo-channel.js';
import { zaloConfigSchema } from '../../integrations/notifications/zalo-config.js';

describe('phone numbers', () => {
  it.each([
    ['0912345678', '84912345678'],
    ['0912 345 678', '84912345678'],
    ['091.234.5678', '84912345678'],
    ['+84 912 345 678', '84912345678'],
    ['+84912345678', '84912345678'],
    ['0084-912-345-678', '84912345678'],
    ['(091) 2345678', '84912345678'],
    ['84912345678', '84912345678'],
    ['0321234567', '84321234567'],
    [' 0862 111 222 ', '84862111222'],
  ])('%s → %s', (written, normalised) => {
    expect(normaliseVietnamesePhone(written)).toBe(normalised);
  });

  it.each([
    ['a landline', '024 3825 1234'],
    ['the old 11-digit mobile', '01652345678'],
    ['a foreign number', '+1 415 555 0100'],
    ['too short', '091234567'],
    ['too long', '09123456789'],
    ['letters', '09123456ab'],
    ['empty', ''],
    ['84 without a mobile range', '84212345678'],
    ['a number in a long string', `0912345678${' '.repeat(50)}`],
    ['full-width digits', '０９１２３４５６７８'],
  ])('refuses %s', (_name, written) => {
    expect(normaliseVietnamesePhone(written)).toBeUndefined();
  });

  it('gives 84 and nine digits or nothing, whatever is written', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (written) => {
        const phone = normaliseVietnamesePhone(written);
        return phone === undefined || /^84[35789][0-9]{8}$/.test(phone);
      }),
    );
  });

  it('finds the operator by prefix', () => {
    expect(operatorOf('84912345678', DEFAULT_OPERATOR_PREFIXES)).toBe('vinaphone');
    expect(operatorOf('84862345678', DEFAULT_OPERATOR_PREFIXES)).toBe('viettel');
    expect(operatorOf('84902345678', DEFAULT_OPERATOR_PREFIXES)).toBe('mobifone');
    expect(operatorOf('84802345678', DEFAULT_OPERATOR_PREFIXES)).toBeUndefined();
  });
});

describe('request ids and ASCII', () => {
  it('derives the same id from the same key, cut to the gateway’s length', () => {
    const key = 'sms/000.01.01.H99-261202-0001/7/received';
    expect(requestIdOf(key, 20)).toBe(requestIdOf(key, 20));
    expect(requestIdOf(key, 20)).toMatch(/^[0-9a-f]{20}$/);
    expect(requestIdOf('sms/000.01.01.H99-261202-0001/8/received', 20)).not.toBe(requestIdOf(key, 20));
    expect(znsTrackingId('zalo/000.01.01.H99-261202-0001/7/received', 64)).toBe('zalo/000.01.01.H99-261202-0001/7/received');
    expect(znsTrackingId('zalo/000.01.01.H99-261202-0001/7/supplement-requested', 32)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('tells plain ASCII from text with diacritics', () => {
    expect(isPlainAscii('Ho so 000.01.01.H99-261202-0001 da duoc tiep nhan.\nNgay hen tra: 10/12/2026')).toBe(true);
    expect(isPlainAscii('Hồ sơ')).toBe(false);
    expect(isPlainAscii('tab\there')).toBe(false);
  });

  it('answers a trigger without a message as the lead chooses', () => {
    expect(noMessageResult('refuse')).toEqual({ outcome: 'failed', retryable: false, reason: 'no template for this trigger' });
    expect(noMessageResult('skip')).toMatchObject({ outcome: 'delivered', reference: 'nothing-sent' });
  });
});

describe("VNPT's answers", () => {
  const rply = (error: unknown, description = '') => JSON.stringify({ RPLY: { name: 'send_sms_list', ERROR: error, ERROR_DESC: description } });
  it.each([
    ['sent', rply('0', 'success'), { sent: true }],
    ['sent (a number)', rply(0), { sent: true }],
    ['template rejected', rply('7', 'template khong hop le'), { sent: false, retryable: false }],
    ['credentials', rply('2'), { sent: false, retryable: false }],
    ['bad number', rply('9'), { sent: false, retryable: false }],
    ['parameters', rply('8'), { sent: false, retryable: false }],
    ['busy', rply('99'), { sent: false, retryable: true }],
    ['unknown code', rply('42'), { sent: false, retryable: true }],
    ['not JSON', '<html>502</html>', { sent: false, retryable: true }],
    ['no RPLY', '{"ok":true}', { sent: false, retryable: true }],
    ['ERROR an object', rply({ code: 0 }), { sent: false, retryable: true }],
  ])('%s', (_name, body, verdict) => {
    expect(classifyVnptAnswer(body)).toMatchObject(verdict);
  });

  it('takes the deployment’s own permanent codes', () => {
    expect(classifyVnptAnswer(rply('42'), { permanent: ['42'] })).toMatchObject({ sent: false, retryable: false });
    expect(classifyVnptAnswer(rply('7'), { permanent: ['42'] })).toMatchObject({ sent: false, retryable: true });
  });

  it('quotes a gateway’s description short, on one line', () => {
    const verdict = classifyVnptAnswer(rply('7', `line\n${'x'.repeat(500)}`));
    expect(verdict.sent === false && verdict.reason.length < 250 && !verdict.reason.includes('\n')).toBe(true);
  });
});

describe("Viettel's answers", () => {
  it.each([
    ['queued', wsCpMtResponseEnvelope('1', 'Insert MT_QUEUE: OK'), { sent: true }],
    ['template', wsCpMtResponseEnvelope('0', 'Check template: CONTENT_NOT_MATCH_TEMPLATE'), { sent: false, retryable: false }],
    ['authentication', wsCpMtResponseEnvelope('0', 'Authenticate: AUTHENTICATE_FAIL'), { sent: false, retryable: false }],
    ['receiver', wsCpMtResponseEnvelope('0', 'Check receiver: RECEIVER_INVALID'), { sent: false, retryable: false }],
    ['ASCII', wsCpMtResponseEnvelope('0', 'Check content: CONTENT_NOT_ASCII'), { sent: false, retryable: false }],
    ['busy', wsCpMtResponseEnvelope('0', 'System busy, try again later'), { sent: false, retryable: true }],
    ['a Fault', '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>oops</faultstring></S:Fault></S:Body></S:Envelope>', { sent: false, retryable: true }],
    ['not XML', 'Service Unavailable', { sent: false, retryable: true }],
    ['truncated', wsCpMtResponseEnvelope('1', 'OK').slice(0, 120), { sent: false, retryable: true }],
    ['a DOCTYPE', '<!DOCTYPE S [<!ENTITY x "1">]><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><r><result>&x;</result></r></S:Body></S:Envelope>', { sent: false, retryable: true }],
  ])('%s', (_name, xml, verdict) => {
    expect(classifyViettelAnswer(xml)).toMatchObject(verdict);
  });

  it('writes an envelope the reader takes apart, escaping what it carries', () => {
    const call = { User: 'u', Password: 'p<&>', CPCode: 'C', RequestID: 'r', UserID: '84912345678', ReceiverID: '84912345678', ServiceID: 'S', CommandCode: 'bulksms', Content: 'a </Content><x>', ContentType: '0' };
    const soap = readSoap(wsCpMtEnvelope(call));
    expect(soap).toEqual({ operation: 'wsCpMt', fields: expect.objectContaining(call) });
    expect(readSoap('<a><__proto__>x</__proto__></a>')).toBeInstanceOf(Error);
  });
});

describe("ZNS's answers", () => {
  it.each([
    ['sent', { error: 0, message: 'Success', data: { msg_id: 'abc' } }, { kind: 'sent', msgId: 'abc' }],
    ['expired token', { error: -220, message: 'access_token is expired or removed' }, { kind: 'refresh' }],
    ['invalid token', { error: -124, message: 'Access token invalid' }, { kind: 'refresh' }],
    ['not a Zalo user', { error: -118, message: 'Zalo account not existed' }, { kind: 'failed', retryable: false }],
    ['unknown template', { error: -106 }, { kind: 'failed', retryable: false }],
    ['bad parameters', { error: -112 }, { kind: 'failed', retryable: false }],
    ['quota', { error: -110 }, { kind: 'failed', retryable: true }],
    ['unknown code', { error: -9999 }, { kind: 'failed', retryable: true }],
    ['error as a string', { error: '-118' }, { kind: 'failed', retryable: false }],
    ['sent without msg_id', { error: 0 }, { kind: 'failed', retryable: true }],
    ['no error field', { data: {} }, { kind: 'failed', retryable: true }],
  ])('%s', (_name, reply, verdict) => {
    expect(classifyZnsAnswer(JSON.stringify(reply))).toMatchObject(verdict);
  });

  it('retries what is not JSON, and takes the deployment’s own codes', () => {
    expect(classifyZnsAnswer('{"error":')).toMatchObject({ kind: 'failed', retryable: true });
    expect(classifyZnsAnswer('{"error":-5}', { permanent: [-5] })).toMatchObject({ kind: 'failed', retryable: false });
    expect(classifyZnsAnswer('{"error":-5}', { refresh: [-5] })).toMatchObject({ kind: 'refresh' });
  });
});

describe('configuration', () => {
  const vnpt = { provider: 'vnpt', url: 'http://127.0.0.1:1/smsmarketing/api', username: 'U', labelId: '1', contractTypeId: '1', contractId: '1', agentId: '1', apiUser: 'a', apiPass: 'env:VNPT_PASS' };
  it('takes secrets as references only', () => {
    expect(vnptSmsSchema.safeParse(vnpt).success).toBe(true);
    expect(vnptSmsSchema.safeParse({ ...vnpt, apiPass: 'hunter2' }).success).toBe(false);
    expect(zaloConfigSchema.safeParse({ appId: '1', secretKey: 'plain', refreshToken: 'env:R' }).success).toBe(false);
    expect(zaloConfigSchema.parse({ appId: '1', secretKey: 'env:S', refreshToken: 'env:R' })).toMatchObject({ baseUrl: 'https://business.openapi.zalo.me', oauthBaseUrl: 'https://oauth.zaloapp.com' });
  });

  it('picks the unit’s gateway, else the default', () => {
    const config = smsConfigSchema.parse({ default: vnpt, units: { '000.02.01.H99': { provider: 'viettel', url: 'http://127.0.0.1:1/bulkapi', user: 'u', password: 'file:/run/secrets/viettel', cpCode: 'C', serviceId: 'S' } } });
    expect(smsProviderFor(config, '000.02.01.H99').provider).toBe('viettel');
    expect(smsProviderFor(config, '000.01.01.H99').provider).toBe('vnpt');
    expect(smsProviderFor(config, undefined).provider).toBe('vnpt');
    expect(smsProviderFor(config, '__proto__').provider).toBe('vnpt');
    expect(config.operatorPrefixes.viettel).toContain('8486');
  });

  it('maps a text to the VNPT template configured for the trigger, or says what is missing', () => {
    const provider = vnptSmsSchema.parse({ ...vnpt, templates: { received: { templateId: '5', params: ['MaHoSo'] } } });
    expect(vnptTemplateFor({ text: 't', values: { MaHoSo: 'X' } }, 'received', provider)).toEqual({ templateId: '5', params: ['X'] });
    expect(vnptTemplateFor({ text: 't' }, 'received', provider)).toMatch(/MaHoSo/);
    expect(vnptTemplateFor({ text: 't' }, 'accepted', provider)).toMatch(/no VNPT template/);
    expect(vnptTemplateFor({ templateId: '9', params: ['a'] }, 'accepted', provider)).toEqual({ templateId: '9', params: ['a'] });
  });
});
