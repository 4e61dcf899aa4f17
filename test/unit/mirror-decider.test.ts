// The mirror push decider (domain/mirror/decide-mirror.ts), its fold, and the report row a mirror
// gives (domain/reporting/mirror-report.ts).
import { describe, expect, it } from 'vitest';
import { decideMirrorPush, type MirrorDecision, type MirrorTarget } from '../../domain/mirror/decide-mirror.js';
import type { MirrorEvent } from '../../domain/mirror/events.js';
import { evolveMirror, foldMirror, newMirror } from '../../domain/mirror/mirror-state.js';
import { type MirrorPush, mirrorPushSchema } from '../../domain/mirror/push.js';
import { mirrorReportOf } from '../../domain/reporting/mirror-report.js';

const CODE = 'G01.BCA-261201-000123';
const context = (now = '2026-12-03T03:00:00.000Z') => ({ dossierCode: CODE, system: 'bca-dichvucong', now });

function push(overrides: Record<string, unknown> = {}): MirrorPush {
  return mirrorPushSchema.parse({
    sourceUpdatedAt: '2026-12-01T09:00:00+07:00',
    procedureCode: '1.001612',
    agencyCode: '000.00.31.H38',
    channel: 'online',
    applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An' },
    submittedAt: '2026-12-01T08:30:00+07:00',
    acceptedAt: '2026-12-01T09:00:00+07:00',
    appointmentAt: '2026-12-08T17:00:00+07:00',
    status: 2,
    progress: [{ at: '2026-12-01T09:00:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận hồ sơ', status: 2 }],
    ...overrides,
  });
}

function eventOf(decision: MirrorDecision): MirrorEvent {
  if (decision.outcome !== 'mirrored' && decision.outcome !== 'updated') throw new Error(`expected an event, got ${decision.outcome}`);
  return decision.event;
}

/** The mirror after these pushes, each decided on the state the previous ones left. */
function after(...pushes: MirrorPush[]): { target: MirrorTarget; events: MirrorEvent[] } {
  let target: MirrorTarget = newMirror(CODE);
  const events: MirrorEvent[] = [];
  for (const [index, each] of pushes.entries()) {
    const event = eventOf(decideMirrorPush(target, each, context(`2026-12-03T0${index}:00:00.000Z`)));
    events.push(event);
    target = evolveMirror(target as Parameters<typeof evolveMirror>[0], event);
  }
  return { target, events };
}

