// PAdES baseline B-B signatures (ETSI EN 319 142-1): a detached CMS SignedData over the whole PDF
// except the /Contents hex string that holds it. The signing time is the signature dictionary's /M,
// not a CMS attribute, as PAdES requires; without a timestamp (B-T) it is the signer's own claim.
//
// Deterministic: the same PDF bytes, signing time and key give the same signed bytes (pdf-lib writes
// no date or random /ID when told not to, and RSA PKCS#1 v1.5 signatures carry no randomness), so
// re-rendering a document never produces a second, different "original".
import { createHash, KeyObject, sign as cryptoSign } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import signpdfModule, { type SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED, Signer } from '@signpdf/utils';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { DER, derBytes, derChildren, derElement, derHeader } from './der.js';
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

/** The object identifiers written, DER-encoded (tag, length, value). */
const OID = {
  signedData: '06092a864886f70d010702', // 1.2.840.113549.1.7.2
  data: '06092a864886f70d010701', // 1.2.840.113549.1.7.1
  sha256: '0609608648016503040201', // 2.16.840.1.101.3.4.2.1
  sha256WithRsa: '06092a864886f70d01010b', // 1.2.840.113549.1.1.11
  contentType: '06092a864886f70d010903', // 1.2.840.113549.1.9.3
  messageDigest: '06092a864886f70d010904', // 1.2.840.113549.1.9.4
  signingCertificateV2: '060b2a864886f70d010910022f', // 1.2.840.113549.1.9.16.2.47
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

/** What a signature needs of the signer, prepared once. */
interface ParsedSigner {
  readonly certificate: pkijs.Certificate;
  readonly certificateHash: Uint8Array;
  readonly template: SignerTemplate;
  readonly key: KeyObject;
}

// Parsing the certificates (pkijs, in JavaScript) cost more than the RSA signature itself; a
// signer's certificates never change, so each signer's are read once.
const parsedSigners = new WeakMap<AgencySigner, ParsedSigner>();

function parsed(signer: AgencySigner): ParsedSigner {
  let result = parsedSigners.get(signer);
  if (!result) {
    result = {
      certificate: pkijs.Certificate.fromBER(signer.certificate),
      certificateHash: sha256(signer.certificate),
      template: signerTemplate(signer),
      // node:crypto signs with the same key as WebCrypto would, without a promise per signature.
      key: KeyObject.from(signer.privateKey),
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

/**
 * The CMS part, written as DER directly: the certificates and the signer's identifier are the
 * certificates' own bytes, copied verbatim (re-encoding them could change how a UTF-8 name is
 * written); only the signed attributes and the signature are new for each document. Building it
 * with pkijs objects cost more than the RSA signature itself.
 */
class CadesDetachedSigner extends Signer {
  constructor(private readonly signer: AgencySigner) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    const { template, certificateHash, key } = parsed(this.signer);
    const attributes = signedAttributes(sha256(signedBytes), certificateHash);
    // The signature covers the attributes as a SET OF (RFC 5652, 5.4), stored as [0] IMPLICIT.
    const signature = cryptoSign('sha256', derElement(DER.SET, ...attributes), key);
    const signerInfo = derElement(
      DER.SEQUENCE,
      VERSION_1,
      template.issuerAndSerialNumber,
      SHA256_ALGORITHM,
      derElement(DER.CONTEXT_0, ...attributes),
      SHA256_WITH_RSA_ALGORITHM,
      derElement(DER.OCTET_STRING, signature),
    );
    const signedData = derElement(
      DER.SEQUENCE,
      VERSION_1,
      derElement(DER.SET, SHA256_ALGORITHM),
      // No eContent: the signature is detached, the PDF's byte ranges are the content.
      derElement(DER.SEQUENCE, oid(OID.data)),
      template.certificates,
      derElement(DER.SET, signerInfo),
    );
    return Buffer.from(derElement(DER.SEQUENCE, oid(OID.signedData), derElement(DER.CONTEXT_0, signedData)));
  }
}

const oid = (hex: string) => Buffer.from(hex, 'hex');
const VERSION_1 = Uint8Array.of(DER.INTEGER, 1, 1);
const SHA256_ALGORITHM = derElement(DER.SEQUENCE, oid(OID.sha256), Uint8Array.of(DER.NULL, 0));
const SHA256_WITH_RSA_ALGORITHM = derElement(DER.SEQUENCE, oid(OID.sha256WithRsa));

/** The parts of the CMS that are the same in every signature of a signer. */
interface SignerTemplate {
  /** The certificate's issuer Name and serial number INTEGER, as in the certificate. */
  readonly issuerAndSerialNumber: Uint8Array;
  /** [0] IMPLICIT SET OF Certificate: the signer's certificate, then its chain. */
  readonly certificates: Uint8Array;
}

function signerTemplate(signer: AgencySigner): SignerTemplate {
  const certificate = derHeader(signer.certificate, 0);
  const tbs = certificate && derChildren(signer.certificate, certificate)?.[0];
  const fields = tbs && derChildren(signer.certificate, tbs);
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, ...
  const rest = fields?.[0]?.tag === DER.CONTEXT_0 ? fields.slice(1) : fields;
  const [serialNumber, , issuer] = rest ?? [];
  if (serialNumber?.tag !== DER.INTEGER || issuer?.tag !== DER.SEQUENCE) {
    throw new SigningError(`the certificate of agency ${signer.agencyCode} is not an X.509 certificate this signer can read`);
  }
  return {
    issuerAndSerialNumber: derElement(DER.SEQUENCE, derBytes(signer.certificate, issuer), derBytes(signer.certificate, serialNumber)),
    certificates: derElement(DER.CONTEXT_0, signer.certificate, ...signer.chain),
  };
}

/** contentType, messageDigest and signing-certificate-v2, each a DER Attribute, in DER SET OF order. */
function signedAttributes(digest: Uint8Array, certificateHash: Uint8Array): Uint8Array[] {
  const attribute = (type: string, value: Uint8Array) => derElement(DER.SEQUENCE, oid(type), derElement(DER.SET, value));
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, derElement(DER.OCTET_STRING, digest)),
    // ESS signing-certificate-v2 (RFC 5035), required by PAdES: binds the signature to this very certificate.
    // One ESSCertIDv2 holding just the certificate's hash (SHA-256 is the default algorithm, hence omitted).
    attribute(OID.signingCertificateV2, derElement(DER.SEQUENCE, derElement(DER.SEQUENCE, derElement(DER.SEQUENCE, derElement(DER.OCTET_STRING, certificateHash))))),
  ];
  // Signed attributes are a DER SET OF, ordered by encoding. Verifiers such as OpenSSL re-encode
  // them before checking the signature, so any other order would fail there.
  return attributes.sort((a, b) => Buffer.compare(a, b));
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
