// Reuse of data already held (docs/files.md#reuse), on the real PostgreSQL and Temporal: an
// applicant's second dossier is offered the approved file of their first and takes it by reference
// (the reuse indicator counts it), results issued to them and their e-data store's papers likewise;
// another applicant is offered nothing; a replaced file drops out; hostile references are refused
// with nothing recorded; a failing e-data store never fails the listing; and access by role.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDossierCommand } from '../../api/commands/send-dossier-command.js';
import { appendToStream } from '../../db/event-store.js';
import { checkDossierIndex, componentFileIndexProjection, rebuildComponentFileIndex } from '../../db/projections/component-file-index.js';
import type { Actor } from '../../domain/dossier/actor.js';
import { type DataStoreDouble, startDataStoreDouble } from '../../doubles/data-store-double.js';
import { trialPdf } from '../../doubles/data-store-seed.js';
import { nationalPortalDataStore } from '../../integrations/data-store/national-portal.js';
import { createLogger } from '../../platform/logger.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, TEST_APPLICANT_KEY, type TestEngine } from '../support/engine.js';
import { projectReportsPast } from '../support/report-projection.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';

let engine: TestEngine;
let double: DataStoreDouble;
let documentDir: string;
let centre: string;
let otherCentre: string;
let office: string;
let procedureCode: string;
const STORE_CODE = 'KQ.CCCD';
const log = createLogger({ level: 'silent' });

const reception = (agencyCode = centre): Actor => ({ userId: `letan@${agencyCode}`, role: 'reception', agencyCode });
const as = (role: Actor['role'], agencyCode = centre): Actor => ({ userId: `${role}@${agencyCode}`, role, agencyCode });
const newApplicant = (fullName = 'Lê Thị Mai') => ({ kind: 'citizen' as const, fullName, identityNumber: `0${String(randomBytes(6).readUIntBE(0, 6) % 10 ** 11).padStart(11, '0')}` });

beforeAll(async () => {
  double = await startDataStoreDouble();
  // Files from the e-data store go through the upload pipeline, which stages them in a directory.
  documentDir = await mkdtemp(path.join(tmpdir(), 'motcua-reuse-'));
  engine = await startTestEngine({ name: 'reuse', documentDirectory: documentDir, dataStore: nationalPortalDataStore({ baseUrl: double.url, timeoutMs: 1_500 }) });
  ({ centre, office, otherCentre, procedureCode } = await loadTestProcedure(engine.db, {
    series: '998877',
    calendar: ROUND_THE_CLOCK,
    centreName: 'Bộ phận Một cửa tái sử dụng',
    officeName: 'Phòng chuyên môn',
    otherCentreName: 'Bộ phận Một cửa khác',
    name: 'Thủ tục thử nghiệm tái sử dụng dữ liệu',
    clock: { budget: { unit: 'working-hours', amount: 40 }, receptionCutOff: null },
    stepBudget: { unit: 'working-hours', amount: 40 },
    components: [
      { id: 'application', name: 'Đơn đề nghị', form: 'original' },
      { id: 'identity', name: 'Giấy tờ nhân thân', form: 'photocopy', reusableFromData: true, dataStoreCodes: [STORE_CODE] },
      // Images only: a file held as a PDF (under rules of an earlier version, say) cannot stand for it.
      { id: 'photo', name: 'Ảnh chân dung', form: 'original', required: false, reusableFromData: true, files: { accept: ['image/jpeg', 'image/png'] } },
    ],
  }));
});

afterAll(async () => {
  await engine?.close();
  await double?.close();
  if (documentDir) await rm(documentDir, { recursive: true, force: true });
});

async function receive(applicant: ReturnType<typeof newApplicant>, agencyCode = centre): Promise<string> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(agencyCode, { procedureCode, applicant }), await authAs(reception(agencyCode)));
  expect(received.status).toBe(201);
  return received.json.dossierCode;
}

