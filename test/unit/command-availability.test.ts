// The actions a caller may take now, given/when/then: given the dossier's events, when a person of
// a role at an agency asks, then the commands offered (with the steps or consultations they name)
// and those of their role refused, with the decider's code. Times are Vietnam local; 2 March 2026
// is a Monday.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/dossier/actor.js';
import { availableCommands, type CommandAvailability } from '../../domain/dossier/command-availability.js';
import { AFTER_CLOSING, decideDossier } from '../../domain/dossier/decide.js';
import { instant } from '../support/decider-spec.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, ECONOMY, LAND_OFFICE, LAND_PROCEDURE, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { DossierHistory } from '../support/dossier-history.js';

const reception = actor('reception', CENTRE);
const centreHead = actor('head', CENTRE);
const economyOfficer = actor('officer', ECONOMY);
const landOfficer = actor('officer', LAND_OFFICE);
const landHead = actor('head', LAND_OFFICE);
const taxOfficer = actor('officer', TAX_OFFICE);
const auditor = actor('auditor', CENTRE);

/** What `who` is offered and refused on the dossier of `history` at `local`. */
function actions(history: DossierHistory, who: Actor, local: string) {
  const availability: CommandAvailability = availableCommands(history.state, who, { now: instant(local) });
  return {
    availability,
    offered: Object.fromEntries(availability.available.map(({ type, steps, consultations }) => [type, steps ?? consultations ?? true])),
    refused: Object.fromEntries(availability.unavailable.map(({ type, refusal }) => [type, refusal.code])),
  };
}

/** A land-use certificate accepted at 09:00 on Monday 2 March: the commune's economic office holds it. */
const acceptedLand = () => DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00');

/** The same, with the commune done: the land office holds it. */
const atTheLandOffice = () => acceptedLand().stepCompleted('commune-verification', '2026-03-04T10:00:00').stageStarted(1, '2026-03-04T10:00:00', ECONOMY);

describe('reception', () => {
  it('is offered accept, a supplement at reception and a refusal on a dossier just received', () => {
    const { offered } = actions(DossierHistory.received(BUSINESS_PROCEDURE), reception, '2026-03-02T08:45:00');
    expect(offered).toMatchObject({ AcceptDossier: true, RequestSupplementAtReception: true, RefuseAtReception: true });
    expect(offered).not.toHaveProperty('ProvideSupplement');
  });

  it('asks for a supplement at reception once: after that, accept or refuse', () => {
    const history = DossierHistory.received(BUSINESS_PROCEDURE)
      .supplementRequestedAtReception('2026-03-02T08:40:00', [{ componentId: 'application', description: 'Đơn', reason: 'Thiếu chữ ký' }])
      .supplementProvided('2026-03-03T08:00:00');
    const { offered, refused } = actions(history, reception, '2026-03-03T08:05:00');
    expect(offered).toMatchObject({ AcceptDossier: true, RefuseAtReception: true });
    expect(refused).toMatchObject({ RequestSupplementAtReception: 'SUPPLEMENT_ALREADY_REQUESTED' });
  });

  it('while the applicant is asked for the missing papers, is offered to record the supplement, not to accept', () => {
    const history = DossierHistory.received(BUSINESS_PROCEDURE).supplementRequestedAtReception('2026-03-02T08:40:00', [{ componentId: 'application', description: 'Đơn', reason: 'Thiếu chữ ký' }]);
    const { offered, refused } = actions(history, reception, '2026-03-02T09:00:00');
    expect(offered).toMatchObject({ ProvideSupplement: true });
    expect(refused).toMatchObject({ AcceptDossier: 'COMMAND_OUT_OF_ORDER' });
  });

  it("another centre's reception is refused as not the receiving centre", () => {
    const { offered, refused } = actions(DossierHistory.received(BUSINESS_PROCEDURE), actor('reception', '000.01.02.H99'), '2026-03-02T08:45:00');
    expect(offered).not.toHaveProperty('AcceptDossier');
    expect(refused).toMatchObject({ AcceptDossier: 'NOT_THE_RECEIVING_CENTRE' });
  });

  it('once accepted, no longer accepts; it may record a payment or a withdrawal request', () => {
    const { offered, refused } = actions(acceptedLand(), reception, '2026-03-02T09:30:00');
    expect(refused).toMatchObject({ AcceptDossier: 'COMMAND_OUT_OF_ORDER', ReturnResult: 'COMMAND_OUT_OF_ORDER' });
    expect(offered).toMatchObject({ RecordPayment: true, RequestWithdrawal: true });
    // A step command is not reception's at all: neither offered nor explained.
    expect(offered).not.toHaveProperty('CompleteStep');
    expect(refused).not.toHaveProperty('CompleteStep');
  });
});

