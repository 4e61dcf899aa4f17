// The e-mail and notices sections of the outbox configuration, as loaded at start-up.
import { describe, expect, it } from 'vitest';
import { emailConfigSchema } from '../../integrations/notifications/email-config.js';
import { noticesConfigSchema, paymentLinkOf, paymentRequestLinkOf } from '../../integrations/notifications/notices-config.js';

const minimal = { host: 'smtp.hoabinh.gov.vn', from: { address: 'motcua@hoabinh.gov.vn', name: 'Bộ phận Một cửa' } };

describe('the e-mail configuration', () => {
  it('defaults to submission with STARTTLS required and a 30 s deadline', () => {
    expect(emailConfigSchema.parse(minimal)).toMatchObject({ port: 587, secure: false, requireTLS: true, timeoutMs: 30_000 });
  });

  it('takes the password as a secret reference, never the secret itself', () => {
    expect(emailConfigSchema.safeParse({ ...minimal, auth: { user: 'motcua', password: 'env:SMTP_PASSWORD' } }).success).toBe(true);
    const literal = emailConfigSchema.safeParse({ ...minimal, auth: { user: 'motcua', password: 'hunter2' } });
    expect(literal.success).toBe(false);
    expect(JSON.stringify(literal.error?.issues)).toContain('secret reference');
  });

  it('refuses a sender name that could break the From header, an unknown key, a unit code that is not one', () => {
    expect(emailConfigSchema.safeParse({ ...minimal, from: { address: 'a@b.vn', name: 'A\r\nBcc: x@y.vn' } }).success).toBe(false);
    expect(emailConfigSchema.safeParse({ ...minimal, pasword: 'x' }).success).toBe(false);
    expect(emailConfigSchema.safeParse({ ...minimal, units: { 'xã Hòa Bình': { from: minimal.from } } }).success).toBe(false);
    expect(emailConfigSchema.safeParse({ ...minimal, units: { '000.01.01.H99': { from: minimal.from } } }).success).toBe(true);
  });
});

describe('the notices configuration', () => {
  it('a payment link only when configured, with the dossier code and notice number encoded', () => {
    expect(paymentLinkOf(noticesConfigSchema.parse({}))).toBeUndefined();
    const config = noticesConfigSchema.parse({ paymentLink: 'https://thanhtoan.example.vn/ho-so/{maHoSo}?tb={soThongBao}' });
    expect(paymentLinkOf(config)!('000.01.01.H99-261202-0001', 'TB/01 A')).toBe('https://thanhtoan.example.vn/ho-so/000.01.01.H99-261202-0001?tb=TB%2F01%20A');
  });

  it('refuses a payment link with another placeholder or another scheme', () => {
    expect(noticesConfigSchema.safeParse({ paymentLink: 'https://pay.example.vn/{hoTen}' }).success).toBe(false);
    expect(noticesConfigSchema.safeParse({ paymentLink: 'javascript:alert(1)' }).success).toBe(false);
  });

  it("a payment request's page only when configured, with the dossier code and the reference encoded; no other placeholder", () => {
    expect(paymentRequestLinkOf(noticesConfigSchema.parse({}))).toBeUndefined();
    const config = noticesConfigSchema.parse({ paymentRequestLink: 'https://dvc.example.vn/tra-cuu/{maHoSo}/thanh-toan/{maThanhToan}' });
    expect(paymentRequestLinkOf(config)!('000.01.01.H99-261202-0001', 'dvc0000101H992612020001v3')).toBe('https://dvc.example.vn/tra-cuu/000.01.01.H99-261202-0001/thanh-toan/dvc0000101H992612020001v3');
    expect(noticesConfigSchema.safeParse({ paymentRequestLink: 'https://dvc.example.vn/{soThongBao}' }).success).toBe(false);
    expect(noticesConfigSchema.safeParse({ paymentRequestLink: 'ftp://dvc.example.vn/{maHoSo}' }).success).toBe(false);
  });
});
