// The lifecycle's rules, given/when/then: given the dossier's events, when a command, then the
// events it causes or the refusal with its stable code. Times are Vietnam local; 2 March 2026 is a
// Monday.
import { describe, expect, it } from 'vitest';
import { DOSSIER_STATUSES, NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  actor,
  at,
  BUSINESS_PROCEDURE,
  CENTRE,
  completeComponents,
  ECONOMY,
  JUSTICE,
  LAND_OFFICE,
  LAND_PROCEDURE,
  pinned,
  TAX_OFFICE,
} from '../support/dossier-fixtures.js';
import { DossierHistory, LEGAL_CLOCK } from '../support/dossier-history.js';
import { verifiedResult } from '../support/result-fields.js';

const reception = actor('reception', CENTRE);
const economyOfficer = actor('officer', ECONOMY);
const economyHead = actor('head', ECONOMY);
const landOfficer = actor('officer', LAND_OFFICE);
const landHead = actor('head', LAND_OFFICE);
const taxOfficer = actor('officer', TAX_OFFICE);
const socialOfficer = actor('officer', '000.04.01.H99');

/** The decider given this history's events so far. */
const given = (history: DossierHistory) => deciderSpec(history.dossierCode).given(...history.events);

/** A business registration received at 08:30 and accepted at 09:00 on Monday 2 March. */
const acceptedBusiness = () => DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');

