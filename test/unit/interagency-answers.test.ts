// The pure parts of the systems' answers: what command each answer becomes
// (domain/interagency/answer-command.ts), the order a lane applies them in
// (domain/interagency/answer-order.ts), and the callback's signature (integrations/interagency/callback-signature.ts).
import { describe, expect, it } from 'vitest';
import { lifecycleCommandSchema } from '../../domain/dossier/commands.js';
import { commandOfAnswer, MAX_NOTE_CHARS, refusalNote } from '../../domain/interagency/answer-command.js';
import { type LaneAnswer, nextInLane } from '../../domain/interagency/answer-order.js';
import { interagencyAnswerSchema } from '../../domain/interagency/answer.js';
import { signAnswerCallback, verifyAnswerCallback } from '../../integrations/interagency/callback-signature.js';
import { answerDigest, canonicalJson } from '../../integrations/interagency/answer-files.js';
import { callbackSecretsOf } from '../../integrations/interagency/inbound-config.js';
import { inboundOf, interagencyConfigSchema } from '../../integrations/interagency/interagency-config.js';

const envelope = { answerId: 'tax-77', dossierCode: '000.00.31.H38-261201-0001', stepId: 'tax-assessment', run: 2, sequence: 3, at: '2026-12-03T09:00:00+07:00' };
const file = { sha256: 'a'.repeat(64), size: 1234, mediaType: 'application/pdf' as const, pages: 1, name: 'thong-bao.pdf' };
const AGENCY = '000.00.15.H38';

const commandOf = (answer: Record<string, unknown>, withFile = false) => {
  const parsed = interagencyAnswerSchema.parse({ ...envelope, ...answer });
  const { file: _bytes, ...rest } = parsed as typeof parsed & { file?: unknown };
  const command = commandOfAnswer('tax', rest, AGENCY, withFile ? { file } : {});
  // Every command made is one the dossier's schema takes as it is.
  expect(lifecycleCommandSchema.parse(command)).toEqual(command);
  return command;
};

describe('commandOfAnswer', () => {
  it('records every answer as the system, at the agency that holds the step, under the answer’s own command id', () => {
    const command = commandOf({ kind: 'progress', status: 'Đã nhận hồ sơ' });
    expect(command).toMatchObject({ commandId: 'interagency/tax/tax-77', actor: { userId: 'system:tax', role: 'interagency', agencyCode: AGENCY }, dossierCode: envelope.dossierCode });
    expect(command).toEqual(expect.objectContaining({ type: 'ReportExternalProgress', stepId: 'tax-assessment', run: 2, status: 'Đã nhận hồ sơ', reportedAt: envelope.at }));
  });

  it('completed: the step approved, with the result file and the registration under the system', () => {
    expect(commandOf({ kind: 'completed', note: 'Đã đăng ký', registration: { number: '123/2026', book: 'Quyển 01' } }, true)).toMatchObject({
      type: 'CompleteStep',
      outcome: 'approved',
      note: 'Đã đăng ký',
      resultFile: file,
      registration: { system: 'tax', number: '123/2026', book: 'Quyển 01' },
    });
    const bare = commandOf({ kind: 'completed' });
    expect(bare).not.toHaveProperty('resultFile');
    expect(bare).not.toHaveProperty('registration');
  });

  it('refused: the step completed as not approved, the reasons and the legal basis in the note', () => {
    const command = commandOf({ kind: 'refused', reasons: ['Thửa đất đang tranh chấp', 'Thiếu bản đồ địa chính'], legalBasis: 'Điều 45 Luật Đất đai 2024' });
    expect(command).toMatchObject({ type: 'CompleteStep', outcome: 'not-approved' });
    const note = (command as { note: string }).note;
    expect(note).toContain('1) Thửa đất đang tranh chấp');
    expect(note).toContain('2) Thiếu bản đồ địa chính');
    expect(note).toContain('Căn cứ pháp lý: Điều 45 Luật Đất đai 2024');
  });

  it('keeps a long refusal within the note’s limit', () => {
    const note = refusalNote(Array.from({ length: 20 }, () => 'x'.repeat(2000)), 'y'.repeat(500));
    expect(note.length).toBe(MAX_NOTE_CHARS);
    expect(note.endsWith('…')).toBe(true);
    expect(refusalNote(['Một lý do'])).toBe('Cơ quan thực hiện không giải quyết. Lý do: Một lý do');
  });

  it('sent-back, supplement, financial obligation and payment become the officers’ commands', () => {
    expect(commandOf({ kind: 'sent-back', reason: 'Sai diện tích' })).toMatchObject({ type: 'SendStepBack', stepId: 'tax-assessment', reason: 'Sai diện tích' });
    expect(commandOf({ kind: 'supplement-requested', missing: [{ description: 'Tờ khai thuế', reason: 'Thiếu chữ ký' }] })).toMatchObject({ type: 'RequestSupplement', missing: [{ description: 'Tờ khai thuế', reason: 'Thiếu chữ ký' }] });
    // A second request during processing needs its reason (domain/dossier/decide-processing.ts): the system gives it.
    const again = commandOf({ kind: 'supplement-requested', missing: [{ description: 'Tờ khai thuế', reason: 'Sai mã số thuế' }], reasonForAnotherRequest: 'Tờ khai bổ sung lần trước vẫn sai mã số thuế' });
    expect(again).toMatchObject({ type: 'RequestSupplement', reasonForAnotherRequest: 'Tờ khai bổ sung lần trước vẫn sai mã số thuế' });
    expect(commandOf({ kind: 'supplement-requested', missing: [{ description: 'Tờ khai thuế', reason: 'Thiếu chữ ký' }] })).not.toHaveProperty('reasonForAnotherRequest');
    expect(commandOf({ kind: 'financial-obligation', noticeNumber: 'TB-01', amountVnd: 1_500_000, dueDate: '2026-12-20' }, true)).toMatchObject({ type: 'RequestFinancialObligation', noticeNumber: 'TB-01', amountVnd: 1_500_000, dueDate: '2026-12-20', noticeFile: file });
    const payment = commandOf({ kind: 'payment-receipt', receiptNumber: 'BL-9', amountVnd: 1_500_000, paidAt: '2026-12-05T10:00:00+07:00', method: 'bank-transfer' }, true);
    expect(payment).toMatchObject({ type: 'RecordPayment', receiptNumber: 'BL-9', amountVnd: 1_500_000, method: 'bank-transfer', paidAt: '2026-12-05T10:00:00+07:00', receiptFile: file });
    expect(payment).not.toHaveProperty('stepId');
  });
});

