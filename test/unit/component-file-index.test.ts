// The index of data already held, as a fold of a dossier's events (db/projections/component-file-index.ts):
// approved current files and issued results, keyed by a hash of the applicant that is not the number.
import { describe, expect, it } from 'vitest';
import { applicantHash, indexEntriesOf } from '../../db/projections/component-file-index.js';
import type { DossierEvent } from '../../domain/dossier/events.js';

const applicant = { kind: 'citizen' as const, fullName: 'Nguyễn Văn An', identityNumber: '001090012345' };
const digest = (letter: string) => letter.repeat(64);
const received = { type: 'DossierReceived', schemaVersion: 1, data: { dossierCode: 'D', agencyCode: 'C', procedureCode: '1.004227', channel: 'counter', applicant, receivedAt: '2026-03-02T01:00:00.000Z' } } as unknown as DossierEvent;
const attached = (componentId: string, sha: string, at: string, approved: boolean, replaces?: string) =>
  ({ type: 'ComponentFileAttached', schemaVersion: 1, data: { at, componentId, file: { sha256: sha, size: 10, mediaType: 'application/pdf' }, origin: { kind: 'upload' }, approved, ...(replaces ? { replaces } : {}) } }) as unknown as DossierEvent;
const approvedEvent = (componentId: string, sha: string, at: string) => ({ type: 'ComponentFileApproved', schemaVersion: 1, data: { at, componentId, sha256: sha } }) as unknown as DossierEvent;
const hashOf = (who: { identityNumber: string }) => `h:${who.identityNumber}`;

describe('the index of reusable files', () => {
  it('holds approved current files, from their approval, and drops a replaced one', () => {
    const entries = indexEntriesOf('D', [
      received,
      attached('identity', digest('a'), '2026-03-02T01:01:00.000Z', false),
      attached('identity', digest('b'), '2026-03-02T01:02:00.000Z', true),
      approvedEvent('identity', digest('a'), '2026-03-02T01:03:00.000Z'),
      attached('identity', digest('c'), '2026-03-02T01:04:00.000Z', true, digest('b')),
      attached('application', digest('d'), '2026-03-02T01:05:00.000Z', false),
    ], hashOf);
    expect(entries.map((entry) => [entry.ref, entry.available_at])).toEqual([
      [`identity/${digest('a')}`, '2026-03-02T01:03:00.000Z'],
      [`identity/${digest('c')}`, '2026-03-02T01:04:00.000Z'],
    ]);
    expect(entries[0]).toMatchObject({ applicant_hash: 'h:001090012345', procedure_code: '1.004227', agency_code: 'C', kind: 'file', origin: 'upload' });
  });

  it('holds results in both shapes of ResultIssued', () => {
    const result = (n: number, document: object) => ({ type: 'ResultIssued', schemaVersion: 1, data: { at: `2026-03-0${n}T01:00:00.000Z`, resultCode: `D-KQ${n}`, document, dossierRule: 'on-time', decision766: 'on-time' } }) as unknown as DossierEvent;
    const entries = indexEntriesOf('D', [received, result(1, { reference: 'x', sha256: digest('e') }), result(2, { reference: 'y', sha256: digest('f'), size: 99, mediaType: 'application/pdf' })], hashOf);
    expect(entries.map((entry) => [entry.ref, entry.sha256, entry.size, entry.media_type])).toEqual([
      ['D-KQ1', digest('e'), null, null],
      ['D-KQ2', digest('f'), 99, 'application/pdf'],
    ]);
  });

  it('keys by a keyed hash: not the number, other under another key, the same for the same person', () => {
    const key = 'k'.repeat(32);
    const hash = applicantHash(key, applicant);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(applicant.identityNumber);
    expect(applicantHash(key, { ...applicant, fullName: 'Khác' } as typeof applicant)).toBe(hash);
    expect(applicantHash('j'.repeat(32), applicant)).not.toBe(hash);
    expect(applicantHash(key, { kind: 'organisation', identityNumber: applicant.identityNumber })).not.toBe(hash);
  });

  it('holds nothing for a stream without a reception', () => {
    expect(indexEntriesOf('D', [attached('identity', digest('a'), '2026-03-02T01:01:00.000Z', true)], hashOf)).toEqual([]);
  });
});