describe('decideMirrorPush', () => {
  it('records the first push whole, as DossierMirrored', () => {
    const decision = decideMirrorPush(newMirror(CODE), push(), context());
    expect(decision.outcome).toBe('mirrored');
    const event = eventOf(decision);
    expect(event.type).toBe('DossierMirrored');
    expect(event.data).toMatchObject({ system: 'bca-dichvucong', sourceUpdatedAt: '2026-12-01T09:00:00+07:00', at: '2026-12-03T03:00:00.000Z', dossierCode: CODE });
    expect(event.type === 'DossierMirrored' && event.data.facts.applicant.fullName).toBe('Nguyễn Văn An');
  });

  it('records nothing for the same push twice, even with its instants written in another offset', () => {
    const { target } = after(push());
    expect(decideMirrorPush(target, push(), context()).outcome).toBe('unchanged');
    expect(decideMirrorPush(target, push({ sourceUpdatedAt: '2026-12-01T02:00:00Z', acceptedAt: '2026-12-01T02:00:00Z' }), context()).outcome).toBe('unchanged');
  });

  it('records a newer revision as MirrorUpdated with only what changed, progress rows appended', () => {
    const { target } = after(push());
    const newer = push({
      sourceUpdatedAt: '2026-12-02T10:00:00+07:00',
      status: 4,
      paidOnline: true,
      progress: [
        { at: '2026-12-01T09:00:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận hồ sơ', status: 2 },
        { at: '2026-12-02T10:00:00+07:00', unitName: 'Phòng CSGT', action: 'Thẩm định', status: 4 },
      ],
    });
    const decision = decideMirrorPush(target, newer, context());
    expect(decision.outcome).toBe('updated');
    const event = eventOf(decision);
    expect(event.type).toBe('MirrorUpdated');
    if (event.type !== 'MirrorUpdated') return;
    expect(event.data.changed).toEqual({ status: 4, paidOnline: true });
    expect(event.data.progressAdded).toEqual([{ at: '2026-12-02T10:00:00+07:00', unitName: 'Phòng CSGT', action: 'Thẩm định', status: 4 }]);
    expect(event.data.previousUpdatedAt).toBe('2026-12-01T09:00:00+07:00');
    const state = evolveMirror(target as Parameters<typeof evolveMirror>[0], event);
    expect(state.status === 'mirrored' && state.facts).toMatchObject({ status: 4, paidOnline: true });
    expect(state.status === 'mirrored' && state.facts.progress).toHaveLength(2);
    expect(state.status === 'mirrored' && state.revisions).toBe(2);
  });

  it('names a fact the source no longer sends with null, and a rewritten history whole', () => {
    const { target } = after(push({ handlingUnitName: 'Phòng CSGT' }));
    const decision = decideMirrorPush(target, push({ sourceUpdatedAt: '2026-12-02T10:00:00+07:00', progress: [{ at: '2026-12-01T09:05:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận', status: 2 }] }), context());
    const event = eventOf(decision);
    expect(event.type === 'MirrorUpdated' && event.data.changed).toEqual({ handlingUnitName: null, progress: [{ at: '2026-12-01T09:05:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận', status: 2 }] });
    const state = evolveMirror(target as Parameters<typeof evolveMirror>[0], event);
    expect(state.status === 'mirrored' && 'handlingUnitName' in state.facts).toBe(false);
  });

  it('refuses an older revision after a newer one, and records nothing', () => {
    const { target } = after(push(), push({ sourceUpdatedAt: '2026-12-02T10:00:00+07:00', status: 4 }));
    const decision = decideMirrorPush(target, push({ status: 2 }), context());
    expect(decision).toMatchObject({ outcome: 'refused', refusal: { code: 'MIRROR_REVISION_STALE', field: 'sourceUpdatedAt' } });
  });

  it('refuses the same revision with other facts', () => {
    const { target } = after(push());
    expect(decideMirrorPush(target, push({ status: 4 }), context())).toMatchObject({ outcome: 'refused', refusal: { code: 'MIRROR_REVISION_CONFLICT' } });
  });

  it('refuses a change of the dossier’s identity: procedure, unit, channel, submission time', () => {
    const { target } = after(push());
    const later = { sourceUpdatedAt: '2026-12-02T10:00:00+07:00' };
    for (const [field, value] of [['procedureCode', '1.001193'], ['agencyCode', '000.00.32.H38'], ['channel', 'counter'], ['submittedAt', '2026-12-01T08:31:00+07:00']] as const) {
      expect(decideMirrorPush(target, push({ ...later, [field]: value }), context())).toMatchObject({ outcome: 'refused', refusal: { code: 'MIRROR_IMMUTABLE_CHANGED', field } });
    }
  });

  it('refuses a code the engine handles itself, and a mirror of another system', () => {
    expect(decideMirrorPush({ status: 'engine-dossier', dossierCode: CODE }, push(), context())).toMatchObject({ outcome: 'refused', refusal: { code: 'MIRROR_CODE_TAKEN' } });
    const { target } = after(push());
    expect(decideMirrorPush(target, push({ sourceUpdatedAt: '2026-12-02T10:00:00+07:00' }), { ...context(), system: 'btp-hotich' })).toMatchObject({ outcome: 'refused', refusal: { code: 'MIRROR_CODE_TAKEN' } });
  });
});

describe('the push schema', () => {
  const errors = (body: Record<string, unknown>) => {
    const result = mirrorPushSchema.safeParse(body);
    return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
  };
  const base = { ...push(), progress: [] } as Record<string, unknown>;

  it('names each field at fault', () => {
    expect(errors({ ...base, status: 11 })).toEqual(['status']);
    expect(errors({ ...base, extra: 1 })).toEqual(['']);
    expect(errors({ ...base, applicant: { kind: 'citizen', fullName: 'An\u0000' } })).toEqual(['applicant.fullName']);
    expect(errors({ ...base, acceptedAt: undefined, status: 4 })).toContain('acceptedAt');
    expect(errors({ ...base, status: 9 })).toEqual(['finishedAt']);
    expect(errors({ ...base, finishedAt: '2026-11-30T08:00:00+07:00' })).toEqual(['finishedAt']);
    expect(errors({ ...base, status: 3, acceptedAt: undefined, appointmentAt: undefined })).toEqual(['refusedAt']);
  });
});

