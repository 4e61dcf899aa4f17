// The result is the competent body's signed file (docs/decisions/0017): the rules re-check the
// API's verification report, so a replayed or hand-made command cannot record an unsigned result or
// one signed by another agency; the catalogue's rule says which certificate is an agency's; and
// the e-result fact of the reports comes from the signed file.
import { describe, expect, it } from 'vitest';
import { agencyCodesNamedBy, agencyOfCertificate, certificateBelongsTo } from '../../domain/catalogue/signing-identity.js';
import { dossierReportOf } from '../../domain/reporting/dossier-report.js';
import { deciderSpec } from '../support/decider-spec.js';
import { actor, BUSINESS_PROCEDURE, ECONOMY, LAND_OFFICE } from '../support/dossier-fixtures.js';
import { DossierHistory } from '../support/dossier-history.js';
import { verifiedResult } from '../support/result-fields.js';

const economyHead = actor('head', ECONOMY);
const done = () => DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00').stepCompleted('business-registration', '2026-03-03T09:00:00');
const given = (history: DossierHistory) => deciderSpec(history.dossierCode).given(...history.events);

describe('IssueResult: the rules check the signature report again', () => {
  it('records the file, its signature report and the signer\'s agency with the result', () => {
    const dossier = done();
    const fields = verifiedResult('125/QĐ-UBND', ECONOMY, 'c'.repeat(64));
    given(dossier)
      .when(dossier.command('IssueResult', economyHead, fields), '2026-03-03T10:00:00')
      .thenMatches([{ type: 'ResultIssued', data: { resultCode: `${dossier.dossierCode}-KQ1`, document: fields.document, signature: { valid: true }, signerAgencyCode: ECONOMY } }]);
  });

  it('refuses a report that is not valid, names no signer or does not cover the whole file', () => {
    const dossier = done();
    const fields = verifiedResult('125/QĐ-UBND', ECONOMY);
    const changed = { ...fields, signature: { ...fields.signature, valid: false, reasons: ['The document was changed after signing.'] } };
    given(dossier).when(dossier.command('IssueResult', economyHead, changed), '2026-03-03T10:00:00').thenRefused('RESULT_SIGNATURE_INVALID');
    const { signer: _signer, ...unsigned } = fields.signature;
    given(dossier).when(dossier.command('IssueResult', economyHead, { ...fields, signature: unsigned }), '2026-03-03T10:00:00').thenRefused('RESULT_SIGNATURE_INVALID');
    given(dossier).when(dossier.command('IssueResult', economyHead, { ...fields, signature: { ...fields.signature, coversWholeDocument: false } }), '2026-03-03T10:00:00').thenRefused('RESULT_SIGNATURE_INVALID');
  });

  it('refuses a result signed by another agency than the competent body', () => {
    const dossier = done();
    given(dossier).when(dossier.command('IssueResult', economyHead, verifiedResult('125/QĐ-UBND', LAND_OFFICE)), '2026-03-03T10:00:00').thenRefused('RESULT_NOT_SIGNED_BY_COMPETENT_BODY');
  });
});

describe('whose certificate it is', () => {
  const fingerprint = 'ab'.repeat(32);
  it('reads the agency code from organizationIdentifier (plain or ETSI form) and OU, structurally', () => {
    expect(agencyCodesNamedBy({ organizationIdentifiers: ['GOVVN-000.20.99.H99', '000.30.99.H99'], organizationalUnits: ['000.01.01.H99', ' '] })).toEqual(['000.20.99.H99', '000.30.99.H99', '000.01.01.H99']);
    expect(agencyCodesNamedBy({})).toEqual([]);
  });

  it('takes the subject\'s code for an agency that pins nothing, and only a pinned certificate for one that pins', () => {
    const named = { certificateSha256: fingerprint, organizationalUnits: [ECONOMY] };
    expect(certificateBelongsTo({ code: ECONOMY }, named)).toBe(true);
    expect(certificateBelongsTo({ code: LAND_OFFICE }, named)).toBe(false);
    // Pinning is authoritative: a certificate that names the code but is not pinned is not the agency's.
    expect(certificateBelongsTo({ code: ECONOMY, signingCertificates: ['cd'.repeat(32)] }, named)).toBe(false);
    expect(certificateBelongsTo({ code: ECONOMY, signingCertificates: [fingerprint] }, { certificateSha256: fingerprint })).toBe(true);
    expect(certificateBelongsTo({ code: ECONOMY, signingCertificates: [fingerprint] }, { organizationalUnits: [ECONOMY] })).toBe(false);
    expect(agencyOfCertificate([{ code: LAND_OFFICE }, { code: ECONOMY }], named)?.code).toBe(ECONOMY);
  });
});

describe('the e-result of the reports', () => {
  it('is the result recorded with its signed file; a result recorded on the caller\'s word is not', () => {
    const signed = done();
    const decided = given(signed).when(signed.command('IssueResult', economyHead, verifiedResult('125/QĐ-UBND', ECONOMY)), '2026-03-03T10:00:00').thenMatches([{ type: 'ResultIssued' }]);
    expect(dossierReportOf(signed.dossierCode, [...signed.events, ...decided.events])!.facts.eResultAt).toBe(decided.events[0]!.type === 'ResultIssued' ? decided.events[0]!.data.at : 'no result');
    const legacy = done().resultIssued('2026-03-03T10:00:00', 'HKD-1');
    expect(dossierReportOf(legacy.dossierCode, legacy.events)!.facts.eResultAt).toBeNull();
  });
});