describe('the specialist offices', () => {
  it('the land office officer is offered complete-step on its step only once the route reaches it', () => {
    const before = actions(acceptedLand(), landOfficer, '2026-03-02T09:30:00');
    expect(before.offered).not.toHaveProperty('CompleteStep');
    expect(before.refused).toMatchObject({ CompleteStep: 'AGENCY_DOES_NOT_HOLD_STEP' });
    expect(before.availability.unavailable.find((entry) => entry.type === 'CompleteStep')?.refusal.message).toMatch(/commune-verification is held by 000\.03\.01\.H99/);

    const after = actions(atTheLandOffice(), landOfficer, '2026-03-04T10:30:00');
    expect(after.offered).toMatchObject({ CompleteStep: ['land-registration'], SendStepBack: ['land-registration'], ConsultBody: ['land-registration'], RequestSupplement: ['land-registration'], RequestFinancialObligation: ['land-registration'] });
    // The commune's office no longer holds anything.
    expect(actions(atTheLandOffice(), economyOfficer, '2026-03-04T10:30:00').refused).toMatchObject({ CompleteStep: 'AGENCY_DOES_NOT_HOLD_STEP' });
  });

  it('a step on the first stage cannot be sent back: there is no earlier step', () => {
    const { offered, refused } = actions(acceptedLand(), economyOfficer, '2026-03-02T09:30:00');
    expect(offered).toMatchObject({ CompleteStep: ['commune-verification'] });
    expect(refused).toMatchObject({ SendStepBack: 'NO_PREVIOUS_STAGE' });
  });

  it('a supplement may be asked only within three working days of the step receiving the dossier', () => {
    const { refused, offered } = actions(atTheLandOffice(), landOfficer, '2026-03-10T10:30:00');
    expect(refused).toMatchObject({ RequestSupplement: 'SUPPLEMENT_REQUEST_TOO_LATE' });
    expect(offered).toMatchObject({ CompleteStep: ['land-registration'] });
  });

  it('a reply is offered on the open consultation to the consulted body, and refused once answered', () => {
    const asked = atTheLandOffice().consultationRequested('land-registration', 'tax-code', TAX_OFFICE, instant('2026-03-06T17:00:00'), '2026-03-04T11:00:00');
    expect(actions(asked, taxOfficer, '2026-03-05T09:00:00').offered).toMatchObject({ RecordConsultationReply: ['tax-code'] });
    expect(actions(asked, economyOfficer, '2026-03-05T09:00:00').refused).toMatchObject({ RecordConsultationReply: 'AGENCY_DOES_NOT_HOLD_STEP' });
    const answered = asked.consultationAnswered('tax-code', 'Thống nhất', '2026-03-05T09:30:00');
    expect(actions(answered, taxOfficer, '2026-03-05T10:00:00').refused).toMatchObject({ RecordConsultationReply: 'CONSULTATION_ALREADY_ANSWERED' });
  });

  it('only the head of the agency holding a step is offered to assign it', () => {
    expect(actions(atTheLandOffice(), landHead, '2026-03-04T10:30:00').offered).toMatchObject({ AssignHandler: ['land-registration'] });
    expect(actions(atTheLandOffice(), landOfficer, '2026-03-04T10:30:00').offered).not.toHaveProperty('AssignHandler');
  });
});

describe('heads', () => {
  it('the competent head is offered issue-result once every step is done and approved, not before', () => {
    const business = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');
    const economyHead = actor('head', ECONOMY);
    expect(actions(business, economyHead, '2026-03-02T10:00:00').refused).toMatchObject({ IssueResult: 'STEPS_NOT_COMPLETED' });
    const done = business.stepCompleted('business-registration', '2026-03-03T10:00:00');
    expect(actions(done, economyHead, '2026-03-03T10:30:00').offered).toMatchObject({ IssueResult: true, RefuseToResolve: true });
    expect(actions(done, centreHead, '2026-03-03T10:30:00').refused).toMatchObject({ IssueResult: 'NOT_THE_COMPETENT_AGENCY' });
  });

  it('the apology with a new appointment only before the due date; the apology for lateness only after it', () => {
    const business = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');
    const economyHead = actor('head', ECONOMY);
    const early = actions(business, economyHead, '2026-03-03T09:00:00');
    expect(early.offered).toMatchObject({ IssueApology: true });
    expect(early.refused).toMatchObject({ IssueLatenessApology: 'DOSSIER_NOT_LATE' });
    // Due Thursday 5 March at 09:00; on Friday it is overdue.
    const late = actions(business, economyHead, '2026-03-06T09:00:00');
    expect(late.refused).toMatchObject({ IssueApology: 'EXTENSION_TOO_LATE' });
    expect(late.offered).toMatchObject({ IssueLatenessApology: true });
  });
});