describe('nextInLane', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 11, 3, 2, minutes));
  const row = (answerId: string, sequence: number, status: LaneAnswer['status'], receivedMinute = 0): LaneAnswer => ({ answerId, sequence, status, receivedAt: at(receivedMinute) });
  const HOLD = 10 * 60_000;

  it('applies the next sequence after the highest applied or refused', () => {
    expect(nextInLane([row('a', 1, 'pending')], at(0), HOLD)).toMatchObject({ kind: 'apply', answer: { answerId: 'a' }, late: false });
    expect(nextInLane([row('a', 1, 'applied'), row('b', 2, 'refused'), row('c', 3, 'pending')], at(0), HOLD)).toMatchObject({ kind: 'apply', answer: { answerId: 'c' } });
    expect(nextInLane([row('a', 1, 'applied')], at(0), HOLD)).toEqual({ kind: 'idle' });
  });

  it('holds an answer whose predecessor has not arrived, then applies it once the hold has passed', () => {
    const rows = [row('b', 2, 'pending', 0), row('c', 3, 'pending', 1)];
    expect(nextInLane(rows, at(9), HOLD)).toMatchObject({ kind: 'hold', answers: [{ answerId: 'b' }, { answerId: 'c' }], until: at(10) });
    expect(nextInLane(rows, at(10), HOLD)).toMatchObject({ kind: 'apply', answer: { answerId: 'b' }, late: true });
    // The predecessor arrives: it goes first, and the held one follows.
    expect(nextInLane([...rows, row('a', 1, 'pending', 5)], at(5), HOLD)).toMatchObject({ kind: 'apply', answer: { answerId: 'a' } });
  });

  it('applies a predecessor that came after its successors were applied past the hold, marked late', () => {
    expect(nextInLane([row('b', 2, 'applied'), row('c', 3, 'applied'), row('a', 1, 'pending', 20)], at(20), HOLD)).toMatchObject({ kind: 'apply', answer: { answerId: 'a' }, late: true });
  });

  it('does not apply a sequence twice from two answer ids', () => {
    expect(nextInLane([row('a', 1, 'applied'), row('a2', 1, 'pending')], at(0), HOLD)).toEqual({ kind: 'duplicate', answer: row('a2', 1, 'pending'), of: 'a' });
  });
});

