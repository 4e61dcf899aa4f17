// Verifying a PDF's signature: what a reviewer, a receiving agency or a citizen's portal asks of a
// signed result. Each check that fails adds an English sentence to the report; nothing throws, so a
// damaged or foreign file is answered "invalid, because…" like any other.
//
// The signature is located in the raw bytes rather than through a PDF parser: a document changed
// after signing may no longer parse, and must still be reported as changed, not as unreadable.
// Only the last signature of the file is checked (motcua signs each document once).
import { createHash, createPublicKey, type KeyObject, verify as verifyWithKey } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { type DerHeader, derElement, derHeader } from './der.js';

export interface SignerSummary {
  /** Attributes in certificate order, e.g. "C=VN, O=UBND xã Hòa Bình, OU=000.01.01.H99, CN=UBND xã Hòa Bình". */
  readonly subject: string;
  /** Lowercase hexadecimal. */
  readonly serialNumber: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** SHA-256 of the certificate's DER encoding, lowercase hexadecimal: what a catalogue pins. */
  readonly certificateSha256: string;
  /** The subject's organizationIdentifier (2.5.4.97) values, e.g. "GOVVN-000.01.01.H99". */
  readonly organizationIdentifiers: string[];
  /** The subject's OU values, e.g. "000.01.01.H99" as the local PKI writes it. */
  readonly organizationalUnits: string[];
}

export interface SignatureReport {
  readonly valid: boolean;
  /** Empty when valid; otherwise one English sentence per problem found. */
  readonly reasons: string[];
  readonly signer?: SignerSummary;
  /** e.g. "SHA-256". */
  readonly digestAlgorithm?: string;
  /** The signature dictionary's /M as an ISO instant: claimed by the signer, not attested by a timestamp. */
  readonly signingTime?: string;
  /** The /ByteRange starts at byte 0, ends at the last byte and leaves out only the /Contents hex string. */
  readonly coversWholeDocument: boolean;
}

export interface ExtractedSignature {
  readonly byteRange: readonly [number, number, number, number];
  /** The DER CMS SignedData, without the placeholder's zero padding. */
  readonly cms: Uint8Array;
  /** The bytes the signature covers: both ranges, concatenated. */
  readonly signedContent: Uint8Array;
  readonly coversWholeDocument: boolean;
  readonly signingTime?: Date;
}

/** Why a file holds no checkable signature; the message is a sentence for the report. */
export class SignatureFormatError extends Error {
  override readonly name = 'SignatureFormatError';
}

const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
} as const;

const DIGESTS: Record<string, { name: string; node: string }> = {
  '1.3.14.3.2.26': { name: 'SHA-1', node: 'sha1' },
  '2.16.840.1.101.3.4.2.1': { name: 'SHA-256', node: 'sha256' },
  '2.16.840.1.101.3.4.2.2': { name: 'SHA-384', node: 'sha384' },
  '2.16.840.1.101.3.4.2.3': { name: 'SHA-512', node: 'sha512' },
};

const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const CERTIFICATE_EXPIRED = 'not yet valid or expired';

export async function verifyPdfSignature(pdf: Uint8Array, trustAnchors: readonly pkijs.Certificate[]): Promise<SignatureReport> {
  try {
    return await checkSignature(pdf, trustAnchors);
  } catch (error) {
    const reason = error instanceof SignatureFormatError ? error.message : `The signature could not be checked: ${(error as Error).message}.`;
    return { valid: false, reasons: [reason], coversWholeDocument: false };
  }
}

