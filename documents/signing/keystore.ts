// Agency keystores and trust anchors. Each agency signs with its own PKCS#12 keystore,
// `<dir>/agencies/<agency code>.p12`: in production the one its certificate authority issued (the
// national CA or a licensed provider), in the embedded default the one `local-pki.ts` made. The
// layout is the same, so the signer never knows which it has.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { AGENCY_CODE_PATTERN } from '../../domain/dossier/dossier-code.js';

/** What `signPdf` needs to sign for one agency. */
export interface AgencySigner {
  readonly agencyCode: string;
  /** RSASSA-PKCS1-v1_5 with SHA-256, not extractable. */
  readonly privateKey: webcrypto.CryptoKey;
  /** The agency's signing certificate (DER). */
  readonly certificate: Uint8Array;
  /** The CA certificates the keystore carries (DER), embedded in every signature so a verifier can build the chain. */
  readonly chain: readonly Uint8Array[];
}

export class KeystoreError extends Error {
  override readonly name = 'KeystoreError';
}

export function agencyKeystoreFile(dir: string, agencyCode: string): string {
  // The code becomes a file name: the QCVN 102 pattern (digits, capitals, dots) keeps it inside `dir`.
  if (!AGENCY_CODE_PATTERN.test(agencyCode)) {
    throw new KeystoreError(`"${agencyCode}" is not an agency code under QCVN 102:2016 (e.g. 000.01.01.H99), so it names no keystore`);
  }
  return path.join(dir, 'agencies', `${agencyCode}.p12`);
}

export async function loadAgencySigner(dir: string, agencyCode: string, passphrase: string): Promise<AgencySigner> {
  const file = agencyKeystoreFile(dir, agencyCode);
  const { privateKey, certificate, others } = openPkcs12(file, passphrase, `agency ${agencyCode}`);
  const pkcs8 = derOf(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey)));
  return {
    agencyCode,
    privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']),
    certificate: certificateDer(certificate),
    chain: others.map(certificateDer),
  };
}

export interface OpenedPkcs12 {
  readonly privateKey: forge.pki.rsa.PrivateKey;
  /** The certificate of `privateKey`. */
  readonly certificate: forge.pki.Certificate;
  /** Every other certificate in the file (the issuing CAs). */
  readonly others: forge.pki.Certificate[];
}

/**
 * Opens a PKCS#12 file holding one RSA key and its certificate. `owner` names whose keystore it
 * is in the errors ("agency 000.01.01.H99", "the local CA"), so an operator knows which file to fix.
 */
export function openPkcs12(file: string, passphrase: string, owner: string): OpenedPkcs12 {
  assertAsciiPassphrase(passphrase);
  let der: Buffer;
  try {
    der = readFileSync(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new KeystoreError(
      missing
        ? `no keystore for ${owner}: ${file} does not exist (install the agency's PKCS#12 file there, or run \`npx tsx dev/pki-cli.ts init\` for the local PKI)`
        : `the keystore of ${owner} (${file}) is not readable: ${(error as Error).message}`,
    );
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), passphrase);
  } catch (error) {
    const message = (error as Error).message;
    throw new KeystoreError(
      /MAC could not be verified|Invalid password/i.test(message)
        ? `wrong passphrase for the keystore of ${owner} (${file})`
        : `the keystore of ${owner} (${file}) is not a PKCS#12 file node-forge can read (RSA keys only): ${message}`,
    );
  }
  const privateKey = onlyKey(p12, file, owner);
  const certBag = forge.pki.oids.certBag!;
  const certificates = (p12.getBags({ bagType: certBag })[certBag] ?? []).flatMap((bag) => (bag.cert ? [bag.cert] : []));
  const certificate = certificates.find((candidate) => (candidate.publicKey as forge.pki.rsa.PublicKey).n?.equals(privateKey.n));
  if (!certificate) throw new KeystoreError(`the keystore of ${owner} (${file}) holds no certificate for its private key`);
  return { privateKey, certificate, others: certificates.filter((other) => other !== certificate) };
}

/**
 * PKCS#12 tools disagree on the bytes of a non-ASCII passphrase (node-forge keeps UTF-16 code units
 * where OpenSSL derives the key from UTF-8), so such a keystore opens in one and not the other.
 */
export function assertAsciiPassphrase(passphrase: string): void {
  if (!/^[\x20-\x7e]+$/.test(passphrase)) {
    throw new KeystoreError('keystore passphrases must be non-empty printable ASCII: PKCS#12 tools encode other characters differently, so a keystore would open in one and not in another');
  }
}

function onlyKey(p12: forge.pkcs12.Pkcs12Pfx, file: string, owner: string): forge.pki.rsa.PrivateKey {
  // Keystores exported by CA tools shroud the key (pkcs8ShroudedKeyBag); plain keyBags are accepted too.
  const bags = [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag].flatMap((bagType) => p12.getBags({ bagType: bagType! })[bagType!] ?? []);
  const keys = bags.flatMap((bag) => (bag.key ? [bag.key as forge.pki.rsa.PrivateKey] : []));
  if (keys.length !== 1) throw new KeystoreError(`the keystore of ${owner} (${file}) must hold exactly one private key, it holds ${keys.length}`);
  return keys[0]!;
}

/** Reads CA certificates from PEM files (one or several `BEGIN CERTIFICATE` blocks each). */
export function loadTrustAnchors(files: readonly string[]): pkijs.Certificate[] {
  return files.flatMap((file) => {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new KeystoreError(`trust anchor ${file} is not readable: ${(error as Error).message}`);
    }
    const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
    if (blocks.length === 0) throw new KeystoreError(`trust anchor ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return blocks.map((block, index) => {
      try {
        return pkijs.Certificate.fromBER(new Uint8Array(Buffer.from(block[1]!.replace(/\s+/g, ''), 'base64')));
      } catch (error) {
        throw new KeystoreError(`certificate ${index + 1} of trust anchor ${file} is not a valid X.509 certificate: ${(error as Error).message}`);
      }
    });
  });
}

export function certificateDer(certificate: forge.pki.Certificate): Uint8Array {
  return derOf(forge.pki.certificateToAsn1(certificate));
}

/** DER bytes in a fresh buffer (never a view on a shared pool, so `.buffer` is safe to hand to asn1js). */
function derOf(asn1: forge.asn1.Asn1): Uint8Array {
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}
