// Issuing a document: lay its model out as PDF, sign it with the issuing agency's keystore (PAdES),
// check the signature as any verifier would, and keep the file in the content-addressed store. The
// check's report is what the DocumentIssued event records.
//
// With a local PKI (the embedded default and the tests) an agency without a keystore gets one from
// the local CA on first use; in production a missing keystore is an error an operator fixes, and
// the workflow retries until then.
import { X509Certificate } from 'node:crypto';
import type { DocumentModel } from '../domain/documents/document-model.js';
import type { SignatureReport } from '../domain/dossier/commands.js';
import type { DocumentStore, StoredFile } from './document-store.js';
import { composeDocument } from './pdf/render-document.js';
import { loadAgencySigner, loadTrustAnchors, type AgencySigner } from './signing/keystore.js';
import { ensureLocalPki } from './signing/local-pki.js';
import { signPdf } from './signing/pades-signer.js';
import { verifyPdfSignature } from './signing/verify-signature.js';

export type TrustAnchors = ReturnType<typeof loadTrustAnchors>;

export interface SigningSettings {
  /** Holds `agencies/<agency code>.p12` (and, for a local PKI, `ca.pem` and `ca-key.p12`). */
  readonly keystoreDir: string;
  readonly passphrase: string;
  /** PEM files of the CAs whose certificates a verification trusts. */
  readonly trustAnchorFiles: readonly string[];
  /** Issue missing agency keystores from the local CA in `keystoreDir` (never in production). */
  readonly localPki: boolean;
}

export interface IssuedFile {
  readonly file: StoredFile;
  readonly signature: SignatureReport;
}

export interface DocumentIssuer {
  issue(model: DocumentModel, issuer: { readonly code: string; readonly name: string }): Promise<IssuedFile>;
  readonly trustAnchors: TrustAnchors;
}

const PURPOSE: Record<DocumentModel['kind'], string> = {
  'form-01': 'Tiếp nhận hồ sơ và hẹn trả kết quả',
  'form-02': 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  'form-03': 'Từ chối tiếp nhận, giải quyết hồ sơ',
  'form-04': 'Xin lỗi và gia hạn thời gian giải quyết',
  'form-05': 'Thông báo dừng giải quyết hồ sơ',
  'form-06': 'Phiếu kiểm soát quá trình giải quyết',
  'form-07': 'Sổ theo dõi hồ sơ',
  result: 'Kết quả giải quyết thủ tục hành chính',
  'lateness-apology': 'Xin lỗi vì hồ sơ quá hạn giải quyết',
  'feedback-answer': 'Trả lời phản ánh, kiến nghị',
};

export function createDocumentIssuer(store: DocumentStore, settings: SigningSettings): DocumentIssuer {
  if (settings.localPki) ensureLocalPki({ dir: settings.keystoreDir, agencies: [], passphrase: settings.passphrase });
  const trustAnchors = loadTrustAnchors(settings.trustAnchorFiles);
  const signers = new Map<string, Promise<AgencySigner>>();

  const signerFor = (issuer: { code: string; name: string }): Promise<AgencySigner> => {
    let signer = signers.get(issuer.code);
    if (!signer) {
      if (settings.localPki) ensureLocalPki({ dir: settings.keystoreDir, agencies: [issuer], passphrase: settings.passphrase });
      signer = loadAgencySigner(settings.keystoreDir, issuer.code, settings.passphrase);
      // A failure is not cached: the operator may install the keystore before the retry.
      signer.catch(() => signers.delete(issuer.code));
      signers.set(issuer.code, signer);
    }
    return signer;
  };

  return {
    trustAnchors,
    async issue(model, issuer) {
      const pdf = await composeDocument(model);
      const signer = await signerFor(issuer);
      const signed = await signPdf(pdf, signer, {
        signingTime: signingTimeFor(model.metadata.issuedAt, signer),
        reason: PURPOSE[model.kind],
        location: model.placeAndDate.split(',')[0] ?? '',
        name: issuer.name,
      });
      const signature = await verifyPdfSignature(signed, trustAnchors);
      const file = await store.put(signed, 'application/pdf');
      return { file, signature };
    },
  };
}

/**
 * The signature's time: the instant the document was issued for, so the same events give the same
 * signed bytes, but never before the certificate's start. A document whose agency had no valid
 * keystore at that instant (installed later, or renewed) is signed as of the certificate's first
 * moment instead of failing for ever; the document itself still carries its own date.
 */
function signingTimeFor(issuedAt: string, signer: AgencySigner): Date {
  let validFrom = validFromOf.get(signer);
  if (validFrom === undefined) validFromOf.set(signer, (validFrom = Date.parse(new X509Certificate(signer.certificate).validFrom)));
  return new Date(Math.max(Date.parse(issuedAt), validFrom));
}

/** Each signer's certificate start, read once (a signer's certificate never changes). */
const validFromOf = new WeakMap<AgencySigner, number>();
