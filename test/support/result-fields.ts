// What the API puts in an IssueResult command once it verified the competent body's signed file:
// for tests of the rules, which trust the report (the API's verification is tested against real
// signed PDFs in the integration tests, test/support/signed-result.ts).
import type { CommandOfType } from '../../domain/dossier/commands.js';
import type { DossierEvent } from '../../domain/dossier/events.js';

type ResultFields = Pick<CommandOfType<'IssueResult'>, 'document' | 'signature' | 'signerAgencyCode'>;

/** A result file whose signature verified and whose signer belongs to `signerAgencyCode`. */
export function verifiedResult(reference: string, signerAgencyCode: string, sha256 = 'a'.repeat(64)): ResultFields {
  return {
    document: { reference, sha256, size: 4096, mediaType: 'application/pdf' },
    signature: {
      valid: true,
      reasons: [],
      signer: {
        subject: `C=VN, O=Cơ quan ${signerAgencyCode}, OU=${signerAgencyCode}, CN=Cơ quan ${signerAgencyCode}`,
        serialNumber: '01',
        issuer: 'C=VN, CN=CA thử nghiệm',
        notBefore: '2025-01-01T00:00:00.000Z',
        notAfter: '2035-01-01T00:00:00.000Z',
        certificateSha256: 'f'.repeat(64),
        organizationIdentifiers: [],
        organizationalUnits: [signerAgencyCode],
      },
      digestAlgorithm: 'SHA-256',
      coversWholeDocument: true,
    },
    signerAgencyCode,
  };
}

/**
 * Turns the last ResultIssued of `events` into one logged before the e-result: the caller's word
 * (reference and digest), no signed file. Such a result is not an e-result unless the engine's own
 * result document was issued for it (DocumentIssued of kind result).
 */
export function asResultBeforeEResult(events: DossierEvent[]): void {
  const index = events.findLastIndex((event) => event.type === 'ResultIssued');
  const event = events[index];
  if (event?.type !== 'ResultIssued') throw new Error('no result to turn into one logged before the e-result');
  const { signature: _signature, signerAgencyCode: _signer, ...data } = event.data;
  events[index] = { ...event, data: { ...data, document: { reference: data.document.reference, sha256: data.document.sha256 } } };
}
