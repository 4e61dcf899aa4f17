// A dossier's component files end to end, on the real PostgreSQL and Temporal with a directory
// document store: upload at reception (PDF, JPEG), every refusal answered with its rule and leaving
// the dossier's log as it was, a replacement, the approval that digitises a component, an upload
// with a supplement during processing, the list, and the download for each role.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, getJson, postCommand, receiveDossier, type TestEngine } from '../support/engine.js';
import { approveComponentFile, digitiseComponent, startSitePlanEngine, uniquePdf, uploadComponentFile } from '../support/component-files.js';
import { projectReportsPast } from '../support/report-projection.js';
import { formatIsoDate, vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import { encryptedPdf, jpeg, pdfOf, png } from '../support/file-fixtures.js';

let engine: TestEngine;
let centre: string;
let office: string;
let otherCentre: string;
let procedureCode: string;
let close: (() => Promise<void>) | undefined;

const reception = () => actor('reception', centre, 'letan.hoa');
const head = () => actor('head', centre, 'truong.bophan');

beforeAll(async () => {
  ({ engine, centre, office, otherCentre, procedureCode, close } = await startSitePlanEngine('dossier-files', {
    series: '999017',
    centreName: 'Bộ phận Một cửa thử nghiệm tệp',
    officeName: 'Phòng chuyên môn thử nghiệm tệp',
    otherCentreName: 'Bộ phận Một cửa khác',
    version: 'files-1',
    name: 'Thủ tục thử nghiệm thành phần hồ sơ điện tử',
  }));
}, 120_000);
afterAll(() => close?.());

const receive = (): Promise<string> => receiveDossier(engine.url, reception(), centre, procedureCode);

const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.tep'));
const versionOf = async (code: string): Promise<number> => (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json.streamVersion;
const filesOf = async (code: string) => (await getJson(`${engine.url}/dossiers/${code}/files`, await auditor())).json.items as any[];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const stored = async (digest: string) => (await engine.db.selectFrom('documents').select('sha256').where('sha256', '=', digest).executeTakeFirst()) !== undefined;

describe('uploading at reception', () => {
  it('stores a PDF and a JPEG, records them on their component, lists them and gives them back', async () => {
    const code = await receive();
    const pdf = await uniquePdf();
    const name = 'Đơn đề nghị (bản 1).pdf';
    const uploaded = await uploadComponentFile(engine.url, code, 'application', reception(), pdf, { filename: name, fields: { sha256: sha256(pdf) } });
    expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(201);
    expect(uploaded.json).toMatchObject({
      dossierCode: code,
      status: 'received',
      streamVersion: 2,
      file: { componentId: 'application', componentName: 'Đơn đề nghị', sha256: sha256(pdf), size: pdf.length, mediaType: 'application/pdf', pages: 1, origin: { kind: 'upload' }, approved: false, href: `/dossiers/${code}/files/${sha256(pdf)}` },
    });
    expect(uploaded.headers.get('location')).toBe(`/dossiers/${code}/files/${sha256(pdf)}`);
    expect(uploaded.headers.get('etag')).toBe('"2"');

    const photo = Buffer.concat([jpeg(), Buffer.from(crypto.randomUUID())]);
    const approvedAsAttached = await uploadComponentFile(engine.url, code, 'application', head(), photo, { filename: 'anh-chup.jpg', contentType: 'image/jpeg', fields: { approve: 'true' } });
    expect(approvedAsAttached.status, JSON.stringify(approvedAsAttached.json)).toBe(201);
    expect(approvedAsAttached.json.file).toMatchObject({ mediaType: 'image/jpeg', approved: true, approvedBy: { userId: 'truong.bophan', role: 'head' } });

    // A retry under the same Idempotency-Key gets the first answer; a stale If-Match is refused.
    const keyed = await uniquePdf();
    const headers = { 'idempotency-key': `upload-${code}` };
    const first = await uploadComponentFile(engine.url, code, 'site-plan', reception(), keyed, { headers });
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const retried = await uploadComponentFile(engine.url, code, 'site-plan', reception(), keyed, { headers });
    expect([retried.status, retried.headers.get('idempotent-replayed'), retried.json]).toEqual([201, 'true', first.json]);
    const stale = await uploadComponentFile(engine.url, code, 'site-plan', reception(), await uniquePdf(), { headers: { 'if-match': '"2"' } });
    expect([stale.status, stale.json.code]).toEqual([409, 'STREAM_VERSION_MISMATCH']);
    expect(await versionOf(code)).toBe(4);

    const files = (await filesOf(code)).filter((file) => file.componentId === 'application');
    expect(files.map((file) => [file.componentId, file.mediaType, file.name, file.approved, file.attachedBy.userId])).toEqual([
      ['application', 'application/pdf', 'Đơn đề nghị (bản 1).pdf', false, 'letan.hoa'],
      ['application', 'image/jpeg', 'anh-chup.jpg', true, 'truong.bophan'],
    ]);

    const download = await fetch(`${engine.url}/dossiers/${code}/files/${sha256(pdf)}`, { headers: await authAs(reception()) });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    expect(Object.fromEntries(['content-type', 'content-length', 'etag', 'x-content-type-options', 'cache-control'].map((header) => [header, download.headers.get(header)]))).toEqual({
      'content-type': 'application/pdf',
      'content-length': String(pdf.length),
      etag: `"${sha256(pdf)}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=31536000, immutable',
    });
    // RFC 6266: an ASCII fallback and the name itself percent-encoded; never a raw quote or line break.
    const disposition = download.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('Đơn đề nghị (bản 1).pdf');
    // The file's name is personal data: the logs never hold it.
    expect(engine.logs.text).not.toContain('bản 1');
    expect(engine.logs.text).not.toContain('anh-chup');
  });

  it('refuses each bad upload with the rule that refused it, and records nothing', async () => {
    const code = await receive();
    const before = await versionOf(code);
    const uniquePng = Buffer.concat([png(), Buffer.from(crypto.randomUUID())]);
    const bigPdf = Buffer.concat([await pdfOf(1), Buffer.from(`%${'x'.repeat(5000)}\n`)]);
    const twoPages = Buffer.concat([await pdfOf(2), Buffer.from(`% ${crypto.randomUUID()}\n`)]);
    const notAPdf = Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog ${crypto.randomUUID()}`);
    const encrypted = Buffer.concat([await encryptedPdf(), Buffer.from(`% ${crypto.randomUUID()}\n`)]);
    const pdf = await uniquePdf();
    const another = await uniquePdf();
    const cases: { name: string; send: () => Promise<{ status: number; json: any }>; status: number; code?: string; neverStored?: Buffer }[] = [
      { name: 'a PNG named .pdf where only PDF is accepted', send: () => uploadComponentFile(engine.url, code, 'site-plan', reception(), uniquePng, { filename: 'so-do.pdf', contentType: 'application/pdf' }), status: 415, code: 'FILE_TYPE_NOT_ACCEPTED', neverStored: uniquePng },
      { name: 'larger than the component allows', send: () => uploadComponentFile(engine.url, code, 'site-plan', reception(), bigPdf), status: 413, code: 'FILE_TOO_LARGE', neverStored: bigPdf },
      { name: 'a PDF that does not parse', send: () => uploadComponentFile(engine.url, code, 'application', reception(), notAPdf), status: 422, code: 'FILE_NOT_A_PDF', neverStored: notAPdf },
      { name: 'an encrypted PDF', send: () => uploadComponentFile(engine.url, code, 'application', reception(), encrypted), status: 422, code: 'FILE_ENCRYPTED', neverStored: encrypted },
      { name: 'more pages than the component allows', send: () => uploadComponentFile(engine.url, code, 'site-plan', reception(), twoPages), status: 422, code: 'FILE_TOO_MANY_PAGES', neverStored: twoPages },
      { name: 'a declared digest the bytes do not have', send: () => uploadComponentFile(engine.url, code, 'application', reception(), pdf, { fields: { sha256: 'a'.repeat(64) } }), status: 422, code: 'FILE_DIGEST_MISMATCH', neverStored: pdf },
      { name: 'not multipart', send: () => postCommand(`${engine.url}/dossiers/${code}/components/application/files`, reception(), { file: pdf.toString('base64') }), status: 415, code: 'UPLOAD_NOT_MULTIPART' },
      {
        name: 'no file part',
        send: async () => {
          const form = new FormData();
          form.append('approve', 'true');
          const response = await fetch(`${engine.url}/dossiers/${code}/components/application/files`, { method: 'POST', headers: await authAs(reception()), body: form });
          return { status: response.status, json: await response.json() };
        },
        status: 400,
        code: 'UPLOAD_FILE_MISSING',
      },
      { name: 'a field that is not true or false', send: () => uploadComponentFile(engine.url, code, 'application', reception(), another, { fields: { approve: 'yes' } }), status: 400 },
      { name: 'a component the procedure does not have', send: () => uploadComponentFile(engine.url, code, 'passport', reception(), pdf), status: 422, code: 'UNKNOWN_COMPONENT' },
      { name: 'a role that does not attach files', send: () => uploadComponentFile(engine.url, code, 'application', actor('officer', office), pdf), status: 403 },
      { name: 'the portal, outside its intake', send: () => uploadComponentFile(engine.url, code, 'application', actor('portal', centre, 'dvcqg'), pdf), status: 403 },
      { name: 'another agency', send: () => uploadComponentFile(engine.url, code, 'application', actor('reception', otherCentre), pdf), status: 403 },
      { name: 'no token', send: () => uploadComponentFile(engine.url, code, 'application', null, pdf), status: 401 },
      { name: 'an unknown dossier', send: () => uploadComponentFile(engine.url, `${centre}-200101-9999`, 'application', reception(), pdf), status: 404 },
    ];
    for (const refusal of cases) {
      const answer = await refusal.send();
      expect({ name: refusal.name, status: answer.status, ...(refusal.code ? { code: answer.json.code } : {}) }, JSON.stringify(answer.json)).toEqual({ name: refusal.name, status: refusal.status, ...(refusal.code ? { code: refusal.code } : {}) });
      expect(answer.json.type, refusal.name).toMatch(/^urn:motcua:problem:/);
      if (refusal.neverStored) expect(await stored(sha256(refusal.neverStored)), `${refusal.name}: stored`).toBe(false);
    }
    expect(await versionOf(code)).toBe(before);
    expect(await filesOf(code)).toEqual([]);
  });
});

describe('replacing and approving', () => {
  it('replaces a file with a new one, approves the new one, and refuses approving twice or a replaced file', async () => {
    const code = await receive();
    const first = await uniquePdf();
    const second = await uniquePdf();
    expect((await uploadComponentFile(engine.url, code, 'application', reception(), first)).status).toBe(201);
    const again = await uploadComponentFile(engine.url, code, 'application', reception(), first);
    expect([again.status, again.json.code]).toEqual([422, 'FILE_ALREADY_ATTACHED']);
    const replaced = await uploadComponentFile(engine.url, code, 'application', reception(), second, { fields: { replaces: sha256(first) } });
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(201);
    expect(replaced.json.file).toMatchObject({ replaces: sha256(first), replacedBy: null });

    const version = await versionOf(code);
    const approved = await approveComponentFile(engine.url, code, 'application', sha256(second), reception(), { 'if-match': `"${version}"` });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json).toMatchObject({ streamVersion: version + 1, file: { sha256: sha256(second), approved: true, approvedBy: { userId: 'letan.hoa' } } });
    const twice = await approveComponentFile(engine.url, code, 'application', sha256(second), reception());
    expect([twice.status, twice.json.code]).toEqual([422, 'FILE_ALREADY_APPROVED']);
    const old = await approveComponentFile(engine.url, code, 'application', sha256(first), reception());
    expect([old.status, old.json.code]).toEqual([422, 'COMPONENT_FILE_NOT_FOUND']);
    const byOfficer = await approveComponentFile(engine.url, code, 'application', sha256(second), actor('officer', centre));
    expect(byOfficer.status).toBe(403);

    expect((await filesOf(code)).map((file) => ({ sha256: file.sha256, approved: file.approved, replacedBy: file.replacedBy }))).toEqual([
      { sha256: sha256(first), approved: false, replacedBy: sha256(second) },
      { sha256: sha256(second), approved: true, replacedBy: null },
    ]);
    // The replaced file stays readable: a file is never changed, only replaced.
    expect((await fetch(`${engine.url}/dossiers/${code}/files/${sha256(first)}`, { headers: await auditor() })).status).toBe(200);
  });
});

describe('a supplement during processing', () => {
  it('takes the supplement\'s file while the dossier awaits it, against the procedure pinned at acceptance, and not otherwise', async () => {
    const code = await receive();
    const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception(), { components: [{ componentId: 'application', form: 'original' }] });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    const early = await uploadComponentFile(engine.url, code, 'site-plan', reception(), await uniquePdf());
    expect([early.status, early.json.code]).toEqual([422, 'COMMAND_OUT_OF_ORDER']);
    const asked = await postCommand(`${engine.url}/dossiers/${code}/request-supplement`, actor('officer', office), { stepId: 'review', missing: [{ description: 'Sơ đồ vị trí', reason: 'Chưa nộp' }] });
    expect(asked.status, JSON.stringify(asked.json)).toBe(200);
    expect(asked.json.status).toBe('awaiting-supplement');
    const unknown = await uploadComponentFile(engine.url, code, 'passport', reception(), await uniquePdf());
    expect([unknown.status, unknown.json.code]).toEqual([422, 'UNKNOWN_COMPONENT']);
    expect(unknown.json.detail).toContain('application, site-plan');
    const plan = await uniquePdf();
    const uploaded = await uploadComponentFile(engine.url, code, 'site-plan', reception(), plan, { fields: { approve: 'true' } });
    expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(201);
    expect(uploaded.json).toMatchObject({ status: 'awaiting-supplement', file: { componentId: 'site-plan', componentName: 'Sơ đồ vị trí', approved: true } });
  });
});

describe('who reads the files', () => {
  it('gives them to the staff of the agencies taking part and auditors, to no one else', async () => {
    const code = await receive();
    const pdf = await uniquePdf();
    expect((await uploadComponentFile(engine.url, code, 'application', reception(), pdf)).status).toBe(201);
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, reception(), { components: [{ componentId: 'application', form: 'original' }] })).status).toBe(200);
    const download = async (headers: Record<string, string>) => (await fetch(`${engine.url}/dossiers/${code}/files/${sha256(pdf)}`, { headers })).status;
    const list = async (headers: Record<string, string>) => (await fetch(`${engine.url}/dossiers/${code}/files`, { headers })).status;
    const readers = [actor('reception', centre), actor('officer', office), actor('head', office), actor('head', centre), actor('auditor', '000.00.00.H99')];
    for (const reader of readers) {
      expect([reader.role, reader.agencyCode, await download(await authAs(reader))]).toEqual([reader.role, reader.agencyCode, 200]);
      expect([reader.role, reader.agencyCode, await list(await authAs(reader))]).toEqual([reader.role, reader.agencyCode, 200]);
    }
    // Another agency's staff: the file is not found (a digest reveals nothing); the list is not theirs.
    expect(await download(await authAs(actor('reception', otherCentre)))).toBe(404);
    expect(await list(await authAs(actor('reception', otherCentre)))).toBe(403);
    // A digest that is not a file of this dossier, though stored for another.
    const elsewhere = await receive();
    const other = await uniquePdf();
    expect((await uploadComponentFile(engine.url, elsewhere, 'application', reception(), other)).status).toBe(201);
    expect((await fetch(`${engine.url}/dossiers/${code}/files/${sha256(other)}`, { headers: await authAs(reception()) })).status).toBe(404);
    // The portal reads nothing of a dossier; nor does an admin; without a token, nothing at all.
    expect(await download(await authAs(actor('portal', centre, 'dvcqg')))).toBe(403);
    expect(await list(await authAs(actor('portal', centre, 'dvcqg')))).toBe(403);
    expect(await download(await authAs(actor('admin', centre)))).toBe(403);
    expect(await download({})).toBe(401);
    expect(await list({})).toBe(401);
  });
});

