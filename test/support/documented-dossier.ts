// A land dossier that goes through everything the documents must show: a supplement request at
// reception, acceptance, the interagency route (commune, land office, tax office with a payment),
// a supplement during processing, an apology with a new appointment, and the result.
import type { DossierEvent } from '../../domain/dossier/events.js';
import { actor, at, CENTRE, completeComponents, DossierScenario, ECONOMY, LAND_OFFICE, LAND_PROCEDURE, PAYMENT_PLATFORM, pinned, TAX_OFFICE } from './dossier-fixtures.js';
import { verifiedResult } from './result-fields.js';

const reception = actor('reception', CENTRE);

export function documentedLandDossier(serial = 7001): DossierScenario & { events: DossierEvent[] } {
  const dossier = DossierScenario.received(LAND_PROCEDURE, '2026-03-02T08:30:00', serial);
  dossier.play(dossier.command('RequestSupplementAtReception', reception, { missing: [{ componentId: 'application', description: 'Đơn đăng ký biến động đất đai', reason: 'Thiếu chữ ký của người sử dụng đất' }] }), '2026-03-02T08:45:00');
  dossier.play(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-03T09:00:00');
  // Reception scans the papers and approves the scans; the identity papers come from the data store.
  dossier.digitise('2026-03-03T09:15:00');
  dossier.play(dossier.command('AcceptDossier', reception, { components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) }), '2026-03-03T09:30:00');
  dossier.play(dossier.command('RequestSupplement', actor('officer', ECONOMY), { stepId: 'commune-verification', missing: [{ description: 'Sơ đồ thửa đất', reason: 'Không khớp với hiện trạng sử dụng' }] }), '2026-03-04T10:00:00');
  dossier.play(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-06T09:00:00');
  dossier.play(dossier.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-09T09:00:00');
  dossier.play(dossier.command('CompleteStep', actor('officer', LAND_OFFICE), { stepId: 'land-registration', outcome: 'approved' }), '2026-03-16T09:00:00');
  dossier.play(dossier.command('RequestFinancialObligation', actor('officer', TAX_OFFICE), { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 }), '2026-03-17T09:00:00');
  // Paid online: the applicant pays the request through the national payment platform, which confirms it.
  const [requested] = dossier.play(dossier.command('RequestPayment', actor('officer', TAX_OFFICE), { purpose: 'obligation' }), '2026-03-17T09:30:00');
  const reference = requested!.type === 'PaymentRequested' ? requested!.data.reference : '';
  dossier.play(dossier.command('RecordPayment', PAYMENT_PLATFORM, { amountVnd: 12_500_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: 'BL-0001', platformPayment: { reference, transactionId: 'GD-0001', bankCode: 'VCB' } }), '2026-03-18T09:00:00');
  dossier.play(dossier.command('CompleteStep', actor('officer', TAX_OFFICE), { stepId: 'tax-assessment', outcome: 'approved' }), '2026-03-19T09:00:00');
  dossier.play(dossier.command('IssueApology', actor('head', LAND_OFFICE), { reason: 'Phải xác minh thêm nguồn gốc sử dụng đất', newAppointment: at('2026-04-15T09:00:00') }), '2026-03-31T09:00:00');
  dossier.play(dossier.command('CompleteStep', actor('officer', LAND_OFFICE), { stepId: 'certificate-issuance', outcome: 'approved' }), '2026-04-08T09:00:00');
  dossier.play(dossier.command('IssueResult', actor('head', LAND_OFFICE), verifiedResult('CS 01234', LAND_OFFICE, 'a'.repeat(64))), '2026-04-08T10:00:00');
  return dossier as DossierScenario & { events: DossierEvent[] };
}

/**
 * The same dossier as it was logged before the e-result: its ResultIssued holds the caller's word
 * (no signature report), so the engine renders and signs a result document of its own.
 */
export function documentedLandDossierBeforeEResult(serial = 7001): DossierScenario & { events: DossierEvent[] } {
  const dossier = documentedLandDossier(serial);
  const events = dossier.events.map((event): DossierEvent => {
    if (event.type !== 'ResultIssued') return event;
    const { signature: _signature, signerAgencyCode: _signer, ...data } = event.data;
    return { ...event, data: { ...data, document: { reference: data.document.reference, sha256: data.document.sha256 } } };
  });
  dossier.events.splice(0, dossier.events.length, ...events);
  return dossier;
}