/** Stores a file and attaches it through the generic command path, as reception's upload will. */
async function attachUpload(code: string, componentId: string, title: string, options: { approve?: boolean; replaces?: string } = {}): Promise<string> {
  const bytes = await trialPdf(title);
  const stored = await engine.documentStore.put(bytes, 'application/pdf');
  const outcome = await sendDossierCommand(
    { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 20_000, log: log as never },
    { type: 'AttachComponentFile', commandId: randomUUID(), actor: reception(), dossierCode: code, componentId, file: { sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf' }, origin: { kind: 'upload' }, approve: options.approve ?? true, ...(options.replaces ? { replaces: options.replaces } : {}) },
  );
  expect(outcome.kind).toBe('answered');
  return stored.sha256;
}

const reusable = async (code: string, who: Actor = reception()) => getJson(`${engine.url}/dossiers/${code}/reusable`, await authAs(who));
const reuse = async (code: string, componentId: string, from: unknown, who: Actor = reception()) => postCommand(`${engine.url}/dossiers/${code}/components/${componentId}/reuse`, who, { from });
const candidatesOf = (listing: { components: { componentId: string; candidates: unknown[] }[] }, componentId = 'identity') => listing.components.find((component) => component.componentId === componentId)!.candidates as any[];

async function streamVersion(code: string): Promise<number> {
  const { rows } = await sql<{ version: number }>`SELECT max(stream_version)::int AS version FROM events WHERE stream_id = ${code}`.execute(engine.db);
  return rows[0]!.version;
}

/** A dossier received and given a result, written to the log directly (the result's own route belongs to the e-result work). */
async function dossierWithResult(applicant: ReturnType<typeof newApplicant>, shape: 'engine-document' | 'signed-file'): Promise<{ code: string; resultCode: string; sha256: string }> {
  const code = `${centre}-250101-${String(1000 + Math.floor(Math.random() * 8999))}`;
  const stored = await engine.documentStore.put(await trialPdf(`Ket qua ${code}`), 'application/pdf');
  const resultCode = `${code}-KQ1`;
  const metadata = { actor: { userId: 'reuse-test', role: 'head', agencyCode: office }, commandId: 'reuse-test' } as const;
  await appendToStream(
    engine.db,
    code,
    0,
    [
      { type: 'DossierReceived', schemaVersion: 1, occurredAt: '2025-01-01T02:00:00.000Z', metadata, data: { dossierCode: code, agencyCode: centre, procedureCode, channel: 'counter', applicant, receivedAt: '2025-01-01T02:00:00.000Z' } },
      {
        type: 'ResultIssued',
        schemaVersion: 1,
        occurredAt: '2025-01-05T02:00:00.000Z',
        metadata,
        data: { at: '2025-01-05T02:00:00.000Z', resultCode, document: { reference: '12/GXN', sha256: stored.sha256, ...(shape === 'signed-file' ? { size: stored.size, mediaType: 'application/pdf' } : {}) }, dossierRule: 'on-time', decision766: 'on-time' },
      },
    ],
    [componentFileIndexProjection(TEST_APPLICANT_KEY)],
  );
  return { code, resultCode, sha256: stored.sha256 };
}

describe('an earlier dossier of the same applicant', () => {
  it('offers its approved identity file, attaches it by reference, and the reuse indicator counts it', async () => {
    const applicant = newApplicant();
    const first = await receive(applicant);
    const approved = await attachUpload(first, 'identity', 'CCCD cua Mai');
    const unapproved = await attachUpload(first, 'identity', 'CCCD chua duyet', { approve: false });
    const second = await receive(applicant);

    const listing = await reusable(second);
    expect(listing.status).toBe(200);
    expect(listing.json).toMatchObject({ dossierCode: second, procedureCode, dataStore: 'available' });
    expect(listing.json.components.map((component: { componentId: string }) => component.componentId)).toEqual(['identity', 'photo']);
    const offered = candidatesOf(listing.json);
    expect(offered).toEqual([expect.objectContaining({ kind: 'earlier-dossier', from: { kind: 'earlier-dossier', dossierCode: first, componentId: 'identity', sha256: approved } })]);
    expect(JSON.stringify(listing.json)).not.toContain(unapproved);
    // The identity number is nowhere in the index: only its keyed hash.
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM component_file_index WHERE applicant_hash = ${applicant.identityNumber} OR dossier_code = ${first} AND applicant_hash !~ '^[0-9a-f]{64}$'`.execute(engine.db);
    expect(rows[0]!.n).toBe(0);

    const taken = await reuse(second, 'identity', offered[0].from);
    expect(taken.status, JSON.stringify(taken.json)).toBe(200);
    expect(taken.json).toMatchObject({ events: ['ComponentFileAttached'], componentId: 'identity', file: { sha256: approved }, origin: { kind: 'earlier-dossier', dossierCode: first, componentId: 'identity' } });
    const again = await reusable(second);
    expect(again.json.components[0]).toMatchObject({ componentId: 'identity', attached: true });
    expect(candidatesOf(again.json).filter((candidate) => candidate.kind === 'earlier-dossier')).toEqual([]);

    // Accepted, the dossier counts for Decision 766's reuse indicator (4.3).
    await postCommand(`${engine.url}/dossiers/${second}/accept`, reception(), { components: [{ componentId: 'application', form: 'original' }, { componentId: 'identity', form: 'photocopy' }] });
    await projectReportsPast(engine.db, [second]);
    const report = await engine.db.selectFrom('report_dossiers').select(['reused_data_at', 'digitised_at']).where('dossier_code', '=', second).executeTakeFirstOrThrow();
    expect(report.reused_data_at).not.toBeNull();
    expect(report.digitised_at).not.toBeNull();

    // The index is what the log implies, and a rebuild writes the same rows.
    expect(await checkDossierIndex(engine.db, first, TEST_APPLICANT_KEY)).toEqual([]);
    expect(await checkDossierIndex(engine.db, second, TEST_APPLICANT_KEY)).toEqual([]);
  });

  it('offers another applicant nothing, and refuses their taking it with nothing recorded', async () => {
    const owner = newApplicant();
    const first = await receive(owner);
    const digest = await attachUpload(first, 'identity', 'CCCD cua chu ho');
    const stranger = await receive(newApplicant('Phan Văn Lạ'));
    expect(candidatesOf((await reusable(stranger)).json).filter((candidate) => candidate.kind !== 'data-store')).toEqual([]);
    const before = await streamVersion(stranger);
    const refused = await reuse(stranger, 'identity', { kind: 'earlier-dossier', dossierCode: first, componentId: 'identity', sha256: digest });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('REUSE_OTHER_APPLICANT');
    // Another applicant's dossier is theirs whatever the digest: the answer tells nothing of its files.
    const guessed = await reuse(stranger, 'identity', { kind: 'earlier-dossier', dossierCode: first, componentId: 'identity', sha256: 'a'.repeat(64) });
    expect(guessed.json.code).toBe('REUSE_OTHER_APPLICANT');
    expect(await streamVersion(stranger)).toBe(before);
  });

  it('does not offer a replaced file, and refuses it by reference', async () => {
    const applicant = newApplicant();
    const first = await receive(applicant);
    const old = await attachUpload(first, 'identity', 'CCCD cu');
    const replacement = await attachUpload(first, 'identity', 'CCCD moi', { replaces: old });
    const second = await receive(applicant);
    const offered = candidatesOf((await reusable(second)).json).filter((candidate) => candidate.kind === 'earlier-dossier');
    expect(offered.map((candidate) => candidate.from.sha256)).toEqual([replacement]);
    const before = await streamVersion(second);
    const refused = await reuse(second, 'identity', { kind: 'earlier-dossier', dossierCode: first, componentId: 'identity', sha256: old });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('REUSE_SOURCE_NOT_FOUND');
    expect(await streamVersion(second)).toBe(before);
  });

  it('refuses hostile references with nothing recorded', async () => {
    const applicant = newApplicant();
    const first = await receive(applicant);
    const mine = await attachUpload(first, 'identity', 'CCCD cua toi');
    const other = await receive(applicant);
    const otherDigest = await attachUpload(other, 'identity', 'CCCD o ho so khac');
    const second = await receive(applicant);
    const before = await streamVersion(second);
    const cases: [unknown, string, string][] = [
      // Another of the applicant's dossiers' digest, named under the first dossier.
      [{ kind: 'earlier-dossier', dossierCode: first, componentId: 'identity', sha256: otherDigest }, 'identity', 'REUSE_SOURCE_NOT_FOUND'],
      // The dossier's own file.
      [{ kind: 'earlier-dossier', dossierCode: second, componentId: 'identity', sha256: mine }, 'identity', 'REUSE_SOURCE_NOT_FOUND'],
      // A made-up result code.
      [{ kind: 'issued-result', resultCode: `${centre}-250101-0001-KQ9` }, 'identity', 'REUSE_SOURCE_NOT_FOUND'],
      // A component the procedure does not mark reusable.
      [{ kind: 'earlier-dossier', dossierCode: first, componentId: 'identity', sha256: mine }, 'application', 'COMPONENT_NOT_REUSABLE'],
      // A paper the applicant's store does not hold.
      [{ kind: 'data-store', keeper: 'Cơ quan giả', path: 'kho/khong-co.pdf', documentCode: STORE_CODE }, 'identity', 'REUSE_SOURCE_NOT_FOUND'],
    ];
    for (const [from, componentId, code] of cases) {
      const refused = await reuse(second, componentId, from);
      expect(refused.status, JSON.stringify(from)).toBe(422);
      expect(refused.json.code, JSON.stringify(from)).toBe(code);
    }
    const malformed = await reuse(second, 'identity', { kind: 'earlier-dossier', dossierCode: first, componentId: 'identity', sha256: 'NOT-A-DIGEST' });
    expect(malformed.status).toBe(400);
    expect(await streamVersion(second)).toBe(before);
  });
});

describe("the component's file rules", () => {
  it('refuse a held file the component would not accept as an upload, with nothing recorded', async () => {
    const applicant = newApplicant();
    const first = await receive(applicant);
    const held = await attachUpload(first, 'photo', 'Anh chan dung la PDF');
    const second = await receive(applicant);
    const before = await streamVersion(second);
    const refused = await reuse(second, 'photo', { kind: 'earlier-dossier', dossierCode: first, componentId: 'photo', sha256: held });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('REUSE_FILE_NOT_ACCEPTED');
    expect(refused.json.detail).toContain('image/jpeg, image/png');
    expect(await streamVersion(second)).toBe(before);
  });
});

describe('results issued to the applicant', () => {
  it('offers them in both shapes of ResultIssued and attaches one; another applicant’s result is refused', async () => {
    const applicant = newApplicant();
    const engineDocument = await dossierWithResult(applicant, 'engine-document');
    const signedFile = await dossierWithResult(applicant, 'signed-file');
    const strangers = await dossierWithResult(newApplicant('Vũ Văn Khác'), 'signed-file');
    const code = await receive(applicant);
    const offered = candidatesOf((await reusable(code)).json).filter((candidate) => candidate.kind === 'issued-result');
    expect(offered.map((candidate) => candidate.from.resultCode).sort()).toEqual([engineDocument.resultCode, signedFile.resultCode].sort());
    expect(offered.find((candidate) => candidate.from.resultCode === signedFile.resultCode).file).toMatchObject({ sha256: signedFile.sha256, mediaType: 'application/pdf' });

    const before = await streamVersion(code);
    const refused = await reuse(code, 'identity', { kind: 'issued-result', resultCode: strangers.resultCode });
    expect(refused.json.code).toBe('REUSE_OTHER_APPLICANT');
    expect(await streamVersion(code)).toBe(before);

    // The old shape carries no size: the document store's record gives it.
    const taken = await reuse(code, 'identity', { kind: 'issued-result', resultCode: engineDocument.resultCode });
    expect(taken.status, JSON.stringify(taken.json)).toBe(200);
    expect(taken.json).toMatchObject({ file: { sha256: engineDocument.sha256, mediaType: 'application/pdf' }, origin: { kind: 'issued-result', dossierCode: engineDocument.code, resultCode: engineDocument.resultCode } });
    expect(taken.json.file.size).toBeGreaterThan(0);
  });

  it('rebuilds the index from the log to the same rows', async () => {
    const applicant = newApplicant();
    const result = await dossierWithResult(applicant, 'signed-file');
    await sql`DELETE FROM component_file_index WHERE dossier_code = ${result.code}`.execute(engine.db);
    expect(await checkDossierIndex(engine.db, result.code, TEST_APPLICANT_KEY)).not.toEqual([]);
    await rebuildComponentFileIndex(engine.db, TEST_APPLICANT_KEY);
    expect(await checkDossierIndex(engine.db, result.code, TEST_APPLICANT_KEY)).toEqual([]);
  });
});

describe("the applicant's e-data store", () => {
  it('offers its paper, attaches the fetched file with origin data-store, and a failing store never fails the listing', async () => {
    const applicant = newApplicant();
    const pdf = await trialPdf('CCCD trong kho');
    const keeper = 'Bộ Công an (thử nghiệm)';
    double.seed({ owner: applicant.identityNumber, documentCode: STORE_CODE, documentName: 'Căn cước', documentNumber: applicant.identityNumber, keeper, files: [{ name: 'cccd.pdf', path: `kho/${applicant.identityNumber}/cccd.pdf`, bytes: pdf, contentType: 'application/pdf' }] });
    double.seed({ owner: '079000000001', documentCode: STORE_CODE, documentName: 'Căn cước', keeper, files: [{ name: 'cccd.pdf', path: 'kho/079000000001/cccd.pdf', bytes: pdf, contentType: 'application/pdf' }] });
    const first = await receive(applicant);
    const earlier = await attachUpload(first, 'identity', 'CCCD ho so truoc');
    const code = await receive(applicant);

    const listing = await reusable(code);
    const fromStore = candidatesOf(listing.json).filter((candidate) => candidate.kind === 'data-store');
    expect(fromStore).toEqual([expect.objectContaining({ from: { kind: 'data-store', keeper, path: `kho/${applicant.identityNumber}/cccd.pdf`, documentCode: STORE_CODE, documentNumber: applicant.identityNumber }, fileName: 'cccd.pdf' })]);
    const asked = double.requests().filter((request) => request.operation === 'GetKetQuaGiayTo').at(-1)!.body as Record<string, unknown>;
    expect(asked).toEqual({ SoDinhDanhChuSoHuu: applicant.identityNumber, HoTenNguoiYeuCau: applicant.fullName, KenhThucHien: '1', SoDinhDanhNguoiYeuCau: applicant.identityNumber, MaThuTuc: procedureCode, DanhSachDanhMucKetQua: [{ MaKetQua: STORE_CODE, SoKyHieu: '' }] });

    // Another owner's paper named by its path: the store, asked for this applicant, does not hold it.
    const before = await streamVersion(code);
    const stolen = await reuse(code, 'identity', { kind: 'data-store', keeper, path: 'kho/079000000001/cccd.pdf', documentCode: STORE_CODE });
    expect(stolen.json.code).toBe('REUSE_SOURCE_NOT_FOUND');
    expect(await streamVersion(code)).toBe(before);

    const taken = await reuse(code, 'identity', fromStore[0].from);
    expect(taken.status, JSON.stringify(taken.json)).toBe(200);
    expect(taken.json).toMatchObject({ origin: { kind: 'data-store', store: 'national-portal', documentCode: STORE_CODE, keeper }, file: { mediaType: 'application/pdf', size: pdf.byteLength } });
    expect((await engine.documentStore.get(taken.json.file.sha256))?.bytes.equals(Buffer.from(pdf))).toBe(true);
    expect(double.requests().at(-1)).toMatchObject({ operation: 'GetGiayToByUrl', body: { CoQuanChuQuan: keeper, DuongDan: `kho/${applicant.identityNumber}/cccd.pdf` } });

    // A paper whose file is no PDF, JPEG or PNG by its bytes is refused like such an upload.
    double.seed({ owner: applicant.identityNumber, documentCode: STORE_CODE, documentName: 'Căn cước (hỏng)', keeper, files: [{ name: 'cccd.pdf', path: `kho/${applicant.identityNumber}/hong.pdf`, bytes: Buffer.from('<html>not a paper</html>'), contentType: 'application/pdf' }] });
    const versionBefore = await streamVersion(code);
    const broken = await reuse(code, 'identity', { kind: 'data-store', keeper, path: `kho/${applicant.identityNumber}/hong.pdf`, documentCode: STORE_CODE });
    expect(broken.status).toBe(422);
    expect(broken.json.code).toBe('DATA_STORE_FILE_REFUSED');
    expect(await streamVersion(code)).toBe(versionBefore);

    const third = await receive(applicant);
    for (const mode of ['5xx', 'timeout', 'malformed'] as const) {
      double.fail({ mode });
      const degraded = await reusable(third);
      expect(degraded.status, mode).toBe(200);
      expect(degraded.json.dataStore, mode).toBe('unavailable');
      expect(candidatesOf(degraded.json).map((candidate) => candidate.kind), mode).toContain('earlier-dossier');
      // The earlier dossier's upload, and the second's file from the store, now approved there too.
      expect(candidatesOf(degraded.json).filter((candidate) => candidate.kind === 'earlier-dossier').map((candidate) => candidate.from.sha256).sort()).toEqual([earlier, taken.json.file.sha256].sort());
      const failed = await reuse(third, 'identity', fromStore[0].from);
      expect(failed.status, mode).toBe(503);
      expect(failed.json.code, mode).toBe('DATA_STORE_UNAVAILABLE');
      double.fail({ mode: 'none' });
    }
    expect(engine.logs.text).not.toContain(applicant.identityNumber);
  });
});

describe('access', () => {
  it('is for the reception and head of the receiving centre only', async () => {
    const applicant = newApplicant();
    const code = await receive(applicant);
    const url = `${engine.url}/dossiers/${code}/reusable`;
    expect((await reusable(code, as('head'))).status).toBe(200);
    for (const role of ['officer', 'auditor', 'portal', 'admin'] as const) {
      expect((await reusable(code, as(role))).status, role).toBe(403);
      expect((await reuse(code, 'identity', { kind: 'issued-result', resultCode: `${code}-KQ1` }, as(role))).status, role).toBe(403);
    }
    const elsewhere = await reusable(code, reception(otherCentre));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.code).toBe('NOT_THE_RECEIVING_CENTRE');
    expect((await getJson(url)).status).toBe(401);
    expect((await postJson(`${engine.url}/dossiers/${code}/components/identity/reuse`, { from: { kind: 'issued-result', resultCode: `${code}-KQ1` } })).status).toBe(401);
    expect((await reusable(`${centre}-250101-9999`)).status).toBe(404);
  });
});
