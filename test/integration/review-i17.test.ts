// The issue-17 review's findings, each a test that failed before its fix (and the checks around
// them that held): the Idempotency-Key of a multipart upload covers the file it carries, a refused
// upload leaves its key free for the corrected resend, and who may reach a dossier's files.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../api/auth/token-verifier.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY } from '../support/dossier-fixtures.js';
import { postResult, signedResult } from '../support/signed-result.js';
import { authAs, getJson, postCommand, postJson, receiveDossier, receptionBody, TEST_JWT_SECRET, type TestEngine } from '../support/engine.js';
import { startSitePlanEngine, uniquePdf, uploadComponentFile } from '../support/component-files.js';
import { png } from '../support/file-fixtures.js';

let engine: TestEngine;
let directory: string;
let centre: string;
let office: string;
let otherCentre: string;
let procedureCode: string;
let close: (() => Promise<void>) | undefined;

const reception = () => actor('reception', centre, 'letan.review');
const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.review'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  ({ engine, directory, centre, office, otherCentre, procedureCode, close } = await startSitePlanEngine('review-i17', {
    series: '999117',
    centreName: 'Bộ phận Một cửa rà soát',
    officeName: 'Phòng chuyên môn rà soát',
    otherCentreName: 'Bộ phận Một cửa khác (rà soát)',
    version: 'review-1',
    name: 'Thủ tục thử nghiệm rà soát tệp',
  }));
}, 120_000);
afterAll(() => close?.());

const receive = (): Promise<string> => receiveDossier(engine.url, reception(), centre, procedureCode);

const filesOf = async (code: string) => (await getJson(`${engine.url}/dossiers/${code}/files`, await auditor())).json.items as { sha256: string }[];

describe('an upload under an Idempotency-Key', () => {
  it('a retry with the same key and another file is refused 422 IDEMPOTENCY_KEY_REUSED, not answered with the first file', async () => {
    const code = await receive();
    const headers = { 'idempotency-key': `review-other-file-${code}` };
    const first = await uniquePdf();
    const answered = await uploadComponentFile(engine.url, code, 'application', reception(), first, { headers });
    expect(answered.status, JSON.stringify(answered.json)).toBe(201);
    const second = await uniquePdf();
    const reused = await uploadComponentFile(engine.url, code, 'application', reception(), second, { headers });
    expect([reused.status, reused.json.code, reused.headers.get('idempotent-replayed')]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED', null]);
    // The same file under the same key is the retry: the first answer.
    const retried = await uploadComponentFile(engine.url, code, 'application', reception(), first, { headers });
    expect([retried.status, retried.headers.get('idempotent-replayed'), retried.json]).toEqual([201, 'true', answered.json]);
    expect(JSON.stringify((await filesOf(code)).map((file) => file.sha256)), JSON.stringify({ first: sha256(first), second: sha256(second) })).toEqual(JSON.stringify([sha256(first)]));
  });

  it('a refused file leaves the key free: the corrected resend under the same key is recorded', async () => {
    const code = await receive();
    const headers = { 'idempotency-key': `review-corrected-${code}` };
    // The site plan takes PDFs only: a PNG is refused while it streams.
    const refused = await uploadComponentFile(engine.url, code, 'site-plan', reception(), png(), { headers, filename: 'so-do.png', contentType: 'image/png' });
    expect([refused.status, refused.json.code]).toEqual([415, 'FILE_TYPE_NOT_ACCEPTED']);
    const corrected = await uniquePdf();
    const resent = await uploadComponentFile(engine.url, code, 'site-plan', reception(), corrected, { headers });
    expect([resent.status, resent.headers.get('idempotent-replayed'), resent.json.file?.sha256]).toEqual([201, null, sha256(corrected)]);
  });
});

describe('a result issued under an Idempotency-Key', () => {
  it('a retry with the same key and another signed file is refused 422 IDEMPOTENCY_KEY_REUSED; the same file replays', async () => {
    const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE }), await authAs(actor('reception', CENTRE)));
    const code: string = received.json.dossierCode;
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', CENTRE), { components: completeComponents(BUSINESS_PROCEDURE) })).status).toBe(200);
    expect((await postCommand(`${engine.url}/dossiers/${code}/complete-step`, actor('officer', ECONOMY), { stepId: 'business-registration', outcome: 'approved' })).status).toBe(200);
    const head = actor('head', ECONOMY, 'truongphong.review');
    const headers = { 'idempotency-key': `review-result-${code}` };
    const first = await signedResult(ECONOMY, 'HKD-R1');
    const issued = await postResult(`${engine.url}/dossiers/${code}/issue-result`, head, first, 'HKD-R1', headers);
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    const other = Buffer.concat([Buffer.from(first), Buffer.from('\n% appended after signing\n')]);
    const reused = await postResult(`${engine.url}/dossiers/${code}/issue-result`, head, other, 'HKD-R1', headers);
    expect([reused.status, reused.json.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const retried = await postResult(`${engine.url}/dossiers/${code}/issue-result`, head, first, 'HKD-R1', headers);
    expect([retried.status, retried.json]).toEqual([200, issued.json]);
  });
});