async function checkSignature(pdf: Uint8Array, trustAnchors: readonly pkijs.Certificate[]): Promise<SignatureReport> {
  const signature = extractPdfSignature(pdf);
  const reasons: string[] = [];
  if (!signature.coversWholeDocument) {
    reasons.push(`The /ByteRange [${signature.byteRange.join(' ')}] does not cover the whole document (${pdf.length} bytes): the bytes outside it are not protected by the signature.`);
  }
  const { signedData, certificatesKey } = parseSignedData(signature.cms);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new SignatureFormatError('The CMS structure holds no signer.');
  const certificate = signerCertificate(signedData, signerInfo);
  const digest = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (digest) reasons.push(...digestProblems(signerInfo, digest, signature.signedContent));
  else reasons.push(`The digest algorithm ${signerInfo.digestAlgorithm.algorithmId} is not supported.`);
  // SHA-1 collisions are practical: a SHA-1 signature proves nothing about the document.
  if (digest?.name === 'SHA-1') reasons.push('The signature uses SHA-1, which no longer protects a document against forgery; it must use SHA-256 or stronger.');
  reasons.push(...keyUsageProblems(certificate));
  const checkDate = signature.signingTime ?? new Date();
  const validity = validityProblems(certificate, checkDate);
  const chain = certificatesKey === undefined ? undefined : { key: `${certificatesKey} ${signedData.certificates!.indexOf(certificate)}`, certificates: signedData.certificates! };
  reasons.push(...validity, ...(await cryptographicProblems(signedData, signature.signedContent, trustAnchors, checkDate, validity.length > 0, chain)));
  return {
    valid: reasons.length === 0,
    reasons,
    signer: summary(certificate),
    ...(digest ? { digestAlgorithm: digest.name } : {}),
    ...(signature.signingTime ? { signingTime: signature.signingTime.toISOString() } : {}),
    coversWholeDocument: signature.coversWholeDocument,
  };
}

/** Finds the last signature of the file; throws `SignatureFormatError` when there is none to check. */
export function extractPdfSignature(pdf: Uint8Array): ExtractedSignature {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  if (!text.slice(0, 1024).includes('%PDF-')) throw new SignatureFormatError('The file is not a PDF document: it has no %PDF- header.');
  const match = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].pop();
  if (!match) throw new SignatureFormatError('The document is not signed: it has no signature dictionary with a /ByteRange.');
  const byteRange = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])] as const;
  const [start, firstLength, secondStart, secondLength] = byteRange;
  const gapStart = start + firstLength;
  if (gapStart >= secondStart || secondStart + secondLength > pdf.length) {
    throw new SignatureFormatError(`The /ByteRange [${byteRange.join(' ')}] does not fit the file (${pdf.length} bytes).`);
  }
  const contents = /^<([0-9A-Fa-f\s]*)>$/.exec(text.slice(gapStart, secondStart));
  if (!contents) {
    throw new SignatureFormatError(`The /ByteRange [${byteRange.join(' ')}] leaves out more than the /Contents hex string, so it does not cover the whole document.`);
  }
  const signedContent = new Uint8Array(firstLength + secondLength);
  signedContent.set(pdf.subarray(start, gapStart), 0);
  signedContent.set(pdf.subarray(secondStart, secondStart + secondLength), firstLength);
  const signingTime = pdfDate(signatureDictionaryText(text, match.index, secondStart));
  return {
    byteRange,
    cms: withoutPadding(new Uint8Array(Buffer.from(contents[1]!.replace(/\s+/g, ''), 'hex'))),
    signedContent,
    coversWholeDocument: start === 0 && secondStart + secondLength === pdf.length,
    ...(signingTime ? { signingTime } : {}),
  };
}

/** The indirect object around the /ByteRange, minus the /Contents hex string (which never holds /M). */
function signatureDictionaryText(text: string, byteRangeAt: number, afterContents: number): string {
  const objectStart = Math.max(0, text.lastIndexOf(' obj', byteRangeAt));
  const objectEnd = text.indexOf('endobj', afterContents);
  return text.slice(objectStart, objectEnd === -1 ? undefined : objectEnd);
}

