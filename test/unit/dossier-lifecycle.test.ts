// The lifecycle's rules, given/when/then: each rule accepts the right case and refuses the wrong one
// with its stable code. Times are Vietnam local; 2 March 2026 is a Monday.
import { describe, expect, it } from 'vitest';
import { DOSSIER_STATUSES, NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import {
  actor,
  at,
  BUSINESS_PROCEDURE,
  CENTRE,
  completeComponents,
  DossierScenario,
  ECONOMY,
  JUSTICE,
  LAND_OFFICE,
  LAND_PROCEDURE,
  pinned,
  TAX_OFFICE,
} from '../support/dossier-fixtures.js';

const reception = actor('reception', CENTRE);
const economyOfficer = actor('officer', ECONOMY);
const economyHead = actor('head', ECONOMY);
const landOfficer = actor('officer', LAND_OFFICE);
const landHead = actor('head', LAND_OFFICE);
const taxOfficer = actor('officer', TAX_OFFICE);
const system = actor('system', CENTRE, 'legal-clock');

function acceptedBusiness() {
  const dossier = DossierScenario.received(BUSINESS_PROCEDURE);
  dossier.accept('2026-03-02T09:00:00');
  return dossier;
}

describe('reception: accept (form 01), supplement (form 02) or refuse (form 03)', () => {
  it('accepts a complete dossier with its appointment and hands it to the first step', () => {
    const dossier = DossierScenario.received(BUSINESS_PROCEDURE);
    const events = dossier.accept('2026-03-02T09:00:00');
    expect(events.map((event) => event.type)).toEqual(['DossierAccepted', 'StepStarted']);
    expect(events[0]).toMatchObject({ data: { appointment: at('2026-03-05T09:00:00'), calendarVersion: '2025.1', procedure: { code: BUSINESS_PROCEDURE, version: '2025.1' } } });
    expect(events[1]).toMatchObject({ data: { stepId: 'business-registration', agencyCode: ECONOMY, fromAgencyCode: CENTRE, run: 1, due: at('2026-03-05T09:00:00') } });
    expect(dossier.received.status).toBe('in-processing');
  });

  it('refuses to accept an incomplete dossier and says to ask for a supplement instead', () => {
    const dossier = DossierScenario.received(BUSINESS_PROCEDURE);
    const command = dossier.command('AcceptDossier', reception, { components: completeComponents(BUSINESS_PROCEDURE).slice(1), pinned: pinned(BUSINESS_PROCEDURE) });
    const decision = dossier.decide(command, '2026-03-02T09:00:00');
    expect(decision).toMatchObject({ ok: false, error: { code: 'REQUIRED_COMPONENTS_MISSING', field: 'components', message: expect.stringMatching(/application .*form 02/) } });
  });

  it.each([
    ['UNKNOWN_COMPONENT', () => ({ components: [...completeComponents(BUSINESS_PROCEDURE), { componentId: 'passport', form: 'original' as const, digitised: false, reusedFromData: false }], pinned: pinned(BUSINESS_PROCEDURE) })],
    ['PROCEDURE_MISMATCH', () => ({ components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) })],
    ['PROCEDURE_NOT_IN_FORCE', () => ({ components: completeComponents(BUSINESS_PROCEDURE), pinned: { ...pinned(BUSINESS_PROCEDURE), procedure: { ...pinned(BUSINESS_PROCEDURE).procedure, effectiveFrom: '2026-04-01' } } })],
    ['AGENCY_NOT_PINNED', () => ({ components: completeComponents(BUSINESS_PROCEDURE), pinned: { ...pinned(BUSINESS_PROCEDURE), agencies: pinned(BUSINESS_PROCEDURE).agencies.filter((agency) => agency.code !== ECONOMY) } })],
  ])('refuses an acceptance with %s', (code, fields) => {
    const dossier = DossierScenario.received(BUSINESS_PROCEDURE);
    expect(dossier.refused(dossier.command('AcceptDossier', reception, fields()), '2026-03-02T09:00:00')).toBe(code);
  });

  it('lets only reception (or a head) of the receiving centre accept', () => {
    const dossier = DossierScenario.received(BUSINESS_PROCEDURE);
    const fields = { components: completeComponents(BUSINESS_PROCEDURE), pinned: pinned(BUSINESS_PROCEDURE) };
    expect(dossier.refused(dossier.command('AcceptDossier', economyOfficer, fields), '2026-03-02T09:00:00')).toBe('ROLE_NOT_ALLOWED');
    expect(dossier.refused(dossier.command('AcceptDossier', actor('reception', JUSTICE), fields), '2026-03-02T09:00:00')).toBe('NOT_THE_RECEIVING_CENTRE');
  });

  it('asks for a supplement once, with everything in one list, then accepts the completed dossier', () => {
    const dossier = DossierScenario.received(BUSINESS_PROCEDURE);
    const missing = [{ componentId: 'application', description: 'Giấy đề nghị đăng ký hộ kinh doanh', reason: 'Chưa có chữ ký của chủ hộ' }];
    dossier.play(dossier.command('RequestSupplementAtReception', reception, { missing }), '2026-03-02T09:00:00');
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(5);
    expect(dossier.refused(dossier.command('RequestSupplementAtReception', reception, { missing }), '2026-03-02T09:05:00')).toBe('COMMAND_OUT_OF_ORDER');
    dossier.play(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-03T10:00:00');
    expect(dossier.received.status).toBe('received');
    expect(dossier.refused(dossier.command('RequestSupplementAtReception', reception, { missing }), '2026-03-03T10:05:00')).toBe('SUPPLEMENT_ALREADY_REQUESTED');
    // The clock starts at the acceptance after the supplement (Decision 45/2016 art. 7(4)).
    expect(dossier.accept('2026-03-03T10:10:00')[0]).toMatchObject({ data: { appointment: at('2026-03-06T10:10:00') } });
  });

  it('refuses at reception with reasons; the dossier is then closed to everything but an evaluation', () => {
    const dossier = DossierScenario.received(BUSINESS_PROCEDURE);
    dossier.play(dossier.command('RefuseAtReception', reception, { reasons: ['Không thuộc thẩm quyền của xã'], legalBasis: 'Nghị định 01/2021/NĐ-CP' }), '2026-03-02T09:00:00');
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(3);
    expect(dossier.refused(dossier.command('AcceptDossier', reception, { components: completeComponents(BUSINESS_PROCEDURE), pinned: pinned(BUSINESS_PROCEDURE) }), '2026-03-02T09:10:00')).toBe('DOSSIER_CLOSED');
    dossier.play(dossier.command('RecordEvaluation', reception, { rating: 'satisfied' }), '2026-03-02T09:15:00');
    expect(dossier.refused(dossier.command('RecordEvaluation', reception, { rating: 'satisfied' }), '2026-03-02T09:16:00')).toBe('EVALUATION_ALREADY_RECORDED');
  });

  it('refuses any command for a dossier that was never received', () => {
    const dossier = new DossierScenario(`${CENTRE}-260302-0009`, BUSINESS_PROCEDURE);
    expect(dossier.refused(dossier.command('RequestWithdrawal', reception, { reason: 'x' }), '2026-03-02T09:00:00')).toBe('DOSSIER_NOT_RECEIVED');
  });
});

describe('processing along the route', () => {
  it('lets only the agency holding a step act on it, in the right role', () => {
    const dossier = acceptedBusiness();
    const complete = (who: ReturnType<typeof actor>, stepId = 'business-registration') => dossier.command('CompleteStep', who, { stepId, outcome: 'approved' });
    expect(dossier.refused(complete(landOfficer), '2026-03-03T09:00:00')).toBe('AGENCY_DOES_NOT_HOLD_STEP');
    expect(dossier.refused(complete(economyOfficer, 'tax-assessment'), '2026-03-03T09:00:00')).toBe('STEP_NOT_IN_HAND');
    expect(dossier.refused(complete(actor('reception', ECONOMY)), '2026-03-03T09:00:00')).toBe('ROLE_NOT_ALLOWED');
    expect(dossier.refused(dossier.command('AssignHandler', economyOfficer, { stepId: 'business-registration', handlerUserId: 'u1' }), '2026-03-03T09:00:00')).toBe('ROLE_NOT_ALLOWED');
    dossier.play(dossier.command('AssignHandler', economyHead, { stepId: 'business-registration', handlerUserId: 'chuyenvien.a' }), '2026-03-02T10:00:00');
    const [completed] = dossier.play(complete(economyOfficer), '2026-03-04T09:00:00');
    expect(completed).toMatchObject({ type: 'StepCompleted', data: { allottedMinutes: 1350, usedMinutes: 900, mark: 'early' } });
  });

  it('carries a land dossier through the land office and the tax office, pausing for the tax payment', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    dossier.accept('2026-03-02T09:00:00');
    const appointment = dossier.received.accepted!.appointment;
    expect(appointment).toBe(at('2026-03-30T09:00:00'));
    const next = dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-06T09:00:00');
    expect(next.map((event) => event.type)).toEqual(['StepCompleted', 'StepStarted']);
    expect(next[1]).toMatchObject({ data: { stepId: 'land-registration', agencyCode: LAND_OFFICE, fromAgencyCode: ECONOMY, stageIndex: 1 } });
    dossier.play(dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'approved' }), '2026-03-13T09:00:00');
    dossier.play(dossier.command('RequestFinancialObligation', taxOfficer, { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 }), '2026-03-16T09:00:00');
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(6);
    expect(dossier.refused(dossier.command('CompleteStep', taxOfficer, { stepId: 'tax-assessment', outcome: 'approved' }), '2026-03-17T09:00:00')).toBe('COMMAND_OUT_OF_ORDER');
    // Five working days of waiting for the payment move the due time by five working days.
    const [payment] = dossier.play(dossier.command('RecordPayment', reception, { amountVnd: 12_500_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: 'BL-0001' }), '2026-03-23T09:00:00');
    expect(payment).toMatchObject({ data: { resumedClock: true, due: at('2026-04-06T09:00:00') } });
    dossier.play(dossier.command('CompleteStep', taxOfficer, { stepId: 'tax-assessment', outcome: 'approved' }), '2026-03-24T09:00:00');
    expect(dossier.refused(dossier.command('IssueResult', landHead, { document: { reference: 'CS 01234', sha256: 'a'.repeat(64) } }), '2026-03-25T09:00:00')).toBe('STEPS_NOT_COMPLETED');
    dossier.play(dossier.command('CompleteStep', landOfficer, { stepId: 'certificate-issuance', outcome: 'approved' }), '2026-03-27T09:00:00');
    expect(dossier.refused(dossier.command('IssueResult', landOfficer, { document: { reference: 'CS 01234', sha256: 'a'.repeat(64) } }), '2026-03-27T10:00:00')).toBe('ROLE_NOT_ALLOWED');
    expect(dossier.refused(dossier.command('IssueResult', economyHead, { document: { reference: 'CS 01234', sha256: 'a'.repeat(64) } }), '2026-03-27T10:00:00')).toBe('NOT_THE_COMPETENT_AGENCY');
    const [result] = dossier.play(dossier.command('IssueResult', landHead, { document: { reference: 'CS 01234', sha256: 'a'.repeat(64) } }), '2026-03-27T10:00:00');
    expect(result).toMatchObject({ data: { resultCode: `${dossier.dossierCode}-KQ1`, dossierRule: 'early', decision766: 'early' } });
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(9);
    dossier.play(dossier.command('ReturnResult', reception, { method: 'electronic', applicantNotifiedInAdvance: true }), '2026-03-30T08:00:00');
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(10);
    expect(dossier.received.steps.map((step) => `${step.stepId} ${step.status} ${step.mark?.mark}`)).toEqual([
      'commune-verification completed early',
      'land-registration completed early',
      'tax-assessment completed early',
      'certificate-issuance completed early',
    ]);
  });

  it('asks for a supplement during processing within 3 working days of the step receiving the dossier, and restarts the legal time', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    dossier.accept('2026-03-02T09:00:00');
    const missing = [{ description: 'Sơ đồ thửa đất', reason: 'Không khớp hiện trạng' }];
    expect(dossier.refused(dossier.command('RequestSupplement', economyOfficer, { stepId: 'commune-verification', missing }), '2026-03-05T09:01:00')).toBe('SUPPLEMENT_REQUEST_TOO_LATE');
    const [requested] = dossier.play(dossier.command('RequestSupplement', economyOfficer, { stepId: 'commune-verification', missing }), '2026-03-04T09:00:00');
    expect(requested).toMatchObject({ data: { requestNumber: 1, viaAgencyCode: CENTRE, countedLateByDecision766: false } });
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(5);
    // The land procedure restarts the legal time: 20 working days from the complete supplement.
    const [provided] = dossier.play(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-09T10:00:00');
    expect(provided).toMatchObject({ data: { duringProcessing: true, clockEffect: 'restart', due: at('2026-04-06T10:00:00') } });
    expect(dossier.refused(dossier.command('RequestSupplement', economyOfficer, { stepId: 'commune-verification', missing }), '2026-03-09T11:00:00')).toBe('ANOTHER_SUPPLEMENT_NEEDS_REASON');
    const [second] = dossier.play(dossier.command('RequestSupplement', economyOfficer, { stepId: 'commune-verification', missing, reasonForAnotherRequest: 'Bản đồ mới phát hiện sai lệch' }), '2026-03-09T11:00:00');
    expect(second).toMatchObject({ data: { requestNumber: 2, countedLateByDecision766: true } });
  });

  it('a business registration resumes its time after a supplement (the procedure says restart: check the other semantics)', () => {
    const dossier = DossierScenario.received('1.001776');
    dossier.play(dossier.command('AcceptDossier', reception, { components: completeComponents('1.001776'), pinned: pinned('1.001776') }), '2026-03-02T09:00:00');
    const socialOfficer = actor('officer', '000.04.01.H99');
    dossier.play(dossier.command('RequestSupplement', socialOfficer, { stepId: 'social-review', missing: [{ description: 'Giấy xác nhận khuyết tật', reason: 'Hết hạn' }] }), '2026-03-04T09:00:00');
    const [provided] = dossier.play(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-06T09:00:00');
    // 15 working days from 2 March end on 23 March; two paused working days move them to 25 March.
    expect(provided).toMatchObject({ data: { clockEffect: 'resume', due: at('2026-03-25T09:00:00') } });
  });

  it('sends a step back to the previous stage, never from the first', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    dossier.accept('2026-03-02T09:00:00');
    expect(dossier.refused(dossier.command('SendStepBack', economyOfficer, { stepId: 'commune-verification', reason: 'x' }), '2026-03-03T09:00:00')).toBe('NO_PREVIOUS_STAGE');
    dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    const events = dossier.play(dossier.command('SendStepBack', landOfficer, { stepId: 'land-registration', reason: 'Xác nhận nguồn gốc đất chưa đủ' }), '2026-03-04T09:00:00');
    expect(events.map((event) => event.type)).toEqual(['StepSentBack', 'StepStarted']);
    expect(events[1]).toMatchObject({ data: { stepId: 'commune-verification', run: 2, fromAgencyCode: LAND_OFFICE } });
  });

  it('consults another body with a deadline and records whether the reply was late', () => {
    const dossier = acceptedBusiness();
    const consult = () => dossier.command('ConsultBody', economyOfficer, { stepId: 'business-registration', consultationId: 'tax-code', bodyAgencyCode: TAX_OFFICE, question: 'Mã số thuế?', replyBy: at('2026-03-03T17:00:00') });
    dossier.play(consult(), '2026-03-02T10:00:00');
    expect(dossier.refused(consult(), '2026-03-02T10:01:00')).toBe('CONSULTATION_ALREADY_EXISTS');
    expect(dossier.refused(dossier.command('RecordConsultationReply', landOfficer, { consultationId: 'tax-code', reply: 'x' }), '2026-03-03T09:00:00')).toBe('AGENCY_DOES_NOT_HOLD_STEP');
    expect(dossier.refused(dossier.command('RecordConsultationReply', taxOfficer, { consultationId: 'nope', reply: 'x' }), '2026-03-03T09:00:00')).toBe('CONSULTATION_NOT_FOUND');
    const [reply] = dossier.play(dossier.command('RecordConsultationReply', taxOfficer, { consultationId: 'tax-code', reply: '0101234567' }), '2026-03-04T09:00:00');
    expect(reply).toMatchObject({ data: { late: true } });
    expect(dossier.refused(dossier.command('RecordConsultationReply', taxOfficer, { consultationId: 'tax-code', reply: 'again' }), '2026-03-04T09:30:00')).toBe('CONSULTATION_ALREADY_ANSWERED');
  });
});