describe('the callback signature', () => {
  const secret = 'land-registry-callback-secret';
  const body = Buffer.from(JSON.stringify({ answers: [{ answerId: 'x' }] }));
  const now = 1_796_000_000;

  it('verifies what it signed, within 300 s either way', () => {
    expect(verifyAnswerCallback(secret, signAnswerCallback(secret, body, now), body, now)).toEqual({ ok: true });
    expect(verifyAnswerCallback(secret, signAnswerCallback(secret, body, now - 300), body, now)).toEqual({ ok: true });
    expect(verifyAnswerCallback(secret, signAnswerCallback(secret, body, now + 300), body, now)).toEqual({ ok: true });
  });

  it('refuses a wrong secret, a tampered body, an expired or future time, a missing or malformed header', () => {
    expect(verifyAnswerCallback(secret, signAnswerCallback('other-secret', body, now), body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyAnswerCallback(secret, signAnswerCallback(secret, body, now), Buffer.concat([body, Buffer.from(' ')]), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyAnswerCallback(secret, signAnswerCallback(secret, body, now - 301), body, now)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAnswerCallback(secret, signAnswerCallback(secret, body, now + 301), body, now)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAnswerCallback(secret, undefined, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyAnswerCallback(secret, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    // The time is part of what is signed: moving it breaks the signature.
    const moved = signAnswerCallback(secret, body, now).replace(`t=${now}`, `t=${now + 1}`);
    expect(verifyAnswerCallback(secret, moved, body, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('takes several v1 values, Stripe-style, and accepts the header when any of them matches', () => {
    const v1 = (key: string) => signAnswerCallback(key, body, now).split(',v1=')[1]!;
    expect(verifyAnswerCallback(secret, `t=${now},v1=${v1('old-secret')},v1=${v1(secret)}`, body, now)).toEqual({ ok: true });
    expect(verifyAnswerCallback(secret, `t=${now},v1=${v1(secret)},v1=${v1('old-secret')}`, body, now)).toEqual({ ok: true });
    expect(verifyAnswerCallback(secret, `t=${now},v1=${v1('old-secret')},v1=${v1('other')}`, body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyAnswerCallback(secret, `t=${now},v1=${v1(secret)},v1=zz`, body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAnswerCallback(secret, `t=${now}${`,v1=${v1(secret)}`.repeat(5)}`, body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAnswerCallback(secret, `t=${now},t=${now},v1=${v1(secret)}`, body, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts the previous secret while the configuration keeps it during a rotation, and refuses it once removed', () => {
    const env = { LAND_TOKEN: 't', LAND_NEW: 'new-secret', LAND_OLD: 'old-secret' };
    const land = { baseUrl: 'http://127.0.0.1:7301', token: 'env:LAND_TOKEN', answers: 'callback', callbackSecret: 'env:LAND_NEW' };
    const rotating = inboundOf(interagencyConfigSchema.parse({ systems: { 'land-registry': { ...land, previousCallbackSecret: 'env:LAND_OLD' } } }), env).systems['land-registry']!;
    expect(callbackSecretsOf(rotating)).toEqual(['new-secret', 'old-secret']);
    expect(verifyAnswerCallback(callbackSecretsOf(rotating), signAnswerCallback('old-secret', body, now), body, now)).toEqual({ ok: true });
    expect(verifyAnswerCallback(callbackSecretsOf(rotating), signAnswerCallback('new-secret', body, now), body, now)).toEqual({ ok: true });
    const done = inboundOf(interagencyConfigSchema.parse({ systems: { 'land-registry': land } }), env).systems['land-registry']!;
    expect(callbackSecretsOf(done)).toEqual(['new-secret']);
    expect(verifyAnswerCallback(callbackSecretsOf(done), signAnswerCallback('old-secret', body, now), body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyAnswerCallback(callbackSecretsOf(done), signAnswerCallback('new-secret', body, now), body, now)).toEqual({ ok: true });
    // A previous secret that cannot be read fails the start, naming the setting.
    expect(() => inboundOf(interagencyConfigSchema.parse({ systems: { 'land-registry': { ...land, previousCallbackSecret: 'env:LAND_GONE' } } }), env)).toThrow(/previousCallbackSecret/);
  });

  it('is the HMAC-SHA256 of "<t>.<raw body>", as the docs compute it with openssl', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', secret).update(`${now}.${body.toString()}`).digest('hex');
    expect(signAnswerCallback(secret, body, now)).toBe(`t=${now},v1=${expected}`);
  });
});

describe('an answer’s digest', () => {
  it('does not depend on the order of keys, and changes with any content', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    const answer = interagencyAnswerSchema.parse({ ...envelope, kind: 'progress', status: 'A' });
    const reordered = interagencyAnswerSchema.parse(Object.fromEntries(Object.entries({ ...envelope, kind: 'progress', status: 'A' }).reverse()));
    expect(answerDigest(reordered)).toBe(answerDigest(answer));
    expect(answerDigest({ ...answer, status: 'B' } as typeof answer)).not.toBe(answerDigest(answer));
  });
});
