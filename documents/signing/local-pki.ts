// The local PKI of the embedded default: one root CA and one signing certificate per agency, so
// documents are signed out of the box. Production installs each agency's keystore from its
// certificate authority in the same layout (keystore.ts) and trusts that CA instead.
//
//   <dir>/ca.pem                      the root certificate: give it to verifiers as a trust anchor
//   <dir>/ca-key.p12                  the root key, so agencies added later share the same root
//   <dir>/agencies/<agency code>.p12  one keystore per agency (key, certificate, root certificate)
//
// Idempotent: existing files are never rewritten; missing agencies are issued under the same root.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { KeystoreError, agencyKeystoreFile, assertAsciiPassphrase, certificateDer, openPkcs12 } from './keystore.js';

export interface PkiAgency {
  readonly code: string;
  /** The official Vietnamese name; it becomes the certificate's O and CN. */
  readonly name: string;
}

export interface LocalPkiOptions {
  readonly dir: string;
  readonly agencies: readonly PkiAgency[];
  /** Protects the CA key and every agency keystore; printable ASCII (see `assertAsciiPassphrase`). */
  readonly passphrase: string;
  /** Start of validity of what is created now (default: the current time); it lasts 10 years, never beyond the CA's. */
  readonly now?: Date;
}

export interface LocalPkiResult {
  readonly caFile: string;
  readonly caCreated: boolean;
  /** Keystore files written by this run, by agency code. */
  readonly created: ReadonlyMap<string, string>;
  /** Keystore files that already existed and were kept, by agency code. */
  readonly kept: ReadonlyMap<string, string>;
}

const UTF8 = forge.asn1.Type.UTF8 as unknown as number;
// Vietnamese on purpose: the issuer DN is copied into every signature, and a non-ASCII one is
// where node-forge's own CMS signer failed (it encodes it twice), so the tests keep that path covered.
const CA_NAME = 'CA nội bộ motcua – chỉ dùng thử nghiệm';

interface CertificateAuthority {
  readonly key: forge.pki.rsa.PrivateKey;
  readonly certificate: forge.pki.Certificate;
  /** The CA's name as forge must be given it to write it as the issuer of a certificate. */
  readonly name: forge.pki.CertificateField[];
}

export function ensureLocalPki(options: LocalPkiOptions): LocalPkiResult {
  assertAsciiPassphrase(options.passphrase);
  const now = options.now ?? new Date(Date.now() - 366 * 24 * 60 * 60 * 1000);
  mkdirSync(path.join(options.dir, 'agencies'), { recursive: true, mode: 0o700 });
  const { ca, caFile, caCreated } = localCa(options.dir, options.passphrase, now);

  const created = new Map<string, string>();
  const kept = new Map<string, string>();
  for (const agency of options.agencies) {
    const file = agencyKeystoreFile(options.dir, agency.code);
    if (existsSync(file)) {
      kept.set(agency.code, file);
      continue;
    }
    const keys = rsaKeyPair();
    const certificate = issueAgencyCertificate(ca, agency, keys.publicKey, now);
    const written = writeNew(file, pkcs12Der(keys.privateKey, [certificate, ca.certificate], options.passphrase, agency.code), 0o600);
    (written ? created : kept).set(agency.code, file);
  }
  return { caFile, caCreated, created, kept };
}

/** The CA of `dir`, created first if there is none. ca-key.p12 is the reference; ca.pem is its published copy. */
function localCa(dir: string, passphrase: string, now: Date): { ca: CertificateAuthority; caFile: string; caCreated: boolean } {
  const caFile = path.join(dir, 'ca.pem');
  const caKeyFile = path.join(dir, 'ca-key.p12');
  let caCreated = false;
  if (!existsSync(caKeyFile)) {
    if (existsSync(caFile)) {
      throw new KeystoreError(
        `${caFile} exists but ${caKeyFile} does not: restore ${caKeyFile}, or remove the whole folder to start a new local PKI (every agency keystore is then reissued and old signatures stop verifying against the new ca.pem)`,
      );
    }
    const fresh = createCa(now);
    // false: another process created the CA meanwhile; theirs is read below and used instead.
    caCreated = writeNew(caKeyFile, pkcs12Der(fresh.key, [fresh.certificate], passphrase, 'motcua local CA'), 0o600);
  }
  const ca = openCa(caKeyFile, passphrase);
  const pem = forge.pki.certificateToPem(ca.certificate);
  if (!writeNew(caFile, pem, 0o644) && !sameCertificate(readFileSync(caFile, 'utf8'), ca.certificate)) {
    throw new KeystoreError(`${caFile} is not the certificate of the key in ${caKeyFile}: restore the matching pair before adding agencies`);
  }
  return { ca, caFile, caCreated };
}

