import { describe, expect, it } from 'vitest';
import type { Applicant } from '../../domain/dossier/commands.js';
import type { DossierEvent, DossierReceived } from '../../domain/dossier/events.js';
import { evolveDossier, isReceived, newDossier } from '../../domain/dossier/state.js';
import { afterQuietHours } from '../../domain/notifications/quiet-hours.js';
import { deliveryKey } from '../../domain/outbox/deliveries.js';
import { type DeliveryPolicy, planDeliveries } from '../../domain/outbox/plan-deliveries.js';

// What one event calls for outside the engine: the pure rules of the outbox's planner.
const CODE = '000.01.01.H99-261202-0001';
const APPLICANT: Applicant = { kind: 'citizen', fullName: 'Lê Văn Cường', identityNumber: '001090012345', phone: '0912345678', email: 'cuong@example.vn' };
const RECEIVED: DossierReceived = {
  type: 'DossierReceived',
  schemaVersion: 1,
  data: { dossierCode: CODE, agencyCode: '000.01.01.H99', procedureCode: '1.001193', channel: 'online', applicant: APPLICANT, receivedAt: '2026-12-02T02:15:00.000Z' },
};
const POLICY: DeliveryPolicy = { portal: true, notices: { enabled: ['sms', 'email', 'zalo'], defaultChannels: ['sms', 'email'], preferredOnly: true } };

const plan = (event: DossierEvent, options: { policy?: DeliveryPolicy; applicant?: Applicant; committedAt?: string } = {}) =>
  planDeliveries(
    {
      dossierCode: CODE,
      sequence: event.type === 'DossierReceived' ? 1 : 2,
      event,
      before: event.type === 'DossierReceived' ? undefined : (() => { const state = evolveDossier(newDossier(CODE), RECEIVED); return isReceived(state) ? state : undefined; })(),
      applicant: options.applicant ?? APPLICANT,
      // 10:00 in Hà Nội.
      committedAt: options.committedAt ?? '2026-12-02T03:00:00.000Z',
    },
    options.policy ?? POLICY,
  );

describe('the deliveries an event calls for', () => {
  it('syncs the reception to the portal and tells the applicant once, on their preferred channel, under keys made of the event and the receiver', () => {
    expect(plan(RECEIVED)).toEqual([
      { key: `portal/${CODE}/1/status`, receiver: 'portal', dossierCode: CODE, sequence: 1, eventType: 'DossierReceived', trigger: 'status' },
      { key: `sms/${CODE}/1/received`, receiver: 'sms', dossierCode: CODE, sequence: 1, eventType: 'DossierReceived', trigger: 'received' },
    ]);
    expect(deliveryKey('email', CODE, 7, 'apology')).toBe(`email/${CODE}/7/apology`);
    // A Message-ID's left part (RFC 5322 dot-atom): no colon, no space, no angle bracket.
    expect(deliveryKey('email', CODE, 7, 'apology')).toMatch(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/);
  });

  it('follows the applicant’s own choice and order, or their refusal of every notice', () => {
    const zaloFirst = plan(RECEIVED, { applicant: { ...APPLICANT, notices: { channels: ['zalo', 'email'] } } });
    expect(zaloFirst.filter((delivery) => delivery.receiver !== 'portal').map((delivery) => delivery.receiver)).toEqual(['zalo']);
    const none = plan(RECEIVED, { applicant: { ...APPLICANT, notices: { channels: [] } } });
    expect(none.map((delivery) => delivery.receiver)).toEqual(['portal']);
    const every = plan(RECEIVED, { policy: { ...POLICY, notices: { ...POLICY.notices, preferredOnly: false } } });
    expect(every.map((delivery) => delivery.receiver)).toEqual(['portal', 'sms', 'email']);
  });

  it('writes to the authorised representative, on the channels they can be reached on', () => {
    const represented: Applicant = { ...APPLICANT, representative: { fullName: 'Phạm Thị Dung', email: 'dung@example.vn' } };
    expect(plan(RECEIVED, { applicant: represented }).map((delivery) => delivery.receiver)).toEqual(['portal', 'email']);
  });

  it('skips channels the deployment does not run and applicants cannot be reached on, and triggers it switched off', () => {
    const noContact: Applicant = { kind: 'citizen', fullName: 'Lê Văn Cường', identityNumber: '001090012345' };
    expect(plan(RECEIVED, { applicant: noContact }).map((delivery) => delivery.receiver)).toEqual(['portal']);
    expect(plan(RECEIVED, { policy: { portal: false, notices: { ...POLICY.notices, enabled: ['email'] } } }).map((delivery) => delivery.receiver)).toEqual(['email']);
    expect(plan(RECEIVED, { policy: { ...POLICY, notices: { ...POLICY.notices, disabledTriggers: ['received'] } } }).map((delivery) => delivery.receiver)).toEqual(['portal']);
  });

  it('tells the portal of every status change but not of alerts; tells the citizen only what concerns them', () => {
    const alert: DossierEvent = { type: 'DeadlineAlerted', schemaVersion: 1, data: { at: '2026-12-03T01:00:00.000Z', scope: { kind: 'dossier' }, alert: 'due-soon', due: '2026-12-04T10:00:00.000Z', agencyCode: '000.01.01.H99' } };
    expect(plan(alert)).toEqual([]);
    const refused: DossierEvent = { type: 'DossierRefusedAtReception', schemaVersion: 1, data: { at: '2026-12-02T03:00:00.000Z', reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 61/2018/NĐ-CP' } };
    expect(plan(refused).map((delivery) => `${delivery.receiver}:${delivery.trigger}`)).toEqual(['portal:status', 'sms:refused']);
  });

  it('holds an SMS planned in the quiet hours until they end, and sends e-mail at once', () => {
    // 22:30 in Hà Nội: the SMS waits until 07:00 the next morning.
    const late = plan(RECEIVED, { committedAt: '2026-12-02T15:30:00.000Z', policy: { ...POLICY, notices: { ...POLICY.notices, preferredOnly: false, quietHours: { sms: { from: '21:00', to: '07:00' } } } } });
    expect(late.find((delivery) => delivery.receiver === 'sms')?.notBefore).toBe('2026-12-03T00:00:00.000Z');
    expect(late.find((delivery) => delivery.receiver === 'email')?.notBefore).toBeUndefined();
  });
});

describe('quiet hours', () => {
  const night = { from: '21:00', to: '07:00' };
  it.each([
    ['before midnight', '2026-12-02T15:30:00.000Z', '2026-12-03T00:00:00.000Z'],
    ['after midnight', '2026-12-02T19:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    ['at their end', '2026-12-03T00:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    ['in the day', '2026-12-02T05:00:00.000Z', '2026-12-02T05:00:00.000Z'],
    ['at their start', '2026-12-02T14:00:00.000Z', '2026-12-03T00:00:00.000Z'],
  ])('%s', (_label, at, expected) => {
    expect(afterQuietHours(at, night)).toBe(expected);
  });
  it('within one day (a lunch break), and none at all', () => {
    expect(afterQuietHours('2026-12-02T05:30:00.000Z', { from: '12:00', to: '13:30' })).toBe('2026-12-02T06:30:00.000Z');
    expect(afterQuietHours('2026-12-02T15:30:00.000Z', undefined)).toBe('2026-12-02T15:30:00.000Z');
  });
  it('refuses a time that is not HH:MM', () => {
    expect(() => afterQuietHours('2026-12-02T15:30:00.000Z', { from: '9pm', to: '07:00' })).toThrow(/HH:MM/);
  });
});
