// The competent body's signed result, as a test sends it: a small PDF made with pdf-lib and signed
// (PAdES) with an agency's keystore, posted to POST /dossiers/{code}/issue-result as
// multipart/form-data (docs/decisions/0017). By default the suite's local PKI signs, whose CA the
// engine trusts (test/support/test-pki.ts); a keystore directory of another CA makes a signer the
// engine does not trust.
import { existsSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { agencyKeystoreFile, loadAgencySigner } from '../../documents/signing/keystore.js';
import { ensureLocalPki } from '../../documents/signing/local-pki.js';
import { signPdf } from '../../documents/signing/pades-signer.js';
import { authAs } from './engine.js';
import { testSigningSettings } from './test-pki.js';
import type { Role } from '../../domain/dossier/actor.js';

export interface SignedResultOptions {
  /** The keystore directory (default: the suite's local PKI); its CA signs the agency's certificate. */
  readonly keystoreDir?: string;
  readonly passphrase?: string;
  /** Made only when the directory has no keystore for the agency yet (it becomes the certificate's O and CN). */
  readonly agencyName?: string;
}

/** A one-page PDF naming the result, unsigned. */
export async function resultPdf(reference: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText(`Result ${reference}`, { x: 50, y: 750, size: 14, font });
  return pdf.save({ useObjectStreams: false });
}

/** The result PDF signed with the keystore of `agencyCode`. */
export async function signedResult(agencyCode: string, reference: string, options: SignedResultOptions = {}): Promise<Uint8Array> {
  const settings = testSigningSettings();
  const dir = options.keystoreDir ?? settings.keystoreDir;
  const passphrase = options.passphrase ?? settings.passphrase;
  if (!existsSync(agencyKeystoreFile(dir, agencyCode))) ensureLocalPki({ dir, agencies: [{ code: agencyCode, name: options.agencyName ?? `Cơ quan ${agencyCode}` }], passphrase });
  const signer = await loadAgencySigner(dir, agencyCode, passphrase);
  return signPdf(await resultPdf(reference), signer, { signingTime: new Date(), reason: 'Ket qua giai quyet', location: 'VN', name: agencyCode });
}

/** Posts a result file as multipart/form-data: the `file` part and the `reference` field. */
export async function postResult(
  url: string,
  actor: { userId: string; role: Role; agencyCode: string },
  file: Uint8Array | undefined,
  reference: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const form = new FormData();
  if (reference !== undefined) form.append('reference', reference);
  if (file !== undefined) form.append('file', new Blob([file], { type: 'application/pdf' }), 'result.pdf');
  const response = await fetch(url, { method: 'POST', headers: { ...(await authAs(actor)), ...headers }, body: form });
  return { status: response.status, json: await response.json() };
}

/** Issues the result of dossier `code` as its competent body's head: a PDF signed with that agency's keystore. */
export async function issueSignedResult(engineUrl: string, code: string, head: { userId: string; role: Role; agencyCode: string }, reference: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return postResult(`${engineUrl}/dossiers/${code}/issue-result`, head, await signedResult(head.agencyCode, reference), reference, headers);
}