describe('closing: refusal, apology, result, return, withdrawal, evaluation', () => {
  it('an apology with a new appointment: from a head of the agency holding the dossier, at the latest the working day before, once', () => {
    const dossier = acceptedBusiness();
    const apology = (who: ReturnType<typeof actor>, newAppointment = at('2026-03-10T09:00:00')) => dossier.command('IssueApology', who, { reason: 'Chờ xác minh', newAppointment });
    expect(dossier.refused(apology(economyOfficer), '2026-03-03T09:00:00')).toBe('ROLE_NOT_ALLOWED');
    expect(dossier.refused(apology(landHead), '2026-03-03T09:00:00')).toBe('AGENCY_DOES_NOT_HOLD_STEP');
    expect(dossier.refused(apology(economyHead, at('2026-03-05T08:00:00')), '2026-03-03T09:00:00')).toBe('NEW_APPOINTMENT_NOT_LATER');
    expect(dossier.refused(apology(economyHead), '2026-03-05T08:00:00')).toBe('EXTENSION_TOO_LATE');
    const [issued] = dossier.play(apology(economyHead), '2026-03-04T16:00:00');
    expect(issued).toMatchObject({ type: 'ApologyIssued', data: { originalDue: at('2026-03-05T09:00:00'), newAppointment: at('2026-03-10T09:00:00') } });
    expect(dossier.refused(apology(economyHead, at('2026-03-12T09:00:00')), '2026-03-04T16:30:00')).toBe('EXTENSION_ALREADY_GRANTED');
    dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'business-registration', outcome: 'approved' }), '2026-03-09T09:00:00');
    const [result] = dossier.play(dossier.command('IssueResult', economyHead, { document: { reference: 'HKD-1', sha256: 'b'.repeat(64) } }), '2026-03-09T10:00:00');
    // Late against the original due date under both rules, whatever the apology.
    expect(result).toMatchObject({ data: { dossierRule: 'late', decision766: 'late' } });
  });

  it('refuses to resolve after appraisal, recording whether it came within the time limit', () => {
    const dossier = acceptedBusiness();
    expect(dossier.refused(dossier.command('RefuseToResolve', economyOfficer, { reasons: ['x'], legalBasis: 'y' }), '2026-03-03T09:00:00')).toBe('ROLE_NOT_ALLOWED');
    const [refusal] = dossier.play(dossier.command('RefuseToResolve', economyHead, { reasons: ['Ngành nghề kinh doanh bị cấm'], legalBasis: 'Luật Đầu tư 2020, Điều 6' }), '2026-03-06T09:00:00');
    expect(refusal).toMatchObject({ data: { withinTimeLimit: false } });
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(9);
    dossier.play(dossier.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: false }), '2026-03-06T10:00:00');
    expect(dossier.received.status).toBe('returned');
  });

  it('returns a result early only when the applicant was told in advance', () => {
    const dossier = acceptedBusiness();
    dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'business-registration', outcome: 'approved' }), '2026-03-03T09:00:00');
    dossier.play(dossier.command('IssueResult', economyHead, { document: { reference: 'HKD-2', sha256: 'c'.repeat(64) } }), '2026-03-03T10:00:00');
    expect(dossier.refused(dossier.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: false }), '2026-03-04T09:00:00')).toBe('EARLY_RETURN_NOT_NOTIFIED');
    expect(dossier.refused(dossier.command('ReturnResult', economyOfficer, { method: 'counter', applicantNotifiedInAdvance: true }), '2026-03-04T09:00:00')).toBe('ROLE_NOT_ALLOWED');
    const [returned] = dossier.play(dossier.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: true }), '2026-03-04T09:00:00');
    expect(returned).toMatchObject({ data: { early: true } });
    expect(dossier.refused(dossier.command('RequestWithdrawal', reception, { reason: 'x' }), '2026-03-04T10:00:00')).toBe('DOSSIER_CLOSED');
  });

  it('withdrawal: requested by the centre, decided by the competent head; approved stops processing (form 05)', () => {
    const dossier = acceptedBusiness();
    dossier.play(dossier.command('RequestWithdrawal', reception, { reason: 'Công dân không còn nhu cầu' }), '2026-03-03T09:00:00');
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(7);
    expect(dossier.refused(dossier.command('RequestWithdrawal', reception, { reason: 'again' }), '2026-03-03T09:01:00')).toBe('WITHDRAWAL_TOO_LATE');
    dossier.play(dossier.command('DecideWithdrawal', economyHead, { approved: false, reason: 'Đã ký kết quả' }), '2026-03-03T10:00:00');
    expect(dossier.received.status).toBe('in-processing');
    dossier.play(dossier.command('RequestWithdrawal', reception, { reason: 'Công dân không còn nhu cầu' }), '2026-03-03T11:00:00');
    dossier.play(dossier.command('DecideWithdrawal', economyHead, { approved: true, reason: 'Đồng ý dừng xử lý' }), '2026-03-03T14:00:00');
    expect(NATIONAL_PORTAL_STATUS[dossier.received.status]).toBe(8);
    expect(dossier.received.clock[dossier.received.clock.length - 1]).toMatchObject({ type: 'stopped', outcome: 'withdrawn' });
  });

  it('refuses a withdrawal once the result is ready', () => {
    const dossier = acceptedBusiness();
    dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'business-registration', outcome: 'approved' }), '2026-03-03T09:00:00');
    dossier.play(dossier.command('IssueResult', economyHead, { document: { reference: 'HKD-3', sha256: 'd'.repeat(64) } }), '2026-03-03T10:00:00');
    expect(dossier.refused(dossier.command('RequestWithdrawal', reception, { reason: 'x' }), '2026-03-03T11:00:00')).toBe('WITHDRAWAL_TOO_LATE');
  });
});

