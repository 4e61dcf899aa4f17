import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { type AgencySigner, loadAgencySigner, loadTrustAnchors } from '../../documents/signing/keystore.js';
import { composeDocument } from '../../documents/pdf/render-document.js';
import { ensureLocalPki } from '../../documents/signing/local-pki.js';
import { asciiPdfText, signPdf, type SignPdfOptions } from '../../documents/signing/pades-signer.js';
import { extractPdfSignature, verifyPdfSignature } from '../../documents/signing/verify-signature.js';
import { typicalDocuments } from '../support/typical-documents.js';

const PASSPHRASE = 'mat-khau thu nghiem 2025';
const ONE_STOP = { code: '000.01.01.H99', name: 'UBND xã Hòa Bình – Bộ phận Một cửa' };
const CIVIL_STATUS = { code: '000.02.01.H99', name: 'Công chức Tư pháp – Hộ tịch xã Hòa Bình' };
const PKI_START = new Date('2025-01-01T00:00:00Z');
const OPTIONS: SignPdfOptions = {
  signingTime: new Date('2025-07-01T02:03:04Z'),
  reason: 'Tiếp nhận hồ sơ và hẹn trả kết quả',
  location: 'Hòa Bình',
  name: ONE_STOP.name,
};

let work: string;
let pkiDir: string;
let trustAnchors: pkijs.Certificate[];
let signer: AgencySigner;
let unsigned: Uint8Array;
let signed: Uint8Array;

async function smallPdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const page = document.addPage([420, 595]);
  page.drawText('Giay tiep nhan ho so va hen tra ket qua', { x: 40, y: 540, size: 12, font: await document.embedFont(StandardFonts.Helvetica) });
  return document.save({ useObjectStreams: false });
}