describe('reception: accept (form 01), supplement (form 02) or refuse (form 03)', () => {
  it('accepts a complete dossier with its appointment and hands it to the first step', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE);
    const accepted = given(dossier)
      .when(dossier.command('AcceptDossier', reception, { components: completeComponents(BUSINESS_PROCEDURE), pinned: pinned(BUSINESS_PROCEDURE) }), '2026-03-02T09:00:00')
      .thenMatches([
        { type: 'DossierAccepted', data: { appointment: at('2026-03-05T09:00:00'), calendarVersion: '2025.1', procedure: { code: BUSINESS_PROCEDURE, version: '2025.1' } } },
        { type: 'StepStarted', data: { stepId: 'business-registration', agencyCode: ECONOMY, fromAgencyCode: CENTRE, run: 1, due: at('2026-03-05T09:00:00') } },
      ]);
    expect(accepted.received.status).toBe('in-processing');
  });

  it('refuses to accept an incomplete dossier and says to ask for a supplement instead', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE);
    given(dossier)
      .when(dossier.command('AcceptDossier', reception, { components: completeComponents(BUSINESS_PROCEDURE).slice(1), pinned: pinned(BUSINESS_PROCEDURE) }), '2026-03-02T09:00:00')
      .thenRefused('REQUIRED_COMPONENTS_MISSING', { field: 'components', message: expect.stringMatching(/application .*form 02/) });
  });

  it.each([
    ['UNKNOWN_COMPONENT', () => ({ components: [...completeComponents(BUSINESS_PROCEDURE), { componentId: 'passport', form: 'original' as const, digitised: false, reusedFromData: false }], pinned: pinned(BUSINESS_PROCEDURE) })],
    ['PROCEDURE_MISMATCH', () => ({ components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) })],
    ['PROCEDURE_NOT_IN_FORCE', () => ({ components: completeComponents(BUSINESS_PROCEDURE), pinned: { ...pinned(BUSINESS_PROCEDURE), procedure: { ...pinned(BUSINESS_PROCEDURE).procedure, effectiveFrom: '2026-04-01' } } })],
    ['AGENCY_NOT_PINNED', () => ({ components: completeComponents(BUSINESS_PROCEDURE), pinned: { ...pinned(BUSINESS_PROCEDURE), agencies: pinned(BUSINESS_PROCEDURE).agencies.filter((agency) => agency.code !== ECONOMY) } })],
  ] as const)('refuses an acceptance with %s', (code, fields) => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE);
    given(dossier).when(dossier.command('AcceptDossier', reception, fields()), '2026-03-02T09:00:00').thenRefused(code);
  });

  it('lets only reception (or a head) of the receiving centre accept', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE);
    const fields = { components: completeComponents(BUSINESS_PROCEDURE), pinned: pinned(BUSINESS_PROCEDURE) };
    given(dossier).when(dossier.command('AcceptDossier', economyOfficer, fields), '2026-03-02T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(dossier.command('AcceptDossier', actor('reception', JUSTICE), fields), '2026-03-02T09:00:00').thenRefused('NOT_THE_RECEIVING_CENTRE');
  });

  it('asks for a supplement once, with everything in one list, then accepts the completed dossier', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE);
    const missing = [{ componentId: 'application', description: 'Giấy đề nghị đăng ký hộ kinh doanh', reason: 'Chưa có chữ ký của chủ hộ' }];
    const asked = given(dossier).when(dossier.command('RequestSupplementAtReception', reception, { missing }), '2026-03-02T09:00:00').thenMatches([{ type: 'SupplementRequestedAtReception', data: { missing } }]);
    expect(NATIONAL_PORTAL_STATUS[asked.received.status]).toBe(5);

    dossier.supplementRequestedAtReception('2026-03-02T09:00:00', missing);
    given(dossier).when(dossier.command('RequestSupplementAtReception', reception, { missing }), '2026-03-02T09:05:00').thenRefused('COMMAND_OUT_OF_ORDER');
    const provided = given(dossier).when(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-03T10:00:00').thenMatches([{ type: 'SupplementProvided', data: { duringProcessing: false } }]);
    expect(provided.received.status).toBe('received');

    dossier.supplementProvided('2026-03-03T10:00:00');
    given(dossier).when(dossier.command('RequestSupplementAtReception', reception, { missing }), '2026-03-03T10:05:00').thenRefused('SUPPLEMENT_ALREADY_REQUESTED');
    // The clock starts at the acceptance after the supplement (Decision 45/2016 art. 7(4)).
    given(dossier)
      .when(dossier.command('AcceptDossier', reception, { components: completeComponents(BUSINESS_PROCEDURE), pinned: pinned(BUSINESS_PROCEDURE) }), '2026-03-03T10:10:00')
      .thenMatches([{ type: 'DossierAccepted', data: { appointment: at('2026-03-06T10:10:00') } }, { type: 'StepStarted' }]);
  });

  it('refuses at reception with reasons; the dossier is then closed to everything but an evaluation', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE);
    const refusal = { reasons: ['Không thuộc thẩm quyền của xã'], legalBasis: 'Nghị định 01/2021/NĐ-CP' };
    const refused = given(dossier).when(dossier.command('RefuseAtReception', reception, refusal), '2026-03-02T09:00:00').thenMatches([{ type: 'DossierRefusedAtReception', data: refusal }]);
    expect(NATIONAL_PORTAL_STATUS[refused.received.status]).toBe(3);

    dossier.refusedAtReception('2026-03-02T09:00:00', refusal.reasons, refusal.legalBasis);
    given(dossier).when(dossier.command('AcceptDossier', reception, { components: completeComponents(BUSINESS_PROCEDURE), pinned: pinned(BUSINESS_PROCEDURE) }), '2026-03-02T09:10:00').thenRefused('DOSSIER_CLOSED');
    given(dossier).when(dossier.command('RecordEvaluation', reception, { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-0001' }), '2026-03-02T09:15:00').thenMatches([{ type: 'EvaluationRecorded', data: { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-0001' } }]);

    dossier.evaluationRecorded('2026-03-02T09:15:00', 'satisfied');
    given(dossier).when(dossier.command('RecordEvaluation', reception, { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-0002' }), '2026-03-02T09:16:00').thenRefused('EVALUATION_ALREADY_RECORDED');
  });

  it('refuses any command for a dossier that was never received', () => {
    const dossier = DossierHistory.none(`${CENTRE}-260302-0009`, BUSINESS_PROCEDURE);
    given(dossier).when(dossier.command('RequestWithdrawal', reception, { reason: 'x' }), '2026-03-02T09:00:00').thenRefused('DOSSIER_NOT_RECEIVED');
  });
});