describe('mirrorReportOf', () => {
  it('maps a finished mirror onto the report row, on time by its own dates, marked as mirrored', () => {
    const { events } = after(
      push({ paidOnline: true, feeBearing: true }),
      push({ sourceUpdatedAt: '2026-12-08T16:00:00+07:00', status: 9, finishedAt: '2026-12-08T16:00:00+07:00', eResult: true, digitised: true, paidOnline: true, feeBearing: true }),
    );
    const report = mirrorReportOf(CODE, events)!;
    expect(report.facts).toMatchObject({
      agencyCode: '000.00.31.H38',
      procedureCode: '1.001612',
      channel: 'online',
      registeredAt: '2026-12-01T01:30:00.000Z',
      acceptedAt: '2026-12-01T02:00:00.000Z',
      appointmentAt: '2026-12-08T10:00:00.000Z',
      resolvedAt: '2026-12-08T09:00:00.000Z',
      resolution: 'result',
      dossierRule: 'on-time',
      decision766: 'on-time',
      eResultAt: '2026-12-08T09:00:00.000Z',
      feeBearingFrom: '2026-12-01T02:00:00.000Z',
      paidOnlineAt: '2026-12-01T02:00:00.000Z',
      digitisedAt: '2026-12-01T02:00:00.000Z',
      mirroredFrom: 'bca-dichvucong',
    });
    // Mon 1 Dec 09:00 to Mon 8 Dec 16:00 on the civil-service calendar: five working days and seven office hours.
    expect(report.facts.processingDays).toBeGreaterThan(5);
    expect(report.facts.processingDays).toBeLessThan(6);
    expect(report.openIntervals).toEqual([{ from: '2026-12-01T02:00:00.000Z', to: '2026-12-08T09:00:00.000Z', paused: false, overdueFrom: '2026-12-08T17:00:00.000Z', late766From: '2026-12-08T17:00:00.000Z' }]);
  });

  it('calls a mirror finished after its appointment day late, early when finished a day before', () => {
    const late = after(push({ sourceUpdatedAt: '2026-12-09T08:00:00+07:00', status: 9, finishedAt: '2026-12-09T08:00:00+07:00' }));
    expect(mirrorReportOf(CODE, late.events)!.facts.decision766).toBe('late');
    const early = after(push({ sourceUpdatedAt: '2026-12-05T08:00:00+07:00', status: 10, finishedAt: '2026-12-05T08:00:00+07:00', returnedAt: '2026-12-05T09:00:00+07:00', returnMethod: 'post' }));
    expect(mirrorReportOf(CODE, early.events)!.facts).toMatchObject({ decision766: 'early', returnedAt: '2026-12-05T02:00:00.000Z', returnMethod: 'post' });
  });

  it('keeps an open mirror open, paused from the revision that says it waits for the applicant', () => {
    const { events } = after(push(), push({ sourceUpdatedAt: '2026-12-03T10:00:00+07:00', status: 5 }));
    const report = mirrorReportOf(CODE, events)!;
    expect(report.facts.resolvedAt).toBeNull();
    expect(report.openIntervals).toEqual([
      { from: '2026-12-01T02:00:00.000Z', to: '2026-12-03T03:00:00.000Z', paused: false, overdueFrom: '2026-12-08T17:00:00.000Z', late766From: '2026-12-08T17:00:00.000Z' },
      { from: '2026-12-03T03:00:00.000Z', to: null, paused: true, overdueFrom: null, late766From: null },
    ]);
  });

  it('counts a refusal at reception, with no open interval', () => {
    const { events } = after(push({ status: 3, acceptedAt: undefined, appointmentAt: undefined, refusedAt: '2026-12-01T10:00:00+07:00' }));
    const report = mirrorReportOf(CODE, events)!;
    expect(report.facts).toMatchObject({ acceptedAt: null, refusedAtReceptionAt: '2026-12-01T03:00:00.000Z', resolvedAt: null });
    expect(report.openIntervals).toEqual([]);
  });

  it('folds the same stream to the same state', () => {
    const { events, target } = after(push(), push({ sourceUpdatedAt: '2026-12-02T10:00:00+07:00', status: 4 }));
    expect(foldMirror(newMirror(CODE), events)).toEqual(target);
  });
});