function flipByte(pdf: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(pdf);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'motcua-signing-'));
  pkiDir = path.join(work, 'pki');
  ensureLocalPki({ dir: pkiDir, agencies: [ONE_STOP, CIVIL_STATUS], passphrase: PASSPHRASE, now: PKI_START });
  trustAnchors = loadTrustAnchors([path.join(pkiDir, 'ca.pem')]);
  signer = await loadAgencySigner(pkiDir, ONE_STOP.code, PASSPHRASE);
  unsigned = await smallPdf();
  signed = await signPdf(unsigned, signer, OPTIONS);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the local PKI', () => {
  it('writes a CA and one passphrase-protected keystore per agency, with the Vietnamese names as UTF-8', () => {
    for (const file of ['ca.pem', 'ca-key.p12', 'agencies/000.01.01.H99.p12', 'agencies/000.02.01.H99.p12']) expect(existsSync(path.join(pkiDir, file))).toBe(true);
    const certificate = new X509Certificate(signer.certificate);
    expect(certificate.subject.split('\n')).toEqual(['C=VN', `O=${ONE_STOP.name}`, 'OU=000.01.01.H99', `CN=${ONE_STOP.name}`]);
    expect(certificate.checkIssued(new X509Certificate(readFileSync(path.join(pkiDir, 'ca.pem'))))).toBe(true);
    expect(new Date(certificate.validFrom).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(new Date(certificate.validTo).toISOString()).toBe('2035-01-01T00:00:00.000Z');
  });

  it('keeps what exists and issues a new agency under the same CA when run again', async () => {
    const ca = readFileSync(path.join(pkiDir, 'ca.pem'), 'utf8');
    const keystore = readFileSync(path.join(pkiDir, 'agencies/000.01.01.H99.p12'));
    const land = { code: '000.20.99.H99', name: 'Chi nhánh Văn phòng Đăng ký đất đai khu vực Hòa Bình' };
    const result = ensureLocalPki({ dir: pkiDir, agencies: [ONE_STOP, CIVIL_STATUS, land], passphrase: PASSPHRASE });
    expect(result.caCreated).toBe(false);
    expect([...result.kept.keys()]).toEqual([ONE_STOP.code, CIVIL_STATUS.code]);
    expect([...result.created.keys()]).toEqual([land.code]);
    expect(readFileSync(path.join(pkiDir, 'ca.pem'), 'utf8')).toBe(ca);
    expect(readFileSync(path.join(pkiDir, 'agencies/000.01.01.H99.p12')).equals(keystore)).toBe(true);
    const landSigner = await loadAgencySigner(pkiDir, land.code, PASSPHRASE);
    const report = await verifyPdfSignature(await signPdf(unsigned, landSigner, { ...OPTIONS, signingTime: new Date() }), trustAnchors);
    expect(report).toMatchObject({ valid: true, reasons: [] });
  });

  it('refuses a wrong passphrase or a missing keystore with an error naming the agency and the file', async () => {
    const file = path.join(pkiDir, 'agencies', '000.02.01.H99.p12');
    await expect(loadAgencySigner(pkiDir, CIVIL_STATUS.code, 'not the passphrase')).rejects.toThrow(`wrong passphrase for the keystore of agency 000.02.01.H99 (${file})`);
    await expect(loadAgencySigner(pkiDir, '000.09.01.H99', PASSPHRASE)).rejects.toThrow(/no keystore for agency 000\.09\.01\.H99: .*agencies\/000\.09\.01\.H99\.p12 does not exist/);
    await expect(loadAgencySigner(pkiDir, '../ca-key', PASSPHRASE)).rejects.toThrow(/not an agency code/);
  });

  it('comes out whole and consistent when two processes create it at once (pki-cli init)', async () => {
    const dir = path.join(work, 'concurrent');
    const passphraseFile = path.join(work, 'passphrase.txt');
    writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
    const catalogueFile = path.join(work, 'catalogue.json');
    const agencies = readCatalogueFile(SAMPLE_CATALOGUE_FILE).agencies.slice(0, 2);
    writeFileSync(catalogueFile, JSON.stringify({ agencies, procedures: [] }));
    const init = () =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', new URL('../../dev/pki-cli.ts', import.meta.url).pathname, 'init', '--dir', dir, '--catalogue', catalogueFile, '--passphrase-file', passphraseFile]);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const runs = await Promise.all([init(), init()]);
    expect(runs.map((run) => run.status)).toEqual([0, 0]);
    expect(runs.filter((run) => run.stdout.includes('created CA')).length).toBe(1);
    const ca = new X509Certificate(readFileSync(path.join(dir, 'ca.pem')));
    for (const agency of agencies) {
      const { certificate } = await loadAgencySigner(dir, agency.code, PASSPHRASE);
      expect(new X509Certificate(certificate).checkIssued(ca)).toBe(true);
    }
  }, 30_000);

  it('pki-cli sign issues the competent body its keystore in the data folder\'s local PKI when the engine has not signed for it yet (the walkthrough of docs/api.md)', async () => {
    const dataDir = path.join(work, 'data');
    const passphraseFile = path.join(work, 'sign-passphrase.txt');
    writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
    const office = readCatalogueFile(SAMPLE_CATALOGUE_FILE).agencies.find((agency) => agency.code === '000.03.01.H99')!;
    // As `npm start` leaves it: the CA and the one-stop centre's keystore, none for the office.
    ensureLocalPki({ dir: path.join(dataDir, 'pki'), agencies: [ONE_STOP], passphrase: PASSPHRASE });
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText('Quyet dinh', { x: 50, y: 700, font: await pdf.embedFont(StandardFonts.Helvetica) });
    writeFileSync(path.join(work, 'decision.pdf'), await pdf.save());
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', new URL('../../dev/pki-cli.ts', import.meta.url).pathname, 'sign', '--agency', office.code, path.join(work, 'decision.pdf'), path.join(work, 'decision-signed.pdf'), '--passphrase-file', passphraseFile],
      { encoding: 'utf8', env: { ...process.env, MOTCUA_DATA_DIR: dataDir } },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = await verifyPdfSignature(new Uint8Array(readFileSync(path.join(work, 'decision-signed.pdf'))), loadTrustAnchors([path.join(dataDir, 'pki', 'ca.pem')]));
    expect(report).toMatchObject({ valid: true, coversWholeDocument: true });
    expect(report.signer?.organizationalUnits).toEqual([office.code]);
  }, 30_000);

  it('refuses a non-ASCII passphrase, which OpenSSL and node-forge would turn into different keys', () => {
    expect(() => ensureLocalPki({ dir: pkiDir, agencies: [ONE_STOP], passphrase: 'mật khẩu' })).toThrow(/printable ASCII/);
  });
});

