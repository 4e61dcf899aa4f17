// Who is told, on which channels, and when: the recipient rule, the applicant's consent and the
// quiet hours (domain/notifications/recipient.ts, quiet-hours.ts).
import { describe, expect, it } from 'vitest';
import type { Applicant } from '../../domain/dossier/commands.js';
import { afterQuietHours } from '../../domain/notifications/quiet-hours.js';
import { noticeChannelsFor, noticeRecipient } from '../../domain/notifications/recipient.js';

const applicant: Applicant = { kind: 'citizen', fullName: 'Trần Thị Bình', identityNumber: '038190001234', phone: '0912345678', email: 'binh@example.vn' };
const deployment = { enabled: ['email', 'sms', 'zalo'] as const, defaultChannels: ['sms', 'email'] as const, preferredOnly: false };

describe('the recipient rule', () => {
  it('tells the authorised representative when there is one who can be reached', () => {
    const withRepresentative = { ...applicant, representative: { fullName: 'Lê Văn Cường', phone: '0987654321' } };
    expect(noticeRecipient(withRepresentative)).toEqual({ fullName: 'Lê Văn Cường', phone: '0987654321', representative: true });
    expect(noticeChannelsFor(withRepresentative, deployment)).toEqual(['sms']);
  });

  it('tells the applicant when the representative left no phone or address', () => {
    expect(noticeRecipient({ ...applicant, representative: { fullName: 'Lê Văn Cường' } })).toMatchObject({ fullName: 'Trần Thị Bình', representative: false });
  });
});

describe('consent and channels', () => {
  it('uses the applicant’s own choice, in their order, among the channels the deployment runs', () => {
    expect(noticeChannelsFor({ ...applicant, notices: { channels: ['zalo', 'email'] } }, deployment)).toEqual(['zalo', 'email']);
    expect(noticeChannelsFor({ ...applicant, notices: { channels: ['zalo', 'email'] } }, { ...deployment, enabled: ['email', 'sms'] })).toEqual(['email']);
  });

  it('an empty choice declines every notice; no choice takes the deployment’s default', () => {
    expect(noticeChannelsFor({ ...applicant, notices: { channels: [] } }, deployment)).toEqual([]);
    expect(noticeChannelsFor(applicant, deployment)).toEqual(['sms', 'email']);
  });

  it('skips channels the recipient cannot be reached on, and keeps one when the deployment says so', () => {
    const { email: _email, ...noEmail } = applicant;
    expect(noticeChannelsFor(noEmail, deployment)).toEqual(['sms']);
    expect(noticeChannelsFor(applicant, { ...deployment, preferredOnly: true })).toEqual(['sms']);
  });
});

describe('quiet hours, in Vietnam time', () => {
  const night = { from: '21:00', to: '07:00' };
  it('a notice planned in the evening waits for the next morning', () => {
    expect(afterQuietHours('2026-12-02T15:30:00.000Z', night)).toBe('2026-12-03T00:00:00.000Z');
  });
  it('one planned after midnight waits for the same morning', () => {
    expect(afterQuietHours('2026-12-02T18:00:00.000Z', night)).toBe('2026-12-03T00:00:00.000Z');
  });
  it('one planned in the day goes at once; without quiet hours always', () => {
    expect(afterQuietHours('2026-12-02T03:00:00.000Z', night)).toBe('2026-12-02T03:00:00.000Z');
    expect(afterQuietHours('2026-12-02T15:30:00.000Z', undefined)).toBe('2026-12-02T15:30:00.000Z');
  });
  it('a spell within one day (a lunch break)', () => {
    expect(afterQuietHours('2026-12-02T05:10:00.000Z', { from: '11:30', to: '13:30' })).toBe('2026-12-02T06:30:00.000Z');
  });
  it('refuses a time that is not HH:MM', () => {
    expect(() => afterQuietHours('2026-12-02T15:30:00.000Z', { from: '9pm', to: '07:00' })).toThrow(/HH:MM/);
  });
});
