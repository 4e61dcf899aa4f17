// GET /dossiers by the applicant: a part of the name without its marks, or the whole identity
// number, whose keyed hash is all the summary holds (db/projections/applicant-search.ts). Hostile
// queries get a 400 naming the field; the values never reach the logs; staff find only the
// dossiers their agency takes part in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildApplicantSearch } from '../../db/projections/applicant-search.js';
import { authAs, getJson, postJson, receptionBody, startTestEngine, TEST_APPLICANT_KEY, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'applicant-search' });
});
afterAll(() => engine?.close());

const desk = (agencyCode: string) => authAs({ userId: `letan@${agencyCode}`, role: 'reception', agencyCode });

async function receive(agencyCode: string, applicant: { fullName: string; identityNumber: string; kind?: 'citizen' | 'organisation' }): Promise<string> {
  const body = receptionBody(agencyCode);
  const created = await postJson(`${engine.url}/dossiers`, { ...body, applicant: { ...body.applicant, kind: applicant.kind ?? 'citizen', fullName: applicant.fullName, identityNumber: applicant.identityNumber } }, await desk(agencyCode));
  expect(created.status).toBe(201);
  return created.json.dossierCode as string;
}

const codesOf = (answer: { json: { items: { dossierCode: string }[] } }) => answer.json.items.map((item) => item.dossierCode).sort();

describe('looking a dossier up by its applicant', () => {
  it('finds by a part of the name typed without marks or case, and by the whole identity number', async () => {
    const centre = await engine.newCentre();
    const an = await receive(centre, { fullName: 'Nguyễn Văn An', identityNumber: '001090099001' });
    const anh = await receive(centre, { fullName: 'Đặng Thị Ánh', identityNumber: '001190099002' });
    const company = await receive(centre, { fullName: 'Công ty TNHH An Phát', identityNumber: '0101234567-001', kind: 'organisation' });
    const headers = await desk(centre);
    const byName = (name: string) => getJson(`${engine.url}/dossiers?applicantName=${encodeURIComponent(name)}`, headers);

    expect(codesOf(await byName('nguyen van an'))).toEqual([an]);
    expect(codesOf(await byName('NGUYỄN  VĂN'))).toEqual([an]);
    expect(codesOf(await byName('dang thi'))).toEqual([anh]);
    expect(codesOf(await byName('an'))).toEqual([an, anh, company].sort());
    expect(codesOf(await byName('an phat'))).toEqual([company]);
    expect(codesOf(await byName('Trần Văn Bình'))).toEqual([]);

    const byId = (id: string) => getJson(`${engine.url}/dossiers?applicantId=${encodeURIComponent(id)}`, headers);
    expect(codesOf(await byId('001090099001'))).toEqual([an]);
    expect(codesOf(await byId('0101234567-001'))).toEqual([company]);
    // The whole number: a part of it finds nothing (only its hash is stored).
    expect(codesOf(await byId('00109009'))).toEqual([]);
    // Combined with the other filters.
    expect(codesOf(await getJson(`${engine.url}/dossiers?applicantName=an&status=received&applicantId=001190099002`, headers))).toEqual([anh]);

    // The summary holds the number's hash, never the number; the logs hold neither the name nor the number.
    const row = await engine.db.selectFrom('dossier_summary').select(['applicant_id_hash', 'applicant_name_folded']).where('dossier_code', '=', an).executeTakeFirstOrThrow();
    expect(row.applicant_id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.applicant_name_folded).toBe('nguyen van an');
    expect(engine.logs.text).not.toContain('001090099001');
    expect(engine.logs.text).not.toContain('nguyen van an');
  });

  it('shows another centre none of its applicants', async () => {
    const mine = await engine.newCentre();
    const theirs = await engine.newCentre();
    await receive(theirs, { fullName: 'Lê Thị Riêng', identityNumber: '001190099077' });
    expect(codesOf(await getJson(`${engine.url}/dossiers?applicantName=le%20thi%20rieng`, await desk(mine)))).toEqual([]);
    expect(codesOf(await getJson(`${engine.url}/dossiers?applicantId=001190099077`, await desk(mine)))).toEqual([]);
    expect((await getJson(`${engine.url}/dossiers?applicantId=001190099077`, await desk(theirs))).json.items).toHaveLength(1);
  });

  it('refuses hostile or malformed queries with the field at fault', async () => {
    const centre = await engine.newCentre();
    await receive(centre, { fullName: 'Phạm Văn Tư', identityNumber: '001090099004' });
    const headers = await desk(centre);
    for (const [query, field] of [
      ['applicantName=%25', 'querystring.applicantName'],
      ['applicantName=_%25', 'querystring.applicantName'],
      ["applicantName=a'%20OR%201=1--", 'querystring.applicantName'],
      ['applicantName=x', 'querystring.applicantName'],
      [`applicantName=${'a'.repeat(101)}`, 'querystring.applicantName'],
      ['applicantName=an%00', 'querystring.applicantName'],
      ['applicantName=%3Cscript%3E', 'querystring.applicantName'],
      ['applicantId=123', 'querystring.applicantId'],
      ["applicantId=001090099004'--", 'querystring.applicantId'],
      ['applicantId=%25', 'querystring.applicantId'],
      [`applicantId=${'1'.repeat(21)}`, 'querystring.applicantId'],
    ] as const) {
      const answer = await getJson(`${engine.url}/dossiers?${query}`, headers);
      expect(answer.status, query).toBe(400);
      expect(answer.json.errors.map((error: { field: string }) => error.field), query).toContain(field);
    }
    // A backslash or a quote that the name pattern allows is a character, not SQL or a LIKE escape.
    expect((await getJson(`${engine.url}/dossiers?applicantName=${encodeURIComponent('van "tu')}`, headers)).status).toBe(200);
  });

  it('fills the hash of dossiers from before the column with the rebuild', async () => {
    const centre = await engine.newCentre();
    const code = await receive(centre, { fullName: 'Hoàng Văn Cũ', identityNumber: '001090099005' });
    await engine.db.updateTable('dossier_summary').set({ applicant_id_hash: null }).where('dossier_code', '=', code).execute();
    const headers = await desk(centre);
    expect(codesOf(await getJson(`${engine.url}/dossiers?applicantId=001090099005`, headers))).toEqual([]);
    await rebuildApplicantSearch(engine.db, TEST_APPLICANT_KEY);
    expect(codesOf(await getJson(`${engine.url}/dossiers?applicantId=001090099005`, headers))).toEqual([code]);
  });
});