describe('signing a PDF (PAdES B-B)', () => {
  it('produces a signature that verifies against the local CA, naming the agency exactly', async () => {
    const report = await verifyPdfSignature(signed, trustAnchors);
    const certificate = new X509Certificate(signer.certificate);
    expect(report).toEqual({
      valid: true,
      reasons: [],
      signer: {
        subject: `C=VN, O=${ONE_STOP.name}, OU=000.01.01.H99, CN=${ONE_STOP.name}`,
        serialNumber: certificate.serialNumber.toLowerCase(),
        issuer: 'C=VN, O=motcua, CN=CA nội bộ motcua – chỉ dùng thử nghiệm',
        notBefore: '2025-01-01T00:00:00.000Z',
        notAfter: '2035-01-01T00:00:00.000Z',
        // What the agency catalogue's rule reads (domain/catalogue/signing-identity.ts): the fingerprint, and the agency code in OU.
        certificateSha256: certificate.fingerprint256.replaceAll(':', '').toLowerCase(),
        organizationIdentifiers: [],
        organizationalUnits: ['000.01.01.H99'],
      },
      digestAlgorithm: 'SHA-256',
      signingTime: '2025-07-01T02:03:04.000Z',
      coversWholeDocument: true,
    });
  });

  it('gives the same bytes for the same PDF, signing time and key', async () => {
    const again = await signPdf(unsigned, signer, OPTIONS);
    expect(Buffer.from(again).equals(Buffer.from(signed))).toBe(true);
    const later = await signPdf(unsigned, signer, { ...OPTIONS, signingTime: new Date('2025-07-01T02:03:05Z') });
    expect(Buffer.from(later).equals(Buffer.from(signed))).toBe(false);
  });

  it('signs a composed document before its one save, as the issuer does: valid, and the same bytes each time', async () => {
    const receipt = typicalDocuments()['form-01'];
    const options = { ...OPTIONS, signingTime: new Date(receipt.metadata.issuedAt) };
    const first = await signPdf(await composeDocument(receipt), signer, options);
    const again = await signPdf(await composeDocument(structuredClone(receipt)), signer, options);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect(await verifyPdfSignature(first, trustAnchors)).toMatchObject({ valid: true, reasons: [], coversWholeDocument: true });
  });

  it('writes the placeholder strings as ASCII, the Vietnamese stripped of its diacritics', () => {
    expect(asciiPdfText('Tiếp nhận hồ sơ – Đăng ký (bản sao) \\ ĐỒNG')).toBe('Tiep nhan ho so - Dang ky \\(ban sao\\) \\\\ DONG');
    const text = Buffer.from(signed).toString('latin1');
    expect(text).toContain('/Reason (Tiep nhan ho so va hen tra ket qua)');
    expect(text).toContain('/Location (Hoa Binh)');
    expect(text).toContain('/Name (UBND xa Hoa Binh - Bo phan Mot cua)');
    expect(text).toContain('/M (D:20250701020304Z)');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
  });

  it('refuses a PDF that is already signed, since rewriting it would break the first signature, and bytes that are no PDF', async () => {
    await expect(signPdf(signed, signer, OPTIONS)).rejects.toThrow(/already signed/);
    await expect(signPdf(randomBytes(100), signer, OPTIONS)).rejects.toThrow(/not a readable PDF/);
  });

  it('refuses a signing time outside the certificate validity and says what to do', async () => {
    await expect(signPdf(unsigned, signer, { ...OPTIONS, signingTime: new Date('2024-12-31T23:59:59Z') })).rejects.toThrow(
      /certificate of agency 000\.01\.01\.H99 is valid from 2025-01-01.* not at the signing time 2024-12-31T23:59:59\.000Z: install a current keystore/,
    );
  });
});