describe("who reaches a dossier's files", () => {
  it('another centre neither lists, downloads nor uploads; a portal token reaches none of the file routes', async () => {
    const code = await receive();
    const pdf = await uniquePdf();
    expect((await uploadComponentFile(engine.url, code, 'application', reception(), pdf)).status).toBe(201);
    const stranger = actor('reception', otherCentre, 'letan.khac');
    const strangerAuth = await authAs(stranger);
    expect((await getJson(`${engine.url}/dossiers/${code}/files`, strangerAuth)).status).toBe(403);
    const download = await fetch(`${engine.url}/dossiers/${code}/files/${sha256(pdf)}`, { headers: strangerAuth });
    expect(download.status).toBe(404);
    expect(((await download.json()) as { detail: string }).detail).not.toContain('scan.pdf');
    const upload = await uploadComponentFile(engine.url, code, 'application', stranger, await uniquePdf());
    expect(upload.status).toBe(403);
    expect((await getJson(`${engine.url}/dossiers/${code}/reusable`, strangerAuth)).status).toBe(403);

    const token = await mintToken(TEST_JWT_SECRET, { sub: 'portal-review', name: 'Cổng thử nghiệm', role: 'portal', portal: 'dvcqg', units: [centre], procedures: ['*'] }, { audience: 'motcua' });
    const portal = { authorization: `Bearer ${token}` };
    expect((await getJson(`${engine.url}/dossiers/${code}/files`, portal)).status).toBe(403);
    expect((await fetch(`${engine.url}/dossiers/${code}/files/${sha256(pdf)}`, { headers: portal })).status).toBe(403);
    expect((await getJson(`${engine.url}/dossiers/${code}/reusable`, portal)).status).toBe(403);
    const form = new FormData();
    form.append('file', new Blob([await uniquePdf()], { type: 'application/pdf' }), 'x.pdf');
    expect((await fetch(`${engine.url}/dossiers/${code}/components/application/files`, { method: 'POST', headers: portal, body: form })).status).toBe(403);
    expect((await filesOf(code)).map((file) => file.sha256)).toEqual([sha256(pdf)]);

    // Who may read it gets the bytes as an attachment that cannot run on the API's origin.
    const own = await fetch(`${engine.url}/dossiers/${code}/files/${sha256(pdf)}`, { headers: await auditor() });
    expect(own.status).toBe(200);
    expect([own.headers.get('content-disposition')?.startsWith('attachment;'), own.headers.get('x-content-type-options'), own.headers.get('content-security-policy')]).toEqual([true, 'nosniff', "default-src 'none'; sandbox"]);
    expect(Buffer.from(await own.arrayBuffer()).equals(pdf)).toBe(true);

    // A file name that climbs out of the store is only a name: the bytes go under their digest, and the
    // download's header carries it encoded, never as a path.
    const climbing = await uniquePdf();
    const escaped = await uploadComponentFile(engine.url, code, 'site-plan', reception(), climbing, { filename: '../../../escaped.pdf' });
    expect(escaped.status, JSON.stringify(escaped.json)).toBe(201);
    for (const place of [directory, path.dirname(directory), path.join(directory, 'staging')]) expect(existsSync(path.join(place, 'escaped.pdf'))).toBe(false);
    expect(existsSync(path.join(directory, sha256(climbing).slice(0, 2), sha256(climbing)))).toBe(true);
    const disposition = (await fetch(`${engine.url}/dossiers/${code}/files/${sha256(climbing)}`, { headers: await auditor() })).headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="escaped\.pdf"; filename\*=UTF-8''escaped\.pdf$/);
  });
});