describe('auditors and closed dossiers', () => {
  it('an auditor is offered nothing and told of nothing: no command is theirs', () => {
    for (const history of [DossierHistory.received(BUSINESS_PROCEDURE), atTheLandOffice()]) {
      expect(actions(history, auditor, '2026-03-04T11:00:00').availability).toEqual({ available: [], unavailable: [] });
    }
  });

  it('a closed dossier offers only what a closed dossier still takes', () => {
    const returned = DossierHistory.received(BUSINESS_PROCEDURE)
      .accepted('2026-03-02T09:00:00')
      .stepCompleted('business-registration', '2026-03-03T10:00:00')
      .resultIssued('2026-03-03T11:00:00', '12/GCN')
      .resultReturned('2026-03-04T09:00:00', 'counter', true);
    for (const who of [reception, centreHead, actor('head', ECONOMY), economyOfficer]) {
      const { availability } = actions(returned, who, '2026-03-04T10:00:00');
      for (const { type } of availability.available) expect(AFTER_CLOSING.has(type), `${type} offered to ${who.role}@${who.agencyCode}`).toBe(true);
      for (const { type, refusal } of availability.unavailable) if (!AFTER_CLOSING.has(type)) expect(refusal.code).toBe('DOSSIER_CLOSED');
    }
    expect(actions(returned, reception, '2026-03-04T10:00:00').offered).toEqual({ RecordEvaluation: true });
  });

  it('the refusal listed is the one the decider gives, message and rule included', () => {
    const history = acceptedLand();
    const { availability } = actions(history, landOfficer, '2026-03-02T09:30:00');
    const listed = availability.unavailable.find((entry) => entry.type === 'CompleteStep')!;
    const decision = decideDossier(history.state, history.command('CompleteStep', landOfficer, { stepId: listed.stepId!, outcome: 'approved' }), { now: instant('2026-03-02T09:30:00') });
    expect(decision).toEqual({ ok: false, error: listed.refusal });
  });
});

describe('a payment after a refusal during a financial obligation', () => {
  // Found by the property test (command-availability.properties.test.ts): the payment "resumed" the
  // clock of a decided dossier, and reading that clock threw.
  it('is recorded without reopening the dossier or resuming its clock', () => {
    const history = atTheLandOffice()
      .financialObligationRequested('land-registration', '2026-03-05T09:00:00', '125/TB-CCT', 12_500_000)
      .resolutionRefused('2026-03-05T10:00:00', ['Không đủ điều kiện'], 'Luật Đất đai 2024');
    expect(actions(history, reception, '2026-03-05T11:00:00').offered).toMatchObject({ RecordPayment: true });
    const decision = decideDossier(
      history.state,
      history.command('RecordPayment', reception, { amountVnd: 12_500_000, method: 'counter', receiptNumber: 'BL-1' }),
      { now: instant('2026-03-05T11:00:00') },
    );
    expect(decision).toMatchObject({ ok: true, events: [{ type: 'PaymentRecorded', data: { resumedClock: false, due: null } }] });
  });
});

describe('the evaluation of a closed dossier', () => {
  const returned = () =>
    DossierHistory.received(BUSINESS_PROCEDURE)
      .accepted('2026-03-02T09:00:00')
      .stepCompleted('business-registration', '2026-03-03T10:00:00')
      .resultIssued('2026-03-03T11:00:00', '12/GCN')
      .resultReturned('2026-03-04T09:00:00', 'counter', true);

  it('is offered for 30 days after closing, then refused as the dossier closed, by the decider too', () => {
    expect(actions(returned(), reception, '2026-04-02T09:00:00').offered).toEqual({ RecordEvaluation: true });
    const late = actions(returned(), reception, '2026-04-03T09:00:00');
    expect(late.offered).toEqual({});
    expect(late.refused).toMatchObject({ RecordEvaluation: 'DOSSIER_CLOSED' });
    const history = returned();
    const decision = decideDossier(history.state, history.command('RecordEvaluation', reception, { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-0001' }), { now: instant('2026-04-03T09:00:00') });
    expect(decision).toMatchObject({ ok: false, error: { code: 'DOSSIER_CLOSED', message: expect.stringMatching(/30 days/) } });
  });
});
