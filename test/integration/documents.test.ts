// Documents end to end, on the real servers: the engine issues each form from the events, signs it
// with the issuing agency's keystore, stores it by digest and records it; the result is the
// competent body's signed file; staff read them, the citizen gets the result with the receipt's
// secret, and anyone can verify them.
import { getDocumentProxy, extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { createDocumentActivities } from '../../activities/document-activities.js';
import { createDocumentStore, DocumentCorrupted, sha256Hex } from '../../documents/document-store.js';
import { loadAgencySigner } from '../../documents/signing/keystore.js';
import { ensureLocalPki } from '../../documents/signing/local-pki.js';
import { signPdf } from '../../documents/signing/pades-signer.js';
import { testSigningSettings } from '../support/test-pki.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY } from '../support/dossier-fixtures.js';
import { postResult, signedResult } from '../support/signed-result.js';
import { authAs, documentsIssued, getJson, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'documents' });
});
afterAll(() => engine?.close());

const reception = actor('reception', CENTRE, 'letan.an');
const officer = actor('officer', ECONOMY);
const head = actor('head', ECONOMY);
const auditor = actor('auditor', '000.00.00.H99', 'kiemtoan.1');

interface ListedDocument {
  documentId: string;
  kind: string;
  number: string;
  sha256: string;
  href: string;
  signature: { valid: boolean; signer?: { subject: string }; reasons: string[] };
}

/** Waits for the workflow to record the documents of these kinds (it issues them beside the commands). */
async function documentsOf(code: string, kinds: string[]): Promise<ListedDocument[]> {
  return documentsIssued<ListedDocument>(engine.url, code, kinds, await authAs(reception));
}

async function download(href: string, headers: Record<string, string>): Promise<Buffer> {
  const response = await fetch(`${engine.url}${href}`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await response.arrayBuffer());
}

async function textOf(pdf: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text.normalize('NFC').replace(/\s+/g, ' ');
}