describe('verifying a signed PDF', () => {
  it('reports a digest mismatch when a byte of either signed range changed', async () => {
    const [, firstLength, secondStart, secondLength] = extractPdfSignature(signed).byteRange;
    for (const at of [Math.floor(firstLength / 2), secondStart + Math.floor(secondLength / 2)]) {
      const report = await verifyPdfSignature(flipByte(signed, at), trustAnchors);
      expect(report.valid).toBe(false);
      expect(report.reasons).toEqual([expect.stringMatching(/^The document was changed after signing: the SHA-256 digest .* does not match/)]);
    }
  });

  it('reports bytes appended after signing as not covered', async () => {
    const appended = Buffer.concat([Buffer.from(signed), Buffer.from('\n% appended\n')]);
    const report = await verifyPdfSignature(appended, trustAnchors);
    expect(report).toMatchObject({ valid: false, coversWholeDocument: false });
    expect(report.reasons).toEqual([expect.stringMatching(/does not cover the whole document/)]);
  });

  it('reports a signature whose signer was not issued by a trusted CA', async () => {
    const otherDir = path.join(work, 'other-pki');
    ensureLocalPki({ dir: otherDir, agencies: [ONE_STOP], passphrase: PASSPHRASE, now: PKI_START });
    const stranger = await signPdf(unsigned, await loadAgencySigner(otherDir, ONE_STOP.code, PASSPHRASE), OPTIONS);
    const report = await verifyPdfSignature(stranger, trustAnchors);
    expect(report.valid).toBe(false);
    expect(report.reasons).toEqual([expect.stringMatching(/^The signer's certificate is not issued by a trusted CA/)]);
    expect(report.signer?.subject).toContain(ONE_STOP.name);
    expect(await verifyPdfSignature(stranger, loadTrustAnchors([path.join(otherDir, 'ca.pem')]))).toMatchObject({ valid: true });
  });

  it('keeps what it learnt of a signer to the same certificates and trust anchors: another anchor set or an altered signature is checked anew', async () => {
    // documents/signing/verify-signature.ts decodes a set of certificates once and remembers a chain
    // it found trusted, per set of trust anchors.
    const otherDir = path.join(work, 'other-pki-remembered');
    ensureLocalPki({ dir: otherDir, agencies: [ONE_STOP], passphrase: PASSPHRASE, now: PKI_START });
    const stranger = await signPdf(unsigned, await loadAgencySigner(otherDir, ONE_STOP.code, PASSPHRASE), OPTIONS);
    const otherAnchors = loadTrustAnchors([path.join(otherDir, 'ca.pem')]);
    expect(await verifyPdfSignature(stranger, otherAnchors)).toMatchObject({ valid: true, reasons: [] });
    expect(await verifyPdfSignature(stranger, otherAnchors)).toMatchObject({ valid: true, reasons: [] });
    expect((await verifyPdfSignature(stranger, trustAnchors)).reasons).toEqual([expect.stringMatching(/^The signer's certificate is not issued by a trusted CA/)]);
    const { cms, byteRange } = extractPdfSignature(stranger);
    const at = byteRange[1] + 1 + cms.length * 2 - 1;
    const altered = Buffer.from(stranger);
    altered[at] = altered[at] === 0x30 ? 0x31 : 0x30;
    expect((await verifyPdfSignature(altered, otherAnchors)).reasons).toEqual([expect.stringMatching(/^The signature does not verify with the signer's certificate/)]);
  });

  it('answers invalid with a reason, without throwing, for an unsigned PDF, random bytes and a damaged signature', async () => {
    expect(await verifyPdfSignature(unsigned, trustAnchors)).toEqual({
      valid: false,
      reasons: ['The document is not signed: it has no signature dictionary with a /ByteRange.'],
      coversWholeDocument: false,
    });
    expect((await verifyPdfSignature(randomBytes(5000), trustAnchors)).reasons).toEqual(['The file is not a PDF document: it has no %PDF- header.']);
    expect((await verifyPdfSignature(new Uint8Array(), trustAnchors)).valid).toBe(false);
    expect((await verifyPdfSignature(signed.subarray(0, signed.length / 2), trustAnchors)).reasons).toEqual([expect.stringMatching(/does not fit the file/)]);
    const [, firstLength] = extractPdfSignature(signed).byteRange;
    const garbled = Buffer.from(signed);
    garbled.write('ffff', firstLength + 1, 'latin1');
    expect((await verifyPdfSignature(garbled, trustAnchors)).reasons).toEqual([expect.stringMatching(/^The signature value \(\/Contents\) is not/)]);
  });

  it('reports an altered signature value as a signature that does not verify', async () => {
    const { cms } = extractPdfSignature(signed);
    const [, firstLength] = extractPdfSignature(signed).byteRange;
    // The RSA signature value is the last item of the CMS; flip its final byte's low bit in the hex text.
    const at = firstLength + 1 + cms.length * 2 - 1;
    const altered = Buffer.from(signed);
    altered[at] = altered[at] === 0x30 ? 0x31 : 0x30;
    const report = await verifyPdfSignature(altered, trustAnchors);
    expect(report.valid).toBe(false);
    expect(report.reasons).toEqual([expect.stringMatching(/^The signature does not verify with the signer's certificate/)]);
  });
});

describe('interoperability', () => {
  // OpenSSL is part of every machine this runs on (Debian's base system); these run everywhere.
  it('OpenSSL verifies the CMS over the signed byte ranges against the local CA', () => {
    const { cms, signedContent } = extractPdfSignature(signed);
    writeFileSync(path.join(work, 'signature.p7s'), cms);
    writeFileSync(path.join(work, 'signed-content.bin'), signedContent);
    const result = spawnSync('openssl', [
      'cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(work, 'signature.p7s'),
      '-content', path.join(work, 'signed-content.bin'), '-CAfile', path.join(pkiDir, 'ca.pem'), '-out', '/dev/null',
    ], { encoding: 'utf8' });
    expect(result.stderr).toContain('Verification successful');
    expect(result.status).toBe(0);
  });

  it('OpenSSL opens the agency keystores, so the usual tools can inspect or convert them', () => {
    const result = spawnSync('openssl', [
      'pkcs12', '-in', path.join(pkiDir, 'agencies', `${ONE_STOP.code}.p12`), '-passin', `pass:${PASSPHRASE}`, '-nodes', '-out', '/dev/null',
    ], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
