// The pure helpers of the heads' and auditors' screens: the reporting periods a head picks, Vietnam
// wall-clock instants, and the field-by-field comparison of a dossier's state at two instants.
import { describe, expect, it } from 'vitest';
import { presetPeriod, vietnamInstant, vietnamLocal, vietnamToday } from '../../console/src/pages/head/period.js';
import { diffStates, flatten } from '../../console/src/pages/auditor/state-diff.js';

describe('reporting periods', () => {
  it('takes today in Vietnam, seven hours ahead of UTC', () => {
    expect(vietnamToday(new Date('2026-11-30T16:59:59Z'))).toBe('2026-11-30');
    expect(vietnamToday(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
  });

  it('gives the whole month, quarter and year that hold the day, leap days included', () => {
    expect(presetPeriod('month', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(presetPeriod('month', '2026-12-03')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presetPeriod('quarter', '2026-12-03')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(presetPeriod('quarter', '2026-05-31')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(presetPeriod('year', '2026-07-04')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('reads a date-and-time field as Vietnam time, and back', () => {
    expect(vietnamInstant('')).toBeUndefined();
    expect(vietnamInstant('2026-12-03T08:30')).toBe('2026-12-03T08:30:00+07:00');
    expect(vietnamInstant('2026-12-03T08:30:15')).toBe('2026-12-03T08:30:15+07:00');
    expect(vietnamLocal('2026-12-03T01:30:15.250Z')).toBe('2026-12-03T08:30:15');
  });
});

describe('comparing states', () => {
  it('lays a state out as one line per leaf, empty lists and objects included', () => {
    expect([...flatten({ status: 'received', steps: [], accepted: { at: '2026-12-01', count: 2 }, tags: ['a'], none: null, pause: {} })]).toEqual([
      ['status', 'received'],
      ['steps', '[]'],
      ['accepted.at', '2026-12-01'],
      ['accepted.count', '2'],
      ['tags[0]', 'a'],
      ['none', 'null'],
      ['pause', '{}'],
    ]);
  });

  it('lists the fields added, removed and changed, in path order with numbered items in number order', () => {
    const before = { status: 'received', steps: [{ id: 'a' }], clerk: 'x' };
    const after = { status: 'in-processing', steps: Array.from({ length: 11 }, (_, index) => ({ id: index === 0 ? 'a' : `s${index}` })), accepted: { at: 'now' } };
    const changes = diffStates(before, after);
    expect(changes[0]).toEqual({ field: 'accepted.at', before: null, after: 'now' });
    expect(changes).toContainEqual({ field: 'clerk', before: 'x', after: null });
    expect(changes).toContainEqual({ field: 'status', before: 'received', after: 'in-processing' });
    expect(changes.map((change) => change.field).filter((field) => field.startsWith('steps'))).toEqual(Array.from({ length: 10 }, (_, index) => `steps[${index + 1}].id`));
    expect(diffStates(after, after)).toEqual([]);
  });
});
