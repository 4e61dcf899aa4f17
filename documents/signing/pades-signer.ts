// PAdES baseline B-B signatures (ETSI EN 319 142-1): a detached CMS SignedData over the whole PDF
// except the /Contents hex string that holds it. The signing time is the signature dictionary's /M,
// not a CMS attribute, as PAdES requires; without a timestamp (B-T) it is the signer's own claim.
//
// Deterministic: the same PDF bytes, signing time and key give the same signed bytes (pdf-lib writes
// no date or random /ID when told not to, and RSA PKCS#1 v1.5 signatures carry no randomness), so
// re-rendering a document never produces a second, different "original".
import { createHash } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import signpdfModule, { type SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED, Signer } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import * as pkijs from 'pkijs';
import type { AgencySigner } from './keystore.js';

// The package is CommonJS with `exports.default`; depending on the loader, ESM sees it one level deep.
const signpdf: SignPdf = (signpdfModule as unknown as { default?: SignPdf }).default ?? (signpdfModule as unknown as SignPdf);

export interface SignPdfOptions {
  readonly signingTime: Date;
  /** Free text in the signature dictionary, e.g. "Tiếp nhận hồ sơ": made ASCII by `asciiPdfText`. */
  readonly reason: string;
  readonly location: string;
  readonly contactInfo?: string;
  /** The signer's name as displayed by PDF readers (made ASCII too); the certificate carries the exact one. */
  readonly name: string;
}

export class SigningError extends Error {
  override readonly name = 'SigningError';
}

/** Room reserved for the CMS: about 2.3 KB is used with an RSA-2048 certificate and its CA. */
const SIGNATURE_BYTES = 8192;

const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/**
 * Signs a PDF: its bytes, or a pdf-lib document not yet saved (documents/pdf/render-document.ts's
 * `composeDocument`), which saves parsing the bytes again; such a document gets the placeholder
 * added in place.
 */
export async function signPdf(pdf: Uint8Array | PDFDocument, signer: AgencySigner, options: SignPdfOptions): Promise<Uint8Array> {
  assertCertificateValidAt(signer, options.signingTime);
  const prepared = await withSignaturePlaceholder(pdf, options);
  try {
    return await signpdf.sign(prepared, new CadesDetachedSigner(signer), options.signingTime);
  } catch (error) {
    throw new SigningError(`signing for agency ${signer.agencyCode} failed: ${(error as Error).message}`);
  }
}

/**
 * Text for a PDF literal string written by pdf-lib's `PDFString.of`, which accepts only Latin-1 and
 * escapes nothing: Vietnamese diacritics are removed (Hòa Bình → Hoa Binh, Đ → D), dashes become "-",
 * any other non-ASCII character "?", and parentheses and backslashes are escaped.
 */
export function asciiPdfText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/[\\()]/g, (character) => `\\${character}`);
}

/** The signer's certificates, parsed. */
interface ParsedSigner {
  readonly certificate: pkijs.Certificate;
  readonly chain: readonly pkijs.Certificate[];
  readonly certificateHash: Uint8Array;
}

// Parsing the certificates (pkijs, in JavaScript) cost more than the RSA signature itself; a
// signer's certificates never change, so each signer's are parsed once.
const parsedSigners = new WeakMap<AgencySigner, ParsedSigner>();

function parsed(signer: AgencySigner): ParsedSigner {
  let result = parsedSigners.get(signer);
  if (!result) {
    result = {
      certificate: pkijs.Certificate.fromBER(signer.certificate),
      chain: signer.chain.map((der) => pkijs.Certificate.fromBER(der)),
      certificateHash: sha256(signer.certificate),
    };
    parsedSigners.set(signer, result);
  }
  return result;
}

function assertCertificateValidAt(signer: AgencySigner, signingTime: Date): void {
  const { notBefore, notAfter } = parsed(signer).certificate;
  if (signingTime < notBefore.value || signingTime > notAfter.value) {
    throw new SigningError(
      `the certificate of agency ${signer.agencyCode} is valid from ${notBefore.value.toISOString()} to ${notAfter.value.toISOString()}, not at the signing time ${signingTime.toISOString()}: install a current keystore for the agency`,
    );
  }
}

async function withSignaturePlaceholder(pdf: Uint8Array | PDFDocument, options: SignPdfOptions): Promise<Buffer> {
  // updateMetadata: false keeps pdf-lib from writing the current time as ModDate (determinism).
  const document =
    pdf instanceof PDFDocument
      ? pdf
      : await PDFDocument.load(pdf, { updateMetadata: false }).catch((error: Error) => {
          throw new SigningError(`the document to sign is not a readable PDF: ${error.message}`);
        });
  if (hasSignature(document)) {
    // pdf-lib rewrites the whole file rather than appending an incremental update, which would break the existing signature.
    throw new SigningError('the PDF is already signed: sign the unsigned original, a second signature would invalidate the first');
  }
  pdflibAddPlaceholder({
    pdfDoc: document,
    reason: asciiPdfText(options.reason),
    location: asciiPdfText(options.location),
    contactInfo: asciiPdfText(options.contactInfo ?? ''),
    name: asciiPdfText(options.name),
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
  });
  // Object streams would compress the signature dictionary, whose /ByteRange signpdf patches in place.
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

function hasSignature(document: PDFDocument): boolean {
  return document.context.enumerateIndirectObjects().some(([, object]) => object instanceof PDFDict && object.has(PDFName.of('ByteRange')));
}

/** The CMS part: pkijs copies the issuer name's DER verbatim, where node-forge re-encodes UTF-8 names twice. */
class CadesDetachedSigner extends Signer {
  constructor(private readonly signer: AgencySigner) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    const { certificate, chain, certificateHash } = parsed(this.signer);
    const signedData = new pkijs.SignedData({
      version: 1,
      // No eContent: the signature is detached, the PDF's byte ranges are the content.
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: signedAttributes(signedBytes, certificateHash) }),
        }),
      ],
      certificates: [certificate, ...chain],
    });
    await signedData.sign(this.signer.privateKey, 0, 'SHA-256');
    const contentInfo = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
    return Buffer.from(contentInfo.toSchema().toBER(false));
  }
}

function signedAttributes(signedBytes: Buffer, certificateHash: Uint8Array): pkijs.Attribute[] {
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: sha256(signedBytes) })] }),
    // ESS signing-certificate-v2 (RFC 5035), required by PAdES: binds the signature to this very certificate.
    // One ESSCertIDv2 holding just the certificate's hash (SHA-256 is the default algorithm, hence omitted).
    new pkijs.Attribute({
      type: OID.signingCertificateV2,
      values: [
        new asn1js.Sequence({
          value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certificateHash })] })] })],
        }),
      ],
    }),
  ];
  // Signed attributes are a DER SET OF, ordered by encoding. Verifiers such as OpenSSL re-encode
  // them before checking the signature, so any other order would fail there.
  const encoded = (attribute: pkijs.Attribute) => Buffer.from(attribute.toSchema().toBER(false));
  return attributes.sort((a, b) => Buffer.compare(encoded(a), encoded(b)));
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