async function verify(pdf: Uint8Array) {
  const response = await fetch(`${engine.url}/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf });
  return { status: response.status, json: (await response.json()) as { valid: boolean; reasons: string[]; [key: string]: unknown } };
}

let code: string;
let lookupSecret: string;

beforeAll(async () => {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE }), await authAs(reception));
  code = received.json.dossierCode;
  const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) });
  lookupSecret = accepted.json.lookupSecret;
});

describe('the receipt (form 01)', () => {
  it('is issued on acceptance, signed by the centre, and says in Vietnamese what the dossier is', async () => {
    const [receipt] = await documentsOf(code, ['form-01']);
    expect(receipt).toMatchObject({ kind: 'form-01', documentId: `${code}/form-01/1`, signature: { valid: true, reasons: [] } });
    expect(receipt!.signature.signer!.subject).toContain('Bộ phận Một cửa UBND xã Hòa Bình');
    const pdf = await download(receipt!.href, await authAs(reception));
    const text = await textOf(pdf);
    for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', `Mã hồ sơ: ${code}`, 'Nguyễn Thị Hoa', 'Đăng ký thành lập hộ kinh doanh', 'ngày làm việc']) {
      expect(text).toContain(expected);
    }
  });

  it('verifies for anyone, and one flipped byte makes it invalid with a reason', async () => {
    const [receipt] = await documentsOf(code, ['form-01']);
    const pdf = await download(receipt!.href, await authAs(reception));
    expect(await verify(pdf)).toMatchObject({ status: 200, json: { valid: true, coversWholeDocument: true, signedByAgency: { agencyCode: CENTRE }, issuedByThisEngine: { dossierCode: code, kind: 'form-01' } } });
    const tampered = Buffer.from(pdf);
    tampered[200] = tampered[200]! ^ 0x01;
    const answer = await verify(tampered);
    expect(answer).toMatchObject({ status: 200, json: { valid: false, issuedByThisEngine: null } });
    expect(answer.json.reasons.join(' ')).toMatch(/digest|changed/i);
    expect((await verify(Buffer.from('not a pdf at all'))).json).toMatchObject({ valid: false });
  });

  it('is not valid when signed with a trusted certificate that no agency of the engine signs with', async () => {
    // A document re-signed with a certificate from the same CA, issued to someone who is not an
    // agency of this engine: the chain is trusted, the signer is not.
    const settings = testSigningSettings();
    ensureLocalPki({ dir: settings.keystoreDir, agencies: [{ code: '999.99.99.H99', name: 'Công ty giả mạo' }], passphrase: settings.passphrase });
    const unsigned = await PDFDocument.create({ updateMetadata: false });
    unsigned.addPage();
    const forged = await signPdf(await unsigned.save({ useObjectStreams: false }), await loadAgencySigner(settings.keystoreDir, '999.99.99.H99', settings.passphrase), { signingTime: new Date(), reason: 'x', location: 'x', name: 'x' });
    const answer = await verify(forged);
    expect(answer.json).toMatchObject({ valid: false, signedByAgency: null, issuedByThisEngine: null });
    expect(answer.json.reasons.join(' ')).toMatch(/not one an agency of this engine signs with/);
  });

  it('is rendered again to the same bytes from the same events', async () => {
    const [receipt] = await documentsOf(code, ['form-01']);
    const activities = createDocumentActivities({ db: engine.db, issuer: engine.documents });
    const again = await activities.issueDossierDocument({ dossierCode: code, kind: 'form-01', documentId: receipt!.documentId, forVersion: 2 });
    expect(again.file.sha256).toBe(receipt!.sha256);
  });

  it('is served only to the staff of agencies that take part, and to auditors', async () => {
    const [receipt] = await documentsOf(code, ['form-01']);
    expect((await fetch(`${engine.url}${receipt!.href}`, { headers: await authAs(auditor) })).status).toBe(200);
    const stranger = await engine.newCentre();
    expect((await fetch(`${engine.url}${receipt!.href}`, { headers: await authAs(actor('reception', stranger)) })).status).toBe(404);
    expect((await fetch(`${engine.url}${receipt!.href}`)).status).toBe(401);
  });
});

describe('the result', () => {
  it('is the competent body\'s signed file: listed, given to the citizen with the receipt\'s secret, verified by its result code, with the control slip', async () => {
    await postCommand(`${engine.url}/dossiers/${code}/complete-step`, officer, { stepId: 'business-registration', outcome: 'approved' });
    const signed = await signedResult(ECONOMY, 'HKD-0001');
    expect(await postResult(`${engine.url}/dossiers/${code}/issue-result`, head, signed, 'HKD-0001')).toMatchObject({ status: 200, json: { status: 'result-ready' } });
    const documents = await documentsOf(code, ['result', 'form-06']);
    const result = documents.find((document) => document.kind === 'result')!;
    expect(result).toMatchObject({ documentId: `${code}/result/1`, number: `${code}-KQ1`, sha256: sha256Hex(signed), signature: { valid: true } });
    expect(result.signature.signer!.subject).toContain('Phòng Kinh tế xã Hòa Bình');
    // The engine renders no result of its own: the one result is the file the head sent.
    expect(documents.filter((document) => document.kind === 'result')).toHaveLength(1);

    const forCitizen = await fetch(`${engine.url}/lookup/${code}/result?secret=${lookupSecret}`);
    expect(forCitizen.status).toBe(200);
    expect(Buffer.from(await forCitizen.arrayBuffer()).equals(Buffer.from(signed))).toBe(true);
    expect((await fetch(`${engine.url}/lookup/${code}/result?secret=WRONGSECRET`)).status).toBe(404);
    expect((await download(result.href, await authAs(head))).equals(Buffer.from(signed))).toBe(true);

    expect(await getJson(`${engine.url}/verify/results/${code}-KQ1`)).toMatchObject({ status: 200, json: { valid: true, signedByAgency: { agencyCode: ECONOMY }, issuedByThisEngine: { kind: 'result', number: `${code}-KQ1`, dossierCode: code } } });
    expect(await verify(signed)).toMatchObject({ status: 200, json: { valid: true, signedByAgency: { agencyCode: ECONOMY } } });
    expect((await getJson(`${engine.url}/verify/results/${code}-KQ9`)).status).toBe(404);

    const slip = await textOf(await download(documents.find((document) => document.kind === 'form-06')!.href, await authAs(reception)));
    expect(slip).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(slip).toMatch(/Trước hạn|Đúng hạn|Quá hạn/);
  });
});

describe('the document store', () => {
  it('keeps files in a directory when configured, once per digest, and refuses bytes changed behind its back', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'motcua-documents-'));
    const store = createDocumentStore(engine.db, directory);
    const bytes = Buffer.from(`%PDF-1.7 test document ${Date.now()}`);
    const stored = await store.put(bytes, 'application/pdf');
    expect(await store.put(bytes, 'application/pdf')).toEqual(stored);
    const file = path.join(directory, stored.sha256.slice(0, 2), stored.sha256);
    expect(readdirSync(path.dirname(file))).toEqual([stored.sha256]);
    expect((await store.get(stored.sha256))!.bytes.equals(bytes)).toBe(true);
    // Only the record is in PostgreSQL; without the directory the bytes cannot be found.
    await expect(createDocumentStore(engine.db).get(stored.sha256)).rejects.toThrow(/MOTCUA_DOCUMENT_DIR/);
    writeFileSync(file, Buffer.from('%PDF-1.7 forged'));
    await expect(store.get(stored.sha256)).rejects.toBeInstanceOf(DocumentCorrupted);
    expect(await store.get('0'.repeat(64))).toBeUndefined();
  });
});