describe('alerts of the legal clock', () => {
  it('raises due-soon and overdue once each, only when they are due, and only for the system', () => {
    const dossier = acceptedBusiness();
    const mark = (alert: 'due-soon' | 'overdue', who = system) => dossier.command('MarkDeadline', who, { scope: { kind: 'dossier' }, alert });
    expect(dossier.refused(mark('due-soon', reception), '2026-03-04T09:00:00')).toBe('ROLE_NOT_ALLOWED');
    expect(dossier.refused(mark('due-soon'), '2026-03-04T08:59:00')).toBe('ALERT_NOT_DUE');
    const [soon] = dossier.play(mark('due-soon'), '2026-03-04T09:00:00');
    expect(soon).toMatchObject({ type: 'DeadlineAlerted', data: { alert: 'due-soon', agencyCode: ECONOMY, due: at('2026-03-05T09:00:00') } });
    expect(dossier.refused(mark('due-soon'), '2026-03-04T09:30:00')).toBe('ALERT_NOT_DUE');
    expect(dossier.refused(mark('overdue'), '2026-03-05T09:00:00')).toBe('ALERT_NOT_DUE');
    dossier.play(mark('overdue'), '2026-03-05T09:01:00');
    expect(dossier.received.alerts).toEqual(['due-soon', 'overdue']);
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
    const dossier = acceptedBusiness();
    dossier.play(dossier.command('RequestSupplement', economyOfficer, { stepId: 'business-registration', missing: [{ description: 'Giấy đề nghị', reason: 'Sai mẫu' }] }), '2026-03-04T16:00:00');
    dossier.play(dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-10T09:00:00');
    const [completed] = dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'business-registration', outcome: 'approved' }), '2026-03-11T09:00:00');
    expect(completed).toMatchObject({ data: { mark: 'early', allottedMinutes: 1350, usedMinutes: 450 } });
  });

  it('a payment while a withdrawal request waits settles the obligation; declining then resumes processing', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    dossier.accept('2026-03-02T09:00:00');
    dossier.play(dossier.command('RequestFinancialObligation', economyOfficer, { stepId: 'commune-verification', noticeNumber: 'TB-1', amountVnd: 100_000 }), '2026-03-03T09:00:00');
    dossier.play(dossier.command('RequestWithdrawal', reception, { reason: 'Cân nhắc' }), '2026-03-03T10:00:00');
    const [payment] = dossier.play(dossier.command('RecordPayment', reception, { amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-9' }), '2026-03-03T11:00:00');
    expect(payment).toMatchObject({ data: { resumedClock: true } });
    dossier.play(dossier.command('DecideWithdrawal', landHead, { approved: false, reason: 'Công dân đổi ý' }), '2026-03-03T14:00:00');
    expect(dossier.received).toMatchObject({ status: 'in-processing' });
    expect(dossier.received.pendingObligation).toBeUndefined();
    expect(dossier.received.clock[dossier.received.clock.length - 1]).toMatchObject({ type: 'resumed' });
  });

  it('only officers and heads record a consultation reply', () => {
    const dossier = acceptedBusiness();
    dossier.play(dossier.command('ConsultBody', economyOfficer, { stepId: 'business-registration', consultationId: 'q', bodyAgencyCode: TAX_OFFICE, question: '?', replyBy: at('2026-03-04T17:00:00') }), '2026-03-02T10:00:00');
    expect(dossier.refused(dossier.command('RecordConsultationReply', actor('auditor', TAX_OFFICE), { consultationId: 'q', reply: 'x' }), '2026-03-03T09:00:00')).toBe('ROLE_NOT_ALLOWED');
  });

  it('a step that did not approve can still be sent back by its agency', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    dossier.accept('2026-03-02T09:00:00');
    dossier.play(dossier.command('CompleteStep', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    dossier.play(dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'not-approved', note: 'Thiếu xác nhận' }), '2026-03-04T09:00:00');
    expect(dossier.received.steps.filter((step) => step.status === 'active')).toEqual([]);
    expect(dossier.refused(dossier.command('SendStepBack', taxOfficer, { stepId: 'land-registration', reason: 'x' }), '2026-03-04T10:00:00')).toBe('STEP_NOT_IN_HAND');
    const events = dossier.play(dossier.command('SendStepBack', landOfficer, { stepId: 'land-registration', reason: 'Cần xác nhận lại nguồn gốc đất' }), '2026-03-04T10:00:00');
    expect(events).toMatchObject([{ type: 'StepStarted', data: { stepId: 'commune-verification', run: 2, fromAgencyCode: LAND_OFFICE } }]);
  });

  it('steps in hand when the dossier ends are recorded as stopped, not completed', () => {
    const dossier = acceptedBusiness();
    dossier.play(dossier.command('RequestWithdrawal', reception, { reason: 'x' }), '2026-03-03T09:00:00');
    dossier.play(dossier.command('DecideWithdrawal', economyHead, { approved: true, reason: 'y' }), '2026-03-03T10:00:00');
    expect(dossier.received.steps.map((step) => step.status)).toEqual(['stopped']);
  });

  it('resuming the clock keeps the alerts already raised, so due-soon is not raised twice', () => {
    const dossier = DossierScenario.received('1.001776');
    dossier.play(dossier.command('AcceptDossier', reception, { components: completeComponents('1.001776'), pinned: pinned('1.001776') }), '2026-03-02T09:00:00');
    dossier.play(dossier.command('MarkDeadline', system, { scope: { kind: 'dossier' }, alert: 'due-soon' }), '2026-03-20T09:00:00');
    const socialOfficer = actor('officer', '000.04.01.H99');
    dossier.play(dossier.command('RequestFinancialObligation', socialOfficer, { stepId: 'social-review', noticeNumber: 'TB-2', amountVnd: 50_000 }), '2026-03-20T10:00:00');
    dossier.play(dossier.command('RecordPayment', reception, { amountVnd: 50_000, method: 'counter', receiptNumber: 'BL-2' }), '2026-03-24T10:00:00');
    expect(dossier.received.alerts).toEqual(['due-soon']);
    expect(dossier.refused(dossier.command('MarkDeadline', system, { scope: { kind: 'dossier' }, alert: 'due-soon' }), '2026-03-24T10:00:00')).toBe('ALERT_NOT_DUE');
  });
});