describe('personal data in the logs', () => {
  it('an online intake and an upload leave no name, identity number, file name or file bytes in a log line', async () => {
    const token = await mintToken(TEST_JWT_SECRET, { sub: 'portal-review-logs', name: 'Cổng thử nghiệm', role: 'portal', portal: 'dvcqg', units: [centre], procedures: ['*'] }, { audience: 'motcua' });
    const pdf = await uniquePdf();
    // Letters, so no timestamp of a log line can hold them by chance.
    const marker = Array.from({ length: 8 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
    const body = {
      portalDossierId: `REVIEW-${marker}-${process.pid}`,
      submittedAt: '2026-12-02T08:15:00+07:00',
      agencyCode: centre,
      procedureCode,
      applicant: { kind: 'citizen', fullName: `Trần Thị Bí Mật ${marker}`, identityNumber: `079${marker}`, phone: '0987654321' },
      components: [{ componentId: 'application', files: [{ name: `don-bi-mat-${marker}.pdf`, contentBase64: pdf.toString('base64') }] }],
    };
    const posted = await postJson(`${engine.url}/intake/dossiers`, body, { authorization: `Bearer ${token}` });
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    const refused = await postJson(`${engine.url}/intake/dossiers`, { ...body, portalDossierId: `${body.portalDossierId}-x`, components: [{ componentId: 'application', files: [{ name: `don-bi-mat-${marker}.pdf`, contentBase64: 'JVBERi0x' }] }] }, { authorization: `Bearer ${token}` });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    // A problem never echoes the applicant's data back.
    expect(JSON.stringify(refused.json)).not.toContain(marker);
    const uploaded = await uploadComponentFile(engine.url, posted.json.dossierCode, 'site-plan', reception(), await uniquePdf(), { filename: `so-do-bi-mat-${marker}.pdf` });
    expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(201);
    for (const secret of [marker, marker.toLowerCase(), 'Bí Mật', 'bi-mat', pdf.toString('base64').slice(0, 40)]) expect(engine.logs.text).not.toContain(secret);
  });
});

describe('a submission with more files than a reception takes', () => {
  it('is refused with a 4xx naming the field, leaves no dossier and no claim, and the corrected resend under the same id is received', async () => {
    const token = await mintToken(TEST_JWT_SECRET, { sub: 'portal-review-many', name: 'Cổng thử nghiệm', role: 'portal', portal: 'dvcqg', units: [centre], procedures: ['*'] }, { audience: 'motcua' });
    const auth = { authorization: `Bearer ${token}` };
    const files = await Promise.all(Array.from({ length: 101 }, async (_, index) => ({ name: `trang-${index}.pdf`, contentBase64: (await uniquePdf()).toString('base64') })));
    const portalDossierId = `REVIEW-MANY-${process.pid}-${Date.now()}`;
    const body = {
      portalDossierId,
      submittedAt: '2026-12-02T08:15:00+07:00',
      agencyCode: centre,
      procedureCode,
      applicant: { kind: 'citizen', fullName: 'Lê Văn Nhiều', identityNumber: '079090011122', phone: '0987654321' },
      components: [
        { componentId: 'application', files: files.slice(0, 20) },
        { componentId: 'application', files: files.slice(20, 40) },
        { componentId: 'application', files: files.slice(40, 60) },
        { componentId: 'application', files: files.slice(60, 80) },
        { componentId: 'application', files: files.slice(80, 100) },
        { componentId: 'application', files: files.slice(100) },
      ],
    };
    const refused = await postJson(`${engine.url}/intake/dossiers`, body, auth);
    expect(refused.status, JSON.stringify(refused.json)).toBeGreaterThanOrEqual(400);
    expect(refused.status, JSON.stringify(refused.json)).toBeLessThan(500);
    expect(refused.json.errors?.[0]?.field, JSON.stringify(refused.json)).toMatch(/^components/);
    expect(await engine.db.selectFrom('portal_submissions').select('dossier_code').where('portal_dossier_id', '=', portalDossierId).execute()).toEqual([]);
    const corrected = await postJson(`${engine.url}/intake/dossiers`, { ...body, components: body.components.slice(0, 1) }, auth);
    expect(corrected.status, JSON.stringify(corrected.json)).toBe(201);
  });
});
