// One model of each document the engine issues, for a typical dossier: forms 01, 02, 04, 06 and the
// result from the documented land dossier, form 03 from a refusal at reception, form 05 from an
// approved withdrawal, the apology for lateness from a late business registration, and form 07 as a register extract of a few entries. The page-count test and
// the `pdf` benchmark render these.
import type { DocumentKind, DocumentModel } from '../../domain/documents/document-model.js';
import { documentsCalledFor } from '../../domain/documents/documents-called-for.js';
import { dossierDocument } from '../../domain/documents/dossier-documents.js';
import { registerDocument, type RegisterRow } from '../../domain/documents/register-document.js';
import { documentedLandDossier, documentedLandDossierBeforeEResult } from './documented-dossier.js';
import { actor, BUSINESS_PROCEDURE, CATALOGUE, CENTRE, DossierScenario, ECONOMY } from './dossier-fixtures.js';

function firstOf(dossier: DossierScenario, kind: DocumentKind): DocumentModel {
  const request = documentsCalledFor(dossier.dossierCode, dossier.events, 1, {}).find((candidate) => candidate.kind === kind);
  if (!request) throw new Error(`the scenario calls for no ${kind}`);
  return dossierDocument(request, dossier.events).model;
}

function refused(): DossierScenario {
  const dossier = DossierScenario.received(BUSINESS_PROCEDURE, '2026-03-02T08:30:00', 7002);
  dossier.play(dossier.command('RefuseAtReception', actor('reception', CENTRE), { reasons: ['Không thuộc thẩm quyền của xã', 'Ngành nghề kinh doanh thuộc danh mục cấm đầu tư kinh doanh'], legalBasis: 'Luật Đầu tư 2020, Điều 6' }), '2026-03-02T09:00:00');
  return dossier;
}

function withdrawn(): DossierScenario {
  const dossier = DossierScenario.received(BUSINESS_PROCEDURE, '2026-03-02T08:30:00', 7003);
  dossier.accept('2026-03-02T09:00:00');
  dossier.play(dossier.command('RequestWithdrawal', actor('reception', CENTRE), { reason: 'Công dân không còn nhu cầu' }), '2026-03-03T09:00:00');
  dossier.play(dossier.command('DecideWithdrawal', actor('head', ECONOMY), { approved: true, reason: 'Đồng ý dừng xử lý theo đề nghị của công dân' }), '2026-03-03T14:00:00');
  return dossier;
}

/** A business registration not resolved by its appointment (09:00 on 5 March): the apology for lateness. */
export function lateBusiness(): DossierScenario {
  const dossier = DossierScenario.received(BUSINESS_PROCEDURE, '2026-03-02T08:30:00', 7004);
  dossier.accept('2026-03-02T09:00:00');
  dossier.play(
    dossier.command('IssueLatenessApology', actor('head', ECONOMY), { reason: 'Phải chờ ý kiến của cơ quan thuế về mã số thuế của hộ kinh doanh', newAppointment: '2026-03-10T09:00:00+07:00' }),
    '2026-03-05T10:00:00',
  );
  return dossier;
}

/** A register (form 07) extract of `entries` land dossiers of the centre. */
export function registerExtract(entries: number): DocumentModel {
  const centre = CATALOGUE.agencies.find((agency) => agency.code === CENTRE)!;
  const rows: RegisterRow[] = Array.from({ length: entries }, (_, index) => ({
    number: index + 1,
    dossierCode: `${CENTRE}-260302-${String(index + 1).padStart(4, '0')}`,
    procedureName: 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất',
    procedureCode: '1.004227',
    applicant: { fullName: 'Trần Thị Bình', address: 'Thôn Đông, xã Hòa Bình', phone: '0912345678' },
    leadAgencyCode: '000.20.99.H99',
    receivedAt: '2026-03-02T01:30:00Z',
    appointmentAt: '2026-03-30T01:30:00Z',
    transfers: [{ agencyCode: '000.20.99.H99', sentAt: '2026-03-03T02:00:00Z', returnedAt: '2026-03-20T02:00:00Z' }],
    resultReturnedAt: null,
    status: 'in-processing',
  }));
  return registerDocument(centre, { from: '2026-03-01', to: '2026-03-31' }, rows, '2026-04-01T01:00:00Z');
}

/** Each document kind once, as a typical dossier (and a register extract of five entries) has it. */
export function typicalDocuments(): Readonly<Record<DocumentKind, DocumentModel>> {
  const land = documentedLandDossier();
  return {
    'form-01': firstOf(land, 'form-01'),
    'form-02': firstOf(land, 'form-02'),
    'form-03': firstOf(refused(), 'form-03'),
    'form-04': firstOf(land, 'form-04'),
    'form-05': firstOf(withdrawn(), 'form-05'),
    'form-06': firstOf(land, 'form-06'),
    'form-07': registerExtract(5),
    // The engine renders a result only for a dossier resolved before the e-result (docs/decisions/0017).
    result: firstOf(documentedLandDossierBeforeEResult(), 'result'),
    'lateness-apology': firstOf(lateBusiness(), 'lateness-apology'),
  };
}
