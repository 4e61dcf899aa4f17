// Which agency a signing certificate belongs to (docs/decisions/0017-result-signed-by-the-competent-body.md).
// A certificate counts for an agency only when its chain is trusted (the signature report is valid),
// and then:
//   - if the agency's catalogue entry pins its signing certificates (`signingCertificates`, SHA-256
//     fingerprints of the DER certificate), only a pinned certificate is the agency's;
//   - otherwise the certificate's subject must name the agency's code, as organizationIdentifier
//     (2.5.4.97: the code itself, or an ETSI EN 319 412-1 form such as "GOVVN-<code>") or as an OU
//     value (what the local PKI writes).
// Pure: the caller reads the catalogue entries and the signature report.
import type { Agency } from './agency.js';

/** What a signature report says about the signer's certificate (documents/signing/verify-signature.ts). */
export interface SignerIdentity {
  readonly certificateSha256?: string | undefined;
  readonly organizationIdentifiers?: readonly string[] | undefined;
  readonly organizationalUnits?: readonly string[] | undefined;
}

/** An ETSI organisation identifier: 3-letter scheme, 2-letter country, a dash, then the identifier. */
const ETSI_IDENTIFIER = /^[A-Z]{3}[A-Z]{2}[-:](.+)$/;

/** The agency codes the subject of the certificate names (organizationIdentifier, then OU). */
export function agencyCodesNamedBy(signer: SignerIdentity): string[] {
  const fromIdentifiers = (signer.organizationIdentifiers ?? []).map((value) => ETSI_IDENTIFIER.exec(value)?.[1] ?? value);
  return [...new Set([...fromIdentifiers, ...(signer.organizationalUnits ?? [])].map((value) => value.trim()).filter((value) => value.length > 0))];
}

/** Whether the certificate belongs to the agency under the rule above (the chain is checked elsewhere). */
export function certificateBelongsTo(agency: Pick<Agency, 'code' | 'signingCertificates'>, signer: SignerIdentity): boolean {
  const pinned = agency.signingCertificates ?? [];
  if (pinned.length > 0) return signer.certificateSha256 !== undefined && pinned.includes(signer.certificateSha256);
  return agencyCodesNamedBy(signer).includes(agency.code);
}

/** The first of the candidate agencies the certificate belongs to, if any. */
export function agencyOfCertificate<A extends Pick<Agency, 'code' | 'signingCertificates'>>(candidates: readonly A[], signer: SignerIdentity): A | undefined {
  return candidates.find((agency) => certificateBelongsTo(agency, signer));
}