function openCa(caKeyFile: string, passphrase: string): CertificateAuthority {
  const { privateKey, certificate } = openPkcs12(caKeyFile, passphrase, 'the local CA');
  // forge keeps a parsed UTF8String as its UTF-8 bytes, yet encodes the value again when writing it:
  // decoded first, the issuer name of new certificates stays byte for byte the CA's subject.
  const name = certificate.subject.attributes.map((attribute) =>
    attribute.valueTagClass === UTF8 ? { ...attribute, value: forge.util.decodeUtf8(attribute.value as string) } : attribute,
  );
  return { key: privateKey, certificate, name };
}

function sameCertificate(pem: string, certificate: forge.pki.Certificate): boolean {
  return Buffer.from(certificateDer(forge.pki.certificateFromPem(pem))).equals(certificateDer(certificate));
}

/**
 * Writes a file whole or not at all, and never over an existing one, so that concurrent runs (the
 * API and the worker starting together) each see no file or a complete one. False if it existed.
 */
function writeNew(file: string, content: string | Uint8Array, mode: number): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function createCa(now: Date): { key: forge.pki.rsa.PrivateKey; certificate: forge.pki.Certificate } {
  const keys = rsaKeyPair();
  const certificate = newCertificate(keys.publicKey, now, tenYearsFrom(now));
  const name = [{ shortName: 'C', value: 'VN' }, ...utf8Attributes({ O: 'motcua', CN: CA_NAME })];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(keys.privateKey, forge.md.sha256.create());
  return { key: keys.privateKey, certificate };
}

function issueAgencyCertificate(ca: CertificateAuthority, agency: PkiAgency, publicKey: forge.pki.rsa.PublicKey, now: Date): forge.pki.Certificate {
  // Never valid where its CA is not: such a certificate could not chain at that time anyway.
  const { notBefore: caFrom, notAfter: caUntil } = ca.certificate.validity;
  const until = tenYearsFrom(now);
  const certificate = newCertificate(publicKey, now < caFrom ? caFrom : now, until > caUntil ? caUntil : until);
  certificate.setSubject([
    { shortName: 'C', value: 'VN' },
    ...utf8Attributes({ O: agency.name }),
    // The agency code is ASCII (QCVN 102), so the default PrintableString suits it.
    { shortName: 'OU', value: agency.code },
    ...utf8Attributes({ CN: agency.name }),
  ]);
  certificate.setIssuer(ca.name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    // nonRepudiation (contentCommitment): the agency stands behind what it signs.
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    // Verifiers that check the purpose (OpenSSL's smimesign, NSS's email signer) accept emailProtection.
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.certificate.generateSubjectKeyIdentifier().getBytes() },
  ]);
  certificate.sign(ca.key, forge.md.sha256.create());
  return certificate;
}

function newCertificate(publicKey: forge.pki.rsa.PublicKey, notBefore: Date, notAfter: Date): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = randomSerial();
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = notAfter;
  return certificate;
}

function tenYearsFrom(start: Date): Date {
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + 10);
  return end;
}

/**
 * Values for forge to encode as UTF8String. Pass the JavaScript string as is: forge UTF-8-encodes
 * it itself, and encoding it first would store it twice encoded.
 */
function utf8Attributes(values: Record<string, string>): forge.pki.CertificateField[] {
  return Object.entries(values).map(([shortName, value]) => ({ shortName, value, valueTagClass: UTF8 }));
}

/** 128 random bits, first byte 0x40–0x7f: a positive DER INTEGER without a leading zero. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes.toString('hex');
}

function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's generator is native and fast; forge's pure-JavaScript one takes seconds per key.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
  };
}

function pkcs12Der(key: forge.pki.rsa.PrivateKey, certificates: forge.pki.Certificate[], passphrase: string, friendlyName: string): Buffer {
  // The key bag is shrouded with AES-256 (PBES2), as OpenSSL 3 writes it; forge would default to AES-128.
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates, passphrase, { algorithm: 'aes256', friendlyName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