describe('processing along the route', () => {
  it('lets only the agency holding a step act on it, in the right role', () => {
    const dossier = acceptedBusiness();
    const complete = (who: ReturnType<typeof actor>, stepId = 'business-registration') => dossier.command('CompleteStep', who, { stepId, outcome: 'approved' });
    given(dossier).when(complete(landOfficer), '2026-03-03T09:00:00').thenRefused('AGENCY_DOES_NOT_HOLD_STEP');
    given(dossier).when(complete(economyOfficer, 'tax-assessment'), '2026-03-03T09:00:00').thenRefused('STEP_NOT_IN_HAND');
    given(dossier).when(complete(actor('reception', ECONOMY)), '2026-03-03T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(dossier.command('AssignHandler', economyOfficer, { stepId: 'business-registration', handlerUserId: 'u1' }), '2026-03-03T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier)
      .when(dossier.command('AssignHandler', economyHead, { stepId: 'business-registration', handlerUserId: 'chuyenvien.a' }), '2026-03-02T10:00:00')
      .thenMatches([{ type: 'HandlerAssigned', data: { stepId: 'business-registration', handlerUserId: 'chuyenvien.a' } }]);

    dossier.handlerAssigned('business-registration', 'chuyenvien.a', '2026-03-02T10:00:00');
    given(dossier).when(complete(economyOfficer), '2026-03-04T09:00:00').thenMatches([{ type: 'StepCompleted', data: { allottedMinutes: 1350, usedMinutes: 900, mark: 'early' } }]);
  });

  it('carries a land dossier through the land office and the tax office, pausing for the tax payment', () => {
    const received = DossierHistory.received(LAND_PROCEDURE);
    given(received)
      .when(received.command('AcceptDossier', reception, { components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) }), '2026-03-02T09:00:00')
      .thenMatches([{ type: 'DossierAccepted', data: { appointment: at('2026-03-30T09:00:00') } }, { type: 'StepStarted', data: { stepId: 'commune-verification' } }]);

    const dossier = DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00');
    given(dossier)
      .when(dossier.command('CompleteStep', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-06T09:00:00')
      .thenMatches([
        { type: 'StepCompleted', data: { stepId: 'commune-verification', mark: 'early' } },
        { type: 'StepStarted', data: { stepId: 'land-registration', agencyCode: LAND_OFFICE, fromAgencyCode: ECONOMY, stageIndex: 1 } },
      ]);

    dossier.stepCompleted('commune-verification', '2026-03-06T09:00:00').stageStarted(1, '2026-03-06T09:00:00', ECONOMY);
    given(dossier)
      .when(dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'approved' }), '2026-03-13T09:00:00')
      .thenMatches([{ type: 'StepCompleted', data: { stepId: 'land-registration', mark: 'early' } }, { type: 'StepStarted', data: { stepId: 'tax-assessment' } }]);

    dossier.stepCompleted('land-registration', '2026-03-13T09:00:00').stageStarted(2, '2026-03-13T09:00:00', LAND_OFFICE);
    const obliged = given(dossier)
      .when(dossier.command('RequestFinancialObligation', taxOfficer, { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 }), '2026-03-16T09:00:00')
      .thenMatches([{ type: 'FinancialObligationRequested', data: { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 } }]);
    expect(NATIONAL_PORTAL_STATUS[obliged.received.status]).toBe(6);

    dossier.financialObligationRequested('tax-assessment', '2026-03-16T09:00:00', '125/TB-CCT', 12_500_000);
    given(dossier).when(dossier.command('CompleteStep', taxOfficer, { stepId: 'tax-assessment', outcome: 'approved' }), '2026-03-17T09:00:00').thenRefused('COMMAND_OUT_OF_ORDER');
    // Five working days of waiting for the payment move the due time by five working days.
    given(dossier)
      .when(dossier.command('RecordPayment', reception, { amountVnd: 12_500_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: 'BL-0001' }), '2026-03-23T09:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: true, due: at('2026-04-06T09:00:00') } }]);

    dossier.paymentRecorded('2026-03-23T09:00:00', 12_500_000, 'BL-0001');
    given(dossier)
      .when(dossier.command('CompleteStep', taxOfficer, { stepId: 'tax-assessment', outcome: 'approved' }), '2026-03-24T09:00:00')
      .thenMatches([{ type: 'StepCompleted', data: { stepId: 'tax-assessment', mark: 'early' } }, { type: 'StepStarted', data: { stepId: 'certificate-issuance' } }]);

    dossier.stepCompleted('tax-assessment', '2026-03-24T09:00:00').stageStarted(3, '2026-03-24T09:00:00', TAX_OFFICE);
    const issue = (who: ReturnType<typeof actor>) => dossier.command('IssueResult', who, verifiedResult('CS 01234', who.agencyCode, 'a'.repeat(64)));
    given(dossier).when(issue(landHead), '2026-03-25T09:00:00').thenRefused('STEPS_NOT_COMPLETED');
    given(dossier)
      .when(dossier.command('CompleteStep', landOfficer, { stepId: 'certificate-issuance', outcome: 'approved' }), '2026-03-27T09:00:00')
      .thenMatches([{ type: 'StepCompleted', data: { stepId: 'certificate-issuance', mark: 'early' } }]);

    dossier.stepCompleted('certificate-issuance', '2026-03-27T09:00:00');
    given(dossier).when(issue(landOfficer), '2026-03-27T10:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(issue(economyHead), '2026-03-27T10:00:00').thenRefused('NOT_THE_COMPETENT_AGENCY');
    const resolved = given(dossier).when(issue(landHead), '2026-03-27T10:00:00').thenMatches([{ type: 'ResultIssued', data: { resultCode: `${dossier.dossierCode}-KQ1`, dossierRule: 'early', decision766: 'early' } }]);
    expect(NATIONAL_PORTAL_STATUS[resolved.received.status]).toBe(9);

    dossier.resultIssued('2026-03-27T10:00:00', 'CS 01234');
    const returned = given(dossier).when(dossier.command('ReturnResult', reception, { method: 'electronic', applicantNotifiedInAdvance: true }), '2026-03-30T08:00:00').thenMatches([{ type: 'ResultReturned' }]);
    expect(NATIONAL_PORTAL_STATUS[returned.received.status]).toBe(10);
  });

  it('asks for a supplement during processing within 3 working days of the step receiving the dossier, and restarts the legal time', () => {
    const dossier = DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00');
    const missing = [{ description: 'Sơ đồ thửa đất', reason: 'Không khớp hiện trạng' }];
    const request = (fields: { reasonForAnotherRequest?: string } = {}) => dossier.command('RequestSupplement', economyOfficer, { stepId: 'commune-verification', missing, ...fields });
    given(dossier).when(request(), '2026-03-05T09:01:00').thenRefused('SUPPLEMENT_REQUEST_TOO_LATE');
    const requested = given(dossier).when(request(), '2026-03-04T09:00:00').thenMatches([{ type: 'SupplementRequested', data: { requestNumber: 1, viaAgencyCode: CENTRE, countedLateByDecision766: false } }]);
    expect(NATIONAL_PORTAL_STATUS[requested.received.status]).toBe(5);

    // The land procedure restarts the legal time: 20 working days from the complete supplement.
    dossier.supplementRequested('commune-verification', '2026-03-04T09:00:00', missing);
    given(dossier)
      .when(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-09T10:00:00')
      .thenMatches([{ type: 'SupplementProvided', data: { duringProcessing: true, clockEffect: 'restart', due: at('2026-04-06T10:00:00') } }]);

    dossier.supplementProvided('2026-03-09T10:00:00');
    given(dossier).when(request(), '2026-03-09T11:00:00').thenRefused('ANOTHER_SUPPLEMENT_NEEDS_REASON');
    given(dossier)
      .when(request({ reasonForAnotherRequest: 'Bản đồ mới phát hiện sai lệch' }), '2026-03-09T11:00:00')
      .thenMatches([{ type: 'SupplementRequested', data: { requestNumber: 2, countedLateByDecision766: true } }]);
  });

  it('a business registration resumes its time after a supplement (the procedure says restart: check the other semantics)', () => {
    const dossier = DossierHistory.received('1.001776')
      .accepted('2026-03-02T09:00:00')
      .supplementRequested('social-review', '2026-03-04T09:00:00', [{ description: 'Giấy xác nhận khuyết tật', reason: 'Hết hạn' }]);
    // 15 working days from 2 March end on 23 March; two paused working days move them to 25 March.
    given(dossier)
      .when(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-06T09:00:00')
      .thenMatches([{ type: 'SupplementProvided', data: { clockEffect: 'resume', due: at('2026-03-25T09:00:00') } }]);
  });

  it('sends a step back to the previous stage, never from the first', () => {
    const dossier = DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00');
    given(dossier).when(dossier.command('SendStepBack', economyOfficer, { stepId: 'commune-verification', reason: 'x' }), '2026-03-03T09:00:00').thenRefused('NO_PREVIOUS_STAGE');

    dossier.stepCompleted('commune-verification', '2026-03-03T09:00:00').stageStarted(1, '2026-03-03T09:00:00', ECONOMY);
    given(dossier)
      .when(dossier.command('SendStepBack', landOfficer, { stepId: 'land-registration', reason: 'Xác nhận nguồn gốc đất chưa đủ' }), '2026-03-04T09:00:00')
      .thenMatches([{ type: 'StepSentBack' }, { type: 'StepStarted', data: { stepId: 'commune-verification', run: 2, fromAgencyCode: LAND_OFFICE } }]);
  });

  it('consults another body with a deadline and records whether the reply was late', () => {
    const dossier = acceptedBusiness();
    const consult = () => dossier.command('ConsultBody', economyOfficer, { stepId: 'business-registration', consultationId: 'tax-code', bodyAgencyCode: TAX_OFFICE, question: 'Mã số thuế?', replyBy: at('2026-03-03T17:00:00') });
    given(dossier).when(consult(), '2026-03-02T10:00:00').thenMatches([{ type: 'ConsultationRequested', data: { consultationId: 'tax-code', bodyAgencyCode: TAX_OFFICE } }]);

    dossier.consultationRequested('business-registration', 'tax-code', TAX_OFFICE, at('2026-03-03T17:00:00'), '2026-03-02T10:00:00');
    given(dossier).when(consult(), '2026-03-02T10:01:00').thenRefused('CONSULTATION_ALREADY_EXISTS');
    given(dossier).when(dossier.command('RecordConsultationReply', landOfficer, { consultationId: 'tax-code', reply: 'x' }), '2026-03-03T09:00:00').thenRefused('AGENCY_DOES_NOT_HOLD_STEP');
    given(dossier).when(dossier.command('RecordConsultationReply', taxOfficer, { consultationId: 'nope', reply: 'x' }), '2026-03-03T09:00:00').thenRefused('CONSULTATION_NOT_FOUND');
    given(dossier)
      .when(dossier.command('RecordConsultationReply', taxOfficer, { consultationId: 'tax-code', reply: '0101234567' }), '2026-03-04T09:00:00')
      .thenMatches([{ type: 'ConsultationAnswered', data: { late: true } }]);

    dossier.consultationAnswered('tax-code', '0101234567', '2026-03-04T09:00:00');
    given(dossier).when(dossier.command('RecordConsultationReply', taxOfficer, { consultationId: 'tax-code', reply: 'again' }), '2026-03-04T09:30:00').thenRefused('CONSULTATION_ALREADY_ANSWERED');
  });
});

describe('closing: refusal, apology, result, return, withdrawal, evaluation', () => {
  it('an apology with a new appointment: from a head of the agency holding the dossier, at the latest the working day before, once', () => {
    const dossier = acceptedBusiness();
    const apology = (who: ReturnType<typeof actor>, newAppointment = at('2026-03-10T09:00:00')) => dossier.command('IssueApology', who, { reason: 'Chờ xác minh', newAppointment });
    given(dossier).when(apology(economyOfficer), '2026-03-03T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(apology(landHead), '2026-03-03T09:00:00').thenRefused('AGENCY_DOES_NOT_HOLD_STEP');
    given(dossier).when(apology(economyHead, at('2026-03-05T08:00:00')), '2026-03-03T09:00:00').thenRefused('NEW_APPOINTMENT_NOT_LATER');
    given(dossier).when(apology(economyHead), '2026-03-05T08:00:00').thenRefused('EXTENSION_TOO_LATE');
    given(dossier)
      .when(apology(economyHead), '2026-03-04T16:00:00')
      .thenMatches([{ type: 'ApologyIssued', data: { originalDue: at('2026-03-05T09:00:00'), newAppointment: at('2026-03-10T09:00:00') } }]);

    dossier.apologyIssued(ECONOMY, '2026-03-04T16:00:00', at('2026-03-10T09:00:00'));
    given(dossier).when(apology(economyHead, at('2026-03-12T09:00:00')), '2026-03-04T16:30:00').thenRefused('EXTENSION_ALREADY_GRANTED');

    dossier.stepCompleted('business-registration', '2026-03-09T09:00:00');
    // Late against the original due date under both rules, whatever the apology.
    given(dossier)
      .when(dossier.command('IssueResult', economyHead, verifiedResult('HKD-1', economyHead.agencyCode, 'b'.repeat(64))), '2026-03-09T10:00:00')
      .thenMatches([{ type: 'ResultIssued', data: { dossierRule: 'late', decision766: 'late' } }]);
  });

  it('refuses to resolve after appraisal, recording whether it came within the time limit', () => {
    const dossier = acceptedBusiness();
    given(dossier).when(dossier.command('RefuseToResolve', economyOfficer, { reasons: ['x'], legalBasis: 'y' }), '2026-03-03T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    const refused = given(dossier)
      .when(dossier.command('RefuseToResolve', economyHead, { reasons: ['Ngành nghề kinh doanh bị cấm'], legalBasis: 'Luật Đầu tư 2020, Điều 6' }), '2026-03-06T09:00:00')
      .thenMatches([{ type: 'ResolutionRefused', data: { withinTimeLimit: false } }]);
    expect(NATIONAL_PORTAL_STATUS[refused.received.status]).toBe(9);

    dossier.resolutionRefused('2026-03-06T09:00:00', ['Ngành nghề kinh doanh bị cấm'], 'Luật Đầu tư 2020, Điều 6');
    const returned = given(dossier)
      .when(dossier.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: false }), '2026-03-06T10:00:00')
      .thenMatches([{ type: 'ResultReturned' }]);
    expect(returned.received.status).toBe('returned');
  });

  it('returns a result early only when the applicant was told in advance', () => {
    const dossier = acceptedBusiness().stepCompleted('business-registration', '2026-03-03T09:00:00').resultIssued('2026-03-03T10:00:00', 'HKD-2');
    given(dossier).when(dossier.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: false }), '2026-03-04T09:00:00').thenRefused('EARLY_RETURN_NOT_NOTIFIED');
    given(dossier).when(dossier.command('ReturnResult', economyOfficer, { method: 'counter', applicantNotifiedInAdvance: true }), '2026-03-04T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(dossier.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: true }), '2026-03-04T09:00:00').thenMatches([{ type: 'ResultReturned', data: { early: true } }]);

    dossier.resultReturned('2026-03-04T09:00:00', 'counter', true);
    given(dossier)
      .when(dossier.command('RequestWithdrawal', reception, { reason: 'x' }), '2026-03-04T10:00:00')
      .thenRefused('DOSSIER_CLOSED');
  });

  it('withdrawal: requested by the centre, decided by the competent head; approved stops processing (form 05)', () => {
    const dossier = acceptedBusiness();
    const requested = given(dossier).when(dossier.command('RequestWithdrawal', reception, { reason: 'Công dân không còn nhu cầu' }), '2026-03-03T09:00:00').thenMatches([{ type: 'WithdrawalRequested' }]);
    expect(NATIONAL_PORTAL_STATUS[requested.received.status]).toBe(7);

    dossier.withdrawalRequested('2026-03-03T09:00:00', 'Công dân không còn nhu cầu');
    given(dossier).when(dossier.command('RequestWithdrawal', reception, { reason: 'again' }), '2026-03-03T09:01:00').thenRefused('WITHDRAWAL_TOO_LATE');
    const declined = given(dossier).when(dossier.command('DecideWithdrawal', economyHead, { approved: false, reason: 'Đã ký kết quả' }), '2026-03-03T10:00:00').thenMatches([{ type: 'WithdrawalDecided', data: { approved: false } }]);
    expect(declined.received.status).toBe('in-processing');

    dossier.withdrawalDecided('2026-03-03T10:00:00', false, 'Đã ký kết quả').withdrawalRequested('2026-03-03T11:00:00', 'Công dân không còn nhu cầu');
    const stopped = given(dossier).when(dossier.command('DecideWithdrawal', economyHead, { approved: true, reason: 'Đồng ý dừng xử lý' }), '2026-03-03T14:00:00').thenMatches([{ type: 'WithdrawalDecided', data: { approved: true } }]);
    expect(NATIONAL_PORTAL_STATUS[stopped.received.status]).toBe(8);
    expect(stopped.received.clock[stopped.received.clock.length - 1]).toMatchObject({ type: 'stopped', outcome: 'withdrawn' });
  });

  it('refuses a withdrawal once the result is ready', () => {
    const dossier = acceptedBusiness().stepCompleted('business-registration', '2026-03-03T09:00:00').resultIssued('2026-03-03T10:00:00', 'HKD-3');
    given(dossier).when(dossier.command('RequestWithdrawal', reception, { reason: 'x' }), '2026-03-03T11:00:00').thenRefused('WITHDRAWAL_TOO_LATE');
  });
});

describe('alerts of the legal clock', () => {
  it('raises due-soon and overdue once each, only when they are due, and only for the system', () => {
    const dossier = acceptedBusiness();
    const mark = (alert: 'due-soon' | 'overdue', who = LEGAL_CLOCK) => dossier.command('MarkDeadline', who, { scope: { kind: 'dossier' }, alert });
    given(dossier).when(mark('due-soon', reception), '2026-03-04T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(mark('due-soon'), '2026-03-04T08:59:00').thenRefused('ALERT_NOT_DUE');
    given(dossier).when(mark('due-soon'), '2026-03-04T09:00:00').thenMatches([{ type: 'DeadlineAlerted', data: { alert: 'due-soon', agencyCode: ECONOMY, due: at('2026-03-05T09:00:00') } }]);

    dossier.deadlineAlerted('due-soon', '2026-03-04T09:00:00');
    given(dossier).when(mark('due-soon'), '2026-03-04T09:30:00').thenRefused('ALERT_NOT_DUE');
    given(dossier).when(mark('overdue'), '2026-03-05T09:00:00').thenRefused('ALERT_NOT_DUE');
    const overdue = given(dossier).when(mark('overdue'), '2026-03-05T09:01:00').thenMatches([{ type: 'DeadlineAlerted', data: { alert: 'overdue' } }]);
    expect(overdue.received.alerts).toEqual(['due-soon', 'overdue']);
  });
});

describe('national portal status codes', () => {
  it('maps every engine status to exactly one code from 1 to 10', () => {
    for (const status of DOSSIER_STATUSES) expect(NATIONAL_PORTAL_STATUS[status]).toBeGreaterThanOrEqual(1);
    expect(new Set(Object.values(NATIONAL_PORTAL_STATUS))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });
});

describe('edge cases found in review', () => {
  it('a supplement that restarts the legal time restarts the steps in hand too', () => {
    const dossier = acceptedBusiness()
      .supplementRequested('business-registration', '2026-03-04T16:00:00', [{ description: 'Giấy đề nghị', reason: 'Sai mẫu' }])
      .supplementProvided('2026-03-10T09:00:00');
    given(dossier)
      .when(dossier.command('CompleteStep', economyOfficer, { stepId: 'business-registration', outcome: 'approved' }), '2026-03-11T09:00:00')
      .thenMatches([{ type: 'StepCompleted', data: { mark: 'early', allottedMinutes: 1350, usedMinutes: 450 } }]);
  });

  it('a payment while a withdrawal request waits settles the obligation; declining then resumes processing', () => {
    const dossier = DossierHistory.received(LAND_PROCEDURE)
      .accepted('2026-03-02T09:00:00')
      .financialObligationRequested('commune-verification', '2026-03-03T09:00:00', 'TB-1', 100_000)
      .withdrawalRequested('2026-03-03T10:00:00', 'Cân nhắc');
    given(dossier)
      .when(dossier.command('RecordPayment', reception, { amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-9' }), '2026-03-03T11:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: true } }]);

    dossier.paymentRecorded('2026-03-03T11:00:00', 100_000, 'BL-9');
    const { received } = given(dossier).when(dossier.command('DecideWithdrawal', landHead, { approved: false, reason: 'Công dân đổi ý' }), '2026-03-03T14:00:00').thenMatches([{ type: 'WithdrawalDecided' }]);
    expect(received).toMatchObject({ status: 'in-processing' });
    expect(received.pendingObligation).toBeUndefined();
    expect(received.clock[received.clock.length - 1]).toMatchObject({ type: 'resumed' });
  });

  it('only officers and heads record a consultation reply', () => {
    const dossier = acceptedBusiness().consultationRequested('business-registration', 'q', TAX_OFFICE, at('2026-03-04T17:00:00'), '2026-03-02T10:00:00');
    given(dossier).when(dossier.command('RecordConsultationReply', actor('auditor', TAX_OFFICE), { consultationId: 'q', reply: 'x' }), '2026-03-03T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
  });

  it('a step that did not approve can still be sent back by its agency', () => {
    const dossier = DossierHistory.received(LAND_PROCEDURE)
      .accepted('2026-03-02T09:00:00')
      .stepCompleted('commune-verification', '2026-03-03T09:00:00')
      .stageStarted(1, '2026-03-03T09:00:00', ECONOMY);
    const notApproved = given(dossier)
      .when(dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'not-approved', note: 'Thiếu xác nhận' }), '2026-03-04T09:00:00')
      .thenMatches([{ type: 'StepCompleted', data: { outcome: 'not-approved' } }]);
    expect(notApproved.received.steps.filter((step) => step.status === 'active')).toEqual([]);

    dossier.stepCompleted('land-registration', '2026-03-04T09:00:00', 'not-approved');
    given(dossier).when(dossier.command('SendStepBack', taxOfficer, { stepId: 'land-registration', reason: 'x' }), '2026-03-04T10:00:00').thenRefused('STEP_NOT_IN_HAND');
    given(dossier)
      .when(dossier.command('SendStepBack', landOfficer, { stepId: 'land-registration', reason: 'Cần xác nhận lại nguồn gốc đất' }), '2026-03-04T10:00:00')
      .thenMatches([{ type: 'StepStarted', data: { stepId: 'commune-verification', run: 2, fromAgencyCode: LAND_OFFICE } }]);
  });

  it('steps in hand when the dossier ends are recorded as stopped, not completed', () => {
    const dossier = acceptedBusiness().withdrawalRequested('2026-03-03T09:00:00', 'x');
    const { received } = given(dossier).when(dossier.command('DecideWithdrawal', economyHead, { approved: true, reason: 'y' }), '2026-03-03T10:00:00').thenMatches([{ type: 'WithdrawalDecided' }]);
    expect(received.steps.map((step) => step.status)).toEqual(['stopped']);
  });

  it('resuming the clock keeps the alerts already raised, so due-soon is not raised twice', () => {
    const dossier = DossierHistory.received('1.001776')
      .accepted('2026-03-02T09:00:00')
      .deadlineAlerted('due-soon', '2026-03-20T09:00:00')
      .financialObligationRequested('social-review', '2026-03-20T10:00:00', 'TB-2', 50_000);
    const { received } = given(dossier)
      .when(dossier.command('RecordPayment', reception, { amountVnd: 50_000, method: 'counter', receiptNumber: 'BL-2' }), '2026-03-24T10:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: true } }]);
    expect(received.alerts).toEqual(['due-soon']);

    dossier.paymentRecorded('2026-03-24T10:00:00', 50_000, 'BL-2');
    given(dossier).when(dossier.command('MarkDeadline', LEGAL_CLOCK, { scope: { kind: 'dossier' }, alert: 'due-soon' }), '2026-03-24T10:00:00').thenRefused('ALERT_NOT_DUE');
  });
});