/** A PDF date (D:YYYYMMDDHHmmSS followed by Z, +HH'mm' or -HH'mm'), read from the /M entry. */
function pdfDate(dictionary: string): Date | undefined {
  const match = /\/M\s*\(D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Z+-])(\d{2})?'?(\d{2})?'?)?\)/.exec(dictionary);
  if (!match) return undefined;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone, zoneHours = '00', zoneMinutes = '00'] = match;
  const offsetMinutes = (zone === '-' ? -1 : zone === '+' ? 1 : 0) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) - offsetMinutes * 60_000;
  return Number.isNaN(utc) ? undefined : new Date(utc);
}

/** The placeholder is longer than the CMS; the zeros after it are not part of the DER. */
function withoutPadding(bytes: Uint8Array): Uint8Array {
  // A definite-length DER header says where the structure ends without decoding it.
  const header = derHeader(bytes, 0);
  if (header && header.end <= bytes.length) return bytes.slice(0, header.end);
  const { offset } = asn1js.fromBER(bytes);
  if (offset === -1) throw new SignatureFormatError('The signature value (/Contents) is not a DER structure.');
  return bytes.slice(0, offset);
}

function parseSignedData(cms: Uint8Array): { signedData: pkijs.SignedData; certificatesKey?: string } {
  try {
    const split = withoutCertificates(cms);
    if (!split) return { signedData: parseContentInfo(cms) };
    // The certificates are most of the CMS and the same in every signature of a signer: decoding
    // them (asn1js and pkijs, in JavaScript) cost more than the rest of the check, so each distinct
    // set is decoded once and its objects shared, as the signer shares its own.
    const certificatesKey = createHash('sha256').update(split.certificates).digest('base64');
    let certificates = decodedCertificates.get(certificatesKey);
    if (!certificates) {
      certificates = parseContentInfo(split.withCertificatesOnly).certificates ?? [];
      if (decodedCertificates.size >= DECODED_CERTIFICATES_KEPT) decodedCertificates.clear();
      decodedCertificates.set(certificatesKey, certificates);
    }
    const signedData = parseContentInfo(split.rest);
    signedData.certificates = certificates;
    return { signedData, certificatesKey };
  } catch (error) {
    throw new SignatureFormatError(`The signature value (/Contents) is not a CMS SignedData structure (${(error as Error).message}).`);
  }
}