describe('digitisation, end to end', () => {
  it('counts a dossier digitised for Decision 766 once a component\'s uploaded file is approved, not before', async () => {
    const day = (offsetDays: number) => formatIsoDate(vietnamDateOf(new Date(Date.now() + offsetDays * 86_400_000)));
    const counts = async () => {
      const report = await getJson(`${engine.url}/reports/indicators?from=${day(-1)}&to=${day(1)}&procedure=${procedureCode}`, await authAs(head()));
      expect(report.status, JSON.stringify(report.json)).toBe(200);
      const [group] = report.json.groups;
      const rate = group.indicators.find((indicator: { id: string }) => indicator.id === 'digitisation-rate');
      return { accepted: group.counts.accepted, digitised: group.counts.digitised, digitised766: group.counts.digitised766, reusedData: group.counts.reusedData, rateNumerator: rate.numerator, rateDenominator: rate.denominator };
    };
    // The file's other dossiers are in the same report: the two below are judged by what they add.
    const digitised = await receive();
    const onlyUploaded = await receive();
    await projectReportsPast(engine.db, [digitised, onlyUploaded]);
    const before = await counts();
    await digitiseComponent(engine.url, digitised, 'application', reception());
    expect((await uploadComponentFile(engine.url, onlyUploaded, 'application', reception(), await uniquePdf())).status).toBe(201);
    for (const code of [digitised, onlyUploaded]) {
      expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, reception(), { components: [{ componentId: 'application', form: 'original' }] })).status).toBe(200);
    }
    await projectReportsPast(engine.db, [digitised, onlyUploaded]);
    const after = await counts();
    expect(Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - before[key as keyof typeof before]]))).toEqual({ accepted: 2, digitised: 1, digitised766: 1, reusedData: 0, rateNumerator: 1, rateDenominator: 2 });
  });
});