function parseContentInfo(cms: Uint8Array): pkijs.SignedData {
  const contentInfo = pkijs.ContentInfo.fromBER(cms);
  if (contentInfo.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error(`content type ${contentInfo.contentType}`);
  return new pkijs.SignedData({ schema: contentInfo.content });
}

type DecodedCertificates = NonNullable<pkijs.SignedData['certificates']>;
const decodedCertificates = new Map<string, DecodedCertificates>();
/** Signers in use at once are few; the cache is emptied rather than let grow past this. */
const DECODED_CERTIFICATES_KEPT = 256;

/**
 * The ContentInfo split in two: without the SignedData's certificates (`rest`), and with the
 * certificates alone among empty fields (`withCertificatesOnly`), each a ContentInfo pkijs parses
 * as it would the whole. Undefined when the structure is not the plain DER shape this expects;
 * the caller then parses the whole.
 */
function withoutCertificates(cms: Uint8Array): { rest: Uint8Array; withCertificatesOnly: Uint8Array; certificates: Uint8Array } | undefined {
  const contentInfo = derHeader(cms, 0);
  if (contentInfo?.tag !== 0x30 || contentInfo.end !== cms.length) return undefined;
  const contentType = derHeader(cms, contentInfo.start);
  if (contentType?.tag !== 0x06) return undefined;
  const explicit = derHeader(cms, contentType.end);
  if (explicit?.tag !== 0xa0 || explicit.end !== contentInfo.end) return undefined;
  const signedData = derHeader(cms, explicit.start);
  if (signedData?.tag !== 0x30 || signedData.end !== explicit.end) return undefined;
  const fields: { header: DerHeader; bytes: Uint8Array }[] = [];
  for (let at = signedData.start; at < signedData.end; ) {
    const field = derHeader(cms, at);
    if (!field || field.end > signedData.end) return undefined;
    fields.push({ header: field, bytes: cms.subarray(at, field.end) });
    at = field.end;
  }
  const certificates = fields.find((field) => field.header.tag === 0xa0);
  // version, digestAlgorithms, encapContentInfo, [0] certificates, signerInfos (no CRLs)
  if (!certificates || fields.length !== 5 || fields[3] !== certificates) return undefined;
  const [version, , encapContentInfo] = fields;
  const wrap = (...parts: Uint8Array[]) => derElement(0x30, cms.subarray(contentInfo.start, contentType.end), derElement(0xa0, derElement(0x30, ...parts)));
  return {
    rest: wrap(...fields.filter((field) => field !== certificates).map((field) => field.bytes)),
    withCertificatesOnly: wrap(version!.bytes, Uint8Array.of(0x31, 0), encapContentInfo!.bytes, certificates.bytes, Uint8Array.of(0x31, 0)),
    certificates: certificates.bytes,
  };
}

function signerCertificate(signedData: pkijs.SignedData, signerInfo: pkijs.SignerInfo): pkijs.Certificate {
  const sid = signerInfo.sid;
  const certificate = (signedData.certificates ?? []).find(
    (candidate): candidate is pkijs.Certificate =>
      candidate instanceof pkijs.Certificate && sid instanceof pkijs.IssuerAndSerialNumber && candidate.issuer.isEqual(sid.issuer) && candidate.serialNumber.isEqual(sid.serialNumber),
  );
  if (!certificate) throw new SignatureFormatError("The signer's certificate is not included in the signature, so it cannot be checked.");
  return certificate;
}

function digestProblems(signerInfo: pkijs.SignerInfo, digest: { name: string; node: string }, signedContent: Uint8Array): string[] {
  const attribute = signerInfo.signedAttrs?.attributes.find((candidate) => candidate.type === OID.messageDigest);
  const claimed = attribute?.values[0];
  if (!(claimed instanceof asn1js.OctetString)) return ['The signature has no message-digest signed attribute, which PAdES requires.'];
  const actual = createHash(digest.node).update(signedContent).digest();
  return actual.equals(claimed.valueBlock.valueHexView)
    ? []
    : [`The document was changed after signing: the ${digest.name} digest of the signed byte ranges does not match the signature's message digest.`];
}

/** A certificate that states its key usage must allow signatures (digitalSignature or nonRepudiation). */
function keyUsageProblems(certificate: pkijs.Certificate): string[] {
  const extension = certificate.extensions?.find((candidate) => candidate.extnID === '2.5.29.15');
  if (!extension) return [];
  const bits = (extension.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined)?.valueBlock?.valueHexView?.[0] ?? 0;
  const DIGITAL_SIGNATURE = 0x80;
  const NON_REPUDIATION = 0x40;
  return bits & (DIGITAL_SIGNATURE | NON_REPUDIATION) ? [] : ["The signer's certificate does not allow signing documents (its key usage has neither digitalSignature nor nonRepudiation)."];
}

function validityProblems(certificate: pkijs.Certificate, at: Date): string[] {
  const { notBefore, notAfter } = certificate;
  return at < notBefore.value || at > notAfter.value
    ? [`The signer's certificate was not valid at the signing time ${at.toISOString()}: it is valid from ${notBefore.value.toISOString()} to ${notAfter.value.toISOString()}.`]
    : [];
}

/**
 * The signature value and the chain, checked apart so that both answers are given: pkijs stops
 * at the first failure, and checks the chain first.
 */
async function cryptographicProblems(
  signedData: pkijs.SignedData,
  signedContent: Uint8Array,
  trustAnchors: readonly pkijs.Certificate[],
  checkDate: Date,
  signerValidityReported: boolean,
  chain: { readonly key: string; readonly certificates: DecodedCertificates } | undefined,
): Promise<string[]> {
  // signedContent is a fresh array, so its whole buffer is the content.
  const data = signedContent.buffer as ArrayBuffer;
  const problems: string[] = [];
  const quick = rsaSignatureVerifies(signedData, signedContent);
  if (quick === false) problems.push(SIGNATURE_DOES_NOT_VERIFY);
  if (quick === undefined) {
    try {
      if (!(await signedData.verify({ signer: 0, data, checkChain: false }))) problems.push(SIGNATURE_DOES_NOT_VERIFY);
    } catch (error) {
      // A digest mismatch is already reported, in clearer words, by digestProblems.
      if (!/digest doesn't match/i.test((error as Error).message)) problems.push(`The signature does not verify: ${(error as Error).message}.`);
    }
  }
  if (chain && chainTrustedBefore(trustAnchors, chain.key, checkDate)) return problems;
  try {
    if (await signedData.verify({ signer: 0, data, checkChain: true, trustedCerts: [...trustAnchors], checkDate })) rememberTrustedChain(trustAnchors, chain, checkDate);
  } catch (error) {
    // Code 5 is the chain; any other failure was met by the first verification.
    if (error instanceof pkijs.SignedDataVerifyError && error.code === 5) {
      if (!error.message.includes(CERTIFICATE_EXPIRED)) problems.push(`The signer's certificate is not issued by a trusted CA (${error.message}).`);
      else if (!signerValidityReported) problems.push(`A CA certificate in the signer's chain was not valid at the signing time ${checkDate.toISOString()}.`);
    }
  }
  return problems;
}

const SIGNATURE_DOES_NOT_VERIFY = "The signature does not verify with the signer's certificate: the signed attributes or the signature value were altered, or another key signed.";

/** RSA PKCS#1 v1.5 signature algorithms and the digest each names (rsaEncryption takes the signer's digest algorithm). */
const RSA_SIGNATURES: Record<string, string | undefined> = {
  '1.2.840.113549.1.1.1': undefined,
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const publicKeys = new WeakMap<pkijs.Certificate, KeyObject>();

/**
 * The first verification of pkijs's `SignedData.verify` (no chain) for the common case, an RSA
 * PKCS#1 v1.5 signature over signed attributes, with node:crypto: pkijs imports the certificate's
 * key into WebCrypto on every call, which cost more than the check. The same outcome as pkijs's:
 * false when the signature does not verify, true when it does or when the message digest does not
 * match (pkijs stops there, and digestProblems reports it). Undefined for any other shape, which
 * pkijs checks as before.
 */
function rsaSignatureVerifies(signedData: pkijs.SignedData, signedContent: Uint8Array): boolean | undefined {
  const signerInfo = signedData.signerInfos[0];
  const digest = signerInfo && DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  const algorithm = signerInfo?.signatureAlgorithm.algorithmId;
  if (!signerInfo || !digest || algorithm === undefined || !(algorithm in RSA_SIGNATURES) || !signerInfo.signedAttrs) return undefined;
  if (signedData.encapContentInfo.eContentType !== pkijs.ContentInfo.DATA || !(signerInfo.sid instanceof pkijs.IssuerAndSerialNumber)) return undefined;
  const attributes = signerInfo.signedAttrs.attributes;
  const messageDigest = attributes.find((attribute) => attribute.type === OID.messageDigest)?.values[0];
  if (!attributes.some((attribute) => attribute.type === OID.contentType) || !(messageDigest instanceof asn1js.OctetString)) return undefined;
  if (!createHash(digest.node).update(signedContent).digest().equals(messageDigest.valueBlock.valueHexView)) return true;
  const certificate = signerCertificate(signedData, signerInfo);
  let key = publicKeys.get(certificate);
  if (!key) {
    try {
      key = createPublicKey({ key: Buffer.from(certificate.subjectPublicKeyInfo.toSchema().toBER(false)), format: 'der', type: 'spki' });
    } catch {
      return undefined;
    }
    publicKeys.set(certificate, key);
  }
  if (key.asymmetricKeyType !== 'rsa') return undefined;
  const signedAttributes = new Uint8Array(signerInfo.signedAttrs.encodedValue);
  return verifyWithKey(RSA_SIGNATURES[algorithm] ?? digest.node, signedAttributes, key, signerInfo.signature.valueBlock.valueHexView);
}

/**
 * Chains found trusted, per set of trust anchors: the chain of the same certificates to the same
 * anchors verifies again at any date within every one of those certificates' validity (the check
 * date is the only other input, and pkijs uses it only against the validity periods). Checking the
 * chain again for each document of a signer cost as much as the rest of the verification.
 */
const trustedChains = new WeakMap<readonly pkijs.Certificate[], Map<string, { readonly from: number; readonly to: number }>>();

function chainTrustedBefore(trustAnchors: readonly pkijs.Certificate[], key: string, checkDate: Date): boolean {
  const window = trustedChains.get(trustAnchors)?.get(key);
  return window !== undefined && checkDate.getTime() >= window.from && checkDate.getTime() <= window.to;
}

function rememberTrustedChain(trustAnchors: readonly pkijs.Certificate[], chain: { readonly key: string; readonly certificates: DecodedCertificates } | undefined, checkDate: Date): void {
  if (!chain) return;
  const certificates = [...chain.certificates, ...trustAnchors];
  if (!certificates.every((certificate): certificate is pkijs.Certificate => certificate instanceof pkijs.Certificate)) return;
  const from = Math.max(...certificates.map((certificate) => certificate.notBefore.value.getTime()));
  const to = Math.min(...certificates.map((certificate) => certificate.notAfter.value.getTime()));
  if (checkDate.getTime() < from || checkDate.getTime() > to) return;
  let chains = trustedChains.get(trustAnchors);
  if (!chains) trustedChains.set(trustAnchors, (chains = new Map()));
  if (chains.size >= DECODED_CERTIFICATES_KEPT) chains.clear();
  chains.set(chain.key, { from, to });
}

// A certificate decoded once (parseSignedData) is summarised once: its DER re-encoded for the hash
// cost as much as the rest of a verification.
const summaries = new WeakMap<pkijs.Certificate, SignerSummary>();

function summary(certificate: pkijs.Certificate): SignerSummary {
  let known = summaries.get(certificate);
  if (!known) summaries.set(certificate, (known = summaryOf(certificate)));
  // A copy: a report is the caller's to keep or change.
  return { ...known, organizationIdentifiers: [...known.organizationIdentifiers], organizationalUnits: [...known.organizationalUnits] };
}

function summaryOf(certificate: pkijs.Certificate): SignerSummary {
  return {
    subject: distinguishedName(certificate.subject),
    serialNumber: Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex'),
    issuer: distinguishedName(certificate.issuer),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
    certificateSha256: createHash('sha256').update(new Uint8Array(certificate.toSchema(true).toBER(false))).digest('hex'),
    organizationIdentifiers: attributeValues(certificate.subject, '2.5.4.97'),
    organizationalUnits: attributeValues(certificate.subject, '2.5.4.11'),
  };
}

/** The values of one attribute of a name, read structurally (a comma inside a value cannot fake one). */
function attributeValues(name: pkijs.RelativeDistinguishedNames, type: string): string[] {
  return name.typesAndValues.filter((attribute) => attribute.type === type).map(({ value }) => String((value.valueBlock as { value?: unknown }).value));
}

function distinguishedName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues.map(({ type, value }) => `${NAME_ATTRIBUTES[type] ?? type}=${(value.valueBlock as { value?: unknown }).value}`).join(', ');
}
