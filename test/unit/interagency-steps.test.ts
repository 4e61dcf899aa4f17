// Steps carried out in another agency's own system (docs/rules.md#steps-carried-out-by-another-agencys-system),
// given/when/then: a system's answers act as the officer's commands of the step's body, for the
// steps and runs handed to it only; the tax authority's notice and receipt pause and resume the
// clock; the fields only a system's answer carries are refused from staff; the alerts of a step a
// system holds land on the receiving centre, whose queue follows it up; the result carries the
// registrations the civil-status system recorded; form 06 names the system with its times.
// The sample's 2026.2 versions (in force from 1 December 2026) name the systems; 7 December 2026 is a Monday.
import { describe, expect, it } from 'vitest';
import { readModelsOf } from '../../db/projections/dossier-read-models.js';
import { dossierDocument } from '../../domain/documents/dossier-documents.js';
import { availableCommands, PERSON_COMMANDS } from '../../domain/dossier/command-availability.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { DossierCommand } from '../../domain/dossier/commands.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import { eventLabel } from '../../domain/dossier/event-labels.js';
import { interagencyUserId, type InteragencySystem } from '../../domain/interagency/systems.js';
import { deciderSpec, instant } from '../support/decider-spec.js';
import { actor, CENTRE, ECONOMY, JUSTICE, LAND_OFFICE, LAND_PROCEDURE, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { DossierHistory, stored } from '../support/dossier-history.js';
import { verifiedResult } from '../support/result-fields.js';

const BIRTH_PROCEDURE = '1.001193';
const IN_FORCE = '2026-12-07';

/** The actor of a system's answers: its user id, the `interagency` role, the step's agency. */
const systemActor = (system: InteragencySystem, agencyCode: string): Actor => ({ userId: interagencyUserId(system), role: 'interagency', agencyCode });
const landSystem = systemActor('land-registry', LAND_OFFICE);
const taxSystem = systemActor('tax', TAX_OFFICE);
const civilStatusSystem = systemActor('civil-status', JUSTICE);
const reception = actor('reception', CENTRE);
const economyOfficer = actor('officer', ECONOMY);
const landOfficer = actor('officer', LAND_OFFICE);

const given = (history: DossierHistory) => deciderSpec(history.dossierCode).given(...history.events);

/** Decides a command on the history and records what it caused, as the workflow would. */
function play(history: DossierHistory, command: DossierCommand, local: string): DossierHistory {
  const decision = decideDossier(history.state, command, { now: instant(local) });
  if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.code}: ${decision.error.message}`);
  history.events.push(...decision.events);
  return history;
}

const file = (tag: string) => ({ sha256: tag.repeat(64), size: 20_480, mediaType: 'application/pdf' as const, pages: 1, name: `${tag}.pdf` });

/** A first land registration of version 2026.2, its commune step done: the land registry system holds land-registration (run 1). */
function landAtTheLandRegistry(): DossierHistory {
  const dossier = DossierHistory.received(LAND_PROCEDURE, '2026-12-07T08:30:00').accepted('2026-12-07T09:00:00', IN_FORCE);
  return play(dossier, dossier.command('CompleteStep', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }), '2026-12-08T09:00:00');
}

/** …then the land registry completed its step: the tax system holds tax-assessment. */
function landAtTheTaxAuthority(): DossierHistory {
  const dossier = landAtTheLandRegistry();
  return play(dossier, dossier.command('CompleteStep', landSystem, { stepId: 'land-registration', outcome: 'approved', run: 1 }), '2026-12-10T09:00:00');
}


describe("a system's answers act as the officer's commands of its step", () => {
  it('the 2026.2 route hands land-registration to the land registry system, which completes it with its result file', () => {
    const dossier = landAtTheLandRegistry();
    expect(dossier.state.steps.find((step) => step.stepId === 'land-registration')).toMatchObject({ status: 'active', system: 'land-registry', agencyCode: LAND_OFFICE });
    const completed = given(dossier)
      .when(dossier.command('CompleteStep', landSystem, { stepId: 'land-registration', outcome: 'approved', run: 1, resultFile: file('a') }), '2026-12-10T09:00:00')
      .thenMatches([
        { type: 'StepCompleted', data: { stepId: 'land-registration', outcome: 'approved', resultFile: file('a'), answeredBy: 'land-registry', mark: 'early' } },
        { type: 'StepStarted', data: { stepId: 'tax-assessment', agencyCode: TAX_OFFICE, fromAgencyCode: LAND_OFFICE, system: 'tax' } },
      ]);
    expect(completed.received.steps.find((step) => step.stepId === 'land-registration')).toMatchObject({ resultFile: file('a'), answeredAt: instant('2026-12-10T09:00:00') });
  });

  it("refuses a system's answer on a step it does not carry out, or one the officers do in the engine", () => {
    const dossier = landAtTheLandRegistry();
    given(dossier)
      .when(dossier.command('CompleteStep', systemActor('tax', LAND_OFFICE), { stepId: 'land-registration', outcome: 'approved' }), '2026-12-10T09:00:00')
      .thenRefused('SYSTEM_DOES_NOT_HOLD_STEP', { field: 'stepId', message: expect.stringContaining('carried out by the land-registry system') });
    given(dossier)
      .when(dossier.command('SendStepBack', systemActor('civil-status', LAND_OFFICE), { stepId: 'land-registration', reason: 'Sai hệ thống', run: 1 }), '2026-12-10T09:00:00')
      .thenRefused('SYSTEM_DOES_NOT_HOLD_STEP');
    const atCommune = DossierHistory.received(LAND_PROCEDURE, '2026-12-07T08:30:00').accepted('2026-12-07T09:00:00', IN_FORCE);
    given(atCommune)
      .when(atCommune.command('CompleteStep', systemActor('land-registry', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-12-08T09:00:00')
      .thenRefused('SYSTEM_DOES_NOT_HOLD_STEP', { message: expect.stringContaining("done by its body's officers in the engine") });
  });

  it("still lets the body's officers act on a step a system holds (the system out of service)", () => {
    const dossier = landAtTheLandRegistry();
    given(dossier)
      .when(dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'approved' }), '2026-12-10T09:00:00')
      .thenMatches([{ type: 'StepCompleted', data: { stepId: 'land-registration', outcome: 'approved' } }, { type: 'StepStarted', data: { stepId: 'tax-assessment' } }]);
    const decision = decideDossier(dossier.state, dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'approved' }), { now: instant('2026-12-10T09:00:00') });
    expect(decision.ok && decision.events[0]!.type === 'StepCompleted' && 'answeredBy' in decision.events[0]!.data).toBe(false);
  });
});

describe('what people are offered', () => {
  it("never offers the interagency-only commands, and still offers the body's officers the step a system holds", () => {
    const interagencyOnly = Object.entries(COMMAND_ROLES).filter(([, roles]) => roles.every((role) => role === 'interagency')).map(([type]) => type);
    expect(interagencyOnly).toEqual(['RecordStepHandOff', 'ReportExternalProgress']);
    expect(PERSON_COMMANDS.filter((type) => interagencyOnly.includes(type))).toEqual([]);
    const dossier = landAtTheLandRegistry();
    const offered = availableCommands(dossier.state, landOfficer, { now: instant('2026-12-09T09:00:00') });
    expect(offered.available).toEqual(expect.arrayContaining([{ type: 'CompleteStep', steps: ['land-registration'] }]));
    expect([...offered.available, ...offered.unavailable].map((command) => command.type)).not.toContain('RecordStepHandOff');
  });
});

describe('the hand-off, once per run', () => {
  it('records the hand-off once per run, even after the system already answered, and never for a run it was not handed', () => {
    const dossier = landAtTheLandRegistry();
    const handOff = (run: number, system: InteragencySystem = 'land-registry') => dossier.command('RecordStepHandOff', systemActor(system, LAND_OFFICE), { stepId: 'land-registration', run, system, reference: 'LIS-2026-0042' });
    // The answer came first: the step is completed when the outbox records its delivery.
    play(dossier, dossier.command('CompleteStep', landSystem, { stepId: 'land-registration', outcome: 'approved', run: 1 }), '2026-12-10T09:00:00');
    const handed = given(dossier)
      .when(handOff(1), '2026-12-10T09:00:05')
      .then([{ type: 'StepHandedOff', schemaVersion: 1, data: { at: instant('2026-12-10T09:00:05'), stepId: 'land-registration', run: 1, system: 'land-registry', reference: 'LIS-2026-0042' } }]);
    expect(handed.received.steps.find((step) => step.stepId === 'land-registration')).toMatchObject({ handedOffAt: instant('2026-12-10T09:00:05'), externalReference: 'LIS-2026-0042' });
    play(dossier, handOff(1), '2026-12-10T09:00:05');
    given(dossier).when(handOff(1), '2026-12-10T09:10:00').then([]);
    given(dossier).when(handOff(2), '2026-12-10T09:10:00').thenRefused('STEP_NOT_HANDED_TO_SYSTEM', { field: 'stepId' });
    given(dossier).when(handOff(1, 'tax'), '2026-12-10T09:10:00').thenRefused('STEP_NOT_HANDED_TO_SYSTEM');
  });
});

describe('the hand-off of a dossier that closed', () => {
  it('is still recorded when the outbox delivered it just before a withdrawal stopped the dossier', () => {
    const dossier = landAtTheLandRegistry();
    play(dossier, dossier.command('RequestWithdrawal', reception, { reason: 'Công dân không còn nhu cầu' }), '2026-12-08T10:00:00');
    play(dossier, dossier.command('DecideWithdrawal', actor('head', LAND_OFFICE), { approved: true, reason: 'Đồng ý dừng giải quyết' }), '2026-12-08T11:00:00');
    expect(dossier.state.status).toBe('stopped');
    given(dossier)
      .when(dossier.command('RecordStepHandOff', landSystem, { stepId: 'land-registration', run: 1, system: 'land-registry' }), '2026-12-08T11:00:05')
      .thenMatches([{ type: 'StepHandedOff', data: { stepId: 'land-registration', run: 1 } }]);
    given(dossier)
      .when(dossier.command('ReportExternalProgress', landSystem, { stepId: 'land-registration', run: 1, status: 'Đã nhận', reportedAt: '2026-12-08T11:00:00+07:00' }), '2026-12-08T11:00:05')
      .thenRefused('DOSSIER_CLOSED');
  });
});

describe('a run that ended', () => {
  /** The land registry sent the dossier back: the commune redid its step, and land-registration is in run 2. */
  function inRunTwo(): DossierHistory {
    const dossier = landAtTheLandRegistry();
    play(dossier, dossier.command('SendStepBack', landSystem, { stepId: 'land-registration', reason: 'Sơ đồ thửa đất không khớp hiện trạng', run: 1 }), '2026-12-09T09:00:00');
    return play(dossier, dossier.command('CompleteStep', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }), '2026-12-10T09:00:00');
  }

  it("a system's send-back is recorded as its answer on the step it named", () => {
    const dossier = landAtTheLandRegistry();
    given(dossier)
      .when(dossier.command('SendStepBack', landSystem, { stepId: 'land-registration', reason: 'Sơ đồ thửa đất không khớp hiện trạng', run: 1 }), '2026-12-09T09:00:00')
      .thenMatches([
        { type: 'StepSentBack', data: { stepId: 'land-registration', answeredBy: 'land-registry' } },
        { type: 'StepStarted', data: { stepId: 'commune-verification', run: 2 } },
      ]);
  });

  it('refuses progress and answers for the ended run, and for a run never handed over', () => {
    const dossier = inRunTwo();
    expect(dossier.state.steps.filter((step) => step.stepId === 'land-registration').map((step) => [step.run, step.status])).toEqual([[1, 'sent-back'], [2, 'active']]);
    const progress = (run: number) => dossier.command('ReportExternalProgress', landSystem, { stepId: 'land-registration', run, status: 'Đang đo đạc', reportedAt: '2026-12-11T08:00:00+07:00' });
    given(dossier).when(progress(1), '2026-12-11T09:00:00').thenRefused('STEP_RUN_ENDED', { field: 'run', message: expect.stringContaining('now in run 2') });
    given(dossier)
      .when(dossier.command('CompleteStep', landSystem, { stepId: 'land-registration', outcome: 'approved', run: 1 }), '2026-12-11T09:00:00')
      .thenRefused('STEP_RUN_ENDED');
    given(dossier).when(progress(3), '2026-12-11T09:00:00').thenRefused('STEP_NOT_HANDED_TO_SYSTEM', { field: 'run' });
    const reported = given(dossier)
      .when(progress(2), '2026-12-11T09:00:00')
      .thenMatches([{ type: 'ExternalProgressReported', data: { stepId: 'land-registration', run: 2, system: 'land-registry', status: 'Đang đo đạc' } }]);
    expect(reported.received.steps.at(-1)).toMatchObject({ run: 2, progress: { status: 'Đang đo đạc', at: instant('2026-12-11T09:00:00') } });
  });

  it('refuses an answer for a run an officer already completed', () => {
    const dossier = landAtTheLandRegistry();
    play(dossier, dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'approved' }), '2026-12-10T09:00:00');
    given(dossier)
      .when(dossier.command('ReportExternalProgress', landSystem, { stepId: 'land-registration', run: 1, status: 'Đã ký', reportedAt: '2026-12-10T10:00:00+07:00' }), '2026-12-10T10:00:00')
      .thenRefused('STEP_RUN_ENDED', { message: expect.stringContaining('that run was completed') });
  });
});

describe("the tax authority's notice and receipt", () => {
  const notice = { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000, dueDate: '2026-12-21', noticeFile: file('b'), run: 1 };
  const receipt = { amountVnd: 12_500_000, method: 'online' as const, receiptNumber: 'CT-0001', receiptFile: file('c'), paidAt: '2026-12-14T15:20:00+07:00' };

  it('stops the clock on the notice and resumes it on the receipt for the same amount', () => {
    const dossier = landAtTheTaxAuthority();
    const noticed = given(dossier)
      .when(dossier.command('RequestFinancialObligation', taxSystem, notice), '2026-12-11T09:00:00')
      .thenMatches([{ type: 'FinancialObligationRequested', data: { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000, dueDate: '2026-12-21', noticeFile: file('b') } }]);
    expect(noticed.received).toMatchObject({ status: 'awaiting-financial-obligation', pendingObligation: { noticeNumber: '125/TB-CCT', dueDate: '2026-12-21' } });

    play(dossier, dossier.command('RequestFinancialObligation', taxSystem, notice), '2026-12-11T09:00:00');
    const paid = given(dossier)
      .when(dossier.command('RecordPayment', taxSystem, receipt), '2026-12-15T09:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { amountVnd: 12_500_000, receiptNumber: 'CT-0001', resumedClock: true, receiptFile: file('c'), paidAt: '2026-12-14T15:20:00+07:00' } }]);
    expect(paid.received.status).toBe('in-processing');
    expect(paid.received.steps.find((step) => step.stepId === 'tax-assessment')!.clock.map((entry) => entry.type)).toEqual(['started', 'paused', 'resumed']);
  });

  it('refuses a receipt of another amount, one from another system, and one with nothing pending', () => {
    const dossier = landAtTheTaxAuthority();
    given(dossier).when(dossier.command('RecordPayment', taxSystem, receipt), '2026-12-11T08:00:00').thenRefused('NO_OBLIGATION_PENDING');
    play(dossier, dossier.command('RequestFinancialObligation', taxSystem, notice), '2026-12-11T09:00:00');
    given(dossier)
      .when(dossier.command('RecordPayment', taxSystem, { ...receipt, amountVnd: 1_250_000 }), '2026-12-15T09:00:00')
      .thenRefused('PAYMENT_AMOUNT_MISMATCH', { field: 'amountVnd', message: expect.stringContaining('asks for 12500000 VND') });
    given(dossier).when(dossier.command('RecordPayment', systemActor('land-registry', TAX_OFFICE), receipt), '2026-12-15T09:00:00').thenRefused('SYSTEM_DOES_NOT_HOLD_STEP');
    // Staff record what the paper receipt says, as before.
    given(dossier)
      .when(dossier.command('RecordPayment', reception, { amountVnd: 1_250_000, method: 'counter', receiptNumber: 'BL-1' }), '2026-12-15T09:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: true } }]);
  });

  it("refuses the tax system's receipt for a notice its officers issued on a step the engine kept (version 2026.1)", () => {
    const dossier = DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00');
    play(dossier, dossier.command('CompleteStep', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    play(dossier, dossier.command('CompleteStep', landOfficer, { stepId: 'land-registration', outcome: 'approved' }), '2026-03-04T09:00:00');
    play(dossier, dossier.command('RequestFinancialObligation', actor('officer', TAX_OFFICE), { stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12_500_000 }), '2026-03-05T09:00:00');
    given(dossier).when(dossier.command('RecordPayment', taxSystem, receipt), '2026-03-06T09:00:00').thenRefused('SYSTEM_DOES_NOT_HOLD_STEP', { message: expect.stringContaining("by its body's officers") });
  });
});

describe('the fields only a system answer carries', () => {
  it.each([
    ['CompleteStep', 'resultFile', () => ({ stepId: 'land-registration', outcome: 'approved' as const, resultFile: file('a') })],
    ['CompleteStep', 'registration', () => ({ stepId: 'land-registration', outcome: 'approved' as const, registration: { system: 'land-registry' as const, number: '1' } })],
    ['CompleteStep', 'run', () => ({ stepId: 'land-registration', outcome: 'approved' as const, run: 1 })],
    ['SendStepBack', 'run', () => ({ stepId: 'land-registration', reason: 'Thiếu sơ đồ', run: 1 })],
  ] as const)('refuses %s with %s from an officer', (type, field, fields) => {
    const dossier = landAtTheLandRegistry();
    given(dossier)
      .when(dossier.command(type, landOfficer, fields() as never), '2026-12-10T09:00:00')
      .thenRefused('SYSTEM_ONLY_FIELD', { field });
  });

  it("refuses the notice's due date and file, and the receipt's file and payment time, from staff", () => {
    const dossier = landAtTheTaxAuthority();
    const taxOfficer = actor('officer', TAX_OFFICE);
    given(dossier)
      .when(dossier.command('RequestFinancialObligation', taxOfficer, { stepId: 'tax-assessment', noticeNumber: '1', amountVnd: 1, dueDate: '2026-12-21' }), '2026-12-11T09:00:00')
      .thenRefused('SYSTEM_ONLY_FIELD', { field: 'dueDate' });
    play(dossier, dossier.command('RequestFinancialObligation', taxOfficer, { stepId: 'tax-assessment', noticeNumber: '1', amountVnd: 1 }), '2026-12-11T09:00:00');
    given(dossier)
      .when(dossier.command('RecordPayment', reception, { amountVnd: 1, method: 'counter', receiptNumber: 'BL-1', paidAt: '2026-12-11T10:00:00+07:00' }), '2026-12-11T10:00:00')
      .thenRefused('SYSTEM_ONLY_FIELD', { field: 'paidAt' });
    given(dossier)
      .when(dossier.command('RecordPayment', reception, { amountVnd: 1, method: 'counter', receiptNumber: 'BL-1', receiptFile: file('c') }), '2026-12-11T10:00:00')
      .thenRefused('SYSTEM_ONLY_FIELD', { field: 'receiptFile' });
  });
});

describe("an external step's deadline", () => {
  const mark = (history: DossierHistory, stepId: string, alert: 'due-soon' | 'overdue') =>
    history.command('MarkDeadline', actor('system', CENTRE, 'legal-clock'), { scope: { kind: 'step', stepId }, alert });

  it("runs on the step's own budget and alerts the receiving centre, which follows the step up on its queue", () => {
    const dossier = landAtTheLandRegistry();
    // Not handed over yet (no system connected, or the delivery not through): its body's, as any step.
    given(dossier)
      .when(mark(dossier, 'land-registration', 'overdue'), '2026-12-18T09:01:00')
      .thenMatches([{ type: 'DeadlineAlerted', data: { alert: 'overdue', agencyCode: LAND_OFFICE } }]);
    expect(readModelsOf(dossier.dossierCode, stored(dossier))!.queue.map((row) => [row.item, row.held_by_system])).toEqual([['step:land-registration#1', null]]);

    play(dossier, dossier.command('RecordStepHandOff', landSystem, { stepId: 'land-registration', run: 1, system: 'land-registry' }), '2026-12-08T09:00:10');
    // Started Tuesday 8 December 09:00 with 8 working days: due Friday 18 December 09:00.
    given(dossier).when(mark(dossier, 'land-registration', 'overdue'), '2026-12-18T09:00:00').thenRefused('ALERT_NOT_DUE');
    given(dossier)
      .when(mark(dossier, 'land-registration', 'overdue'), '2026-12-18T09:01:00')
      .thenMatches([{ type: 'DeadlineAlerted', data: { scope: { kind: 'step', stepId: 'land-registration' }, alert: 'overdue', due: '2026-12-18T09:00:00+07:00', agencyCode: CENTRE } }]);

    play(dossier, mark(dossier, 'land-registration', 'overdue'), '2026-12-18T09:01:00');
    const queue = readModelsOf(dossier.dossierCode, stored(dossier))!.queue.map(({ item, agency_code, kind, overdue, held_by_system, due_at }) => ({ item, agency_code, kind, overdue, held_by_system, due_at: due_at && instant(due_at) }));
    expect(queue).toEqual([
      { item: 'step:land-registration#1', agency_code: LAND_OFFICE, kind: 'step', overdue: true, held_by_system: 'land-registry', due_at: instant('2026-12-18T09:00:00') },
      { item: 'follow-up:land-registration#1', agency_code: CENTRE, kind: 'follow-up', overdue: true, held_by_system: 'land-registry', due_at: instant('2026-12-18T09:00:00') },
    ]);
    expect(readModelsOf(dossier.dossierCode, stored(dossier))!.summary.held_by_systems).toEqual(['land-registry']);
  });

  it("alerts a step done in the engine to the step's own agency, as before", () => {
    const dossier = DossierHistory.received(LAND_PROCEDURE, '2026-12-07T08:30:00').accepted('2026-12-07T09:00:00', IN_FORCE);
    given(dossier)
      .when(mark(dossier, 'commune-verification', 'overdue'), '2026-12-14T09:01:00')
      .thenMatches([{ type: 'DeadlineAlerted', data: { alert: 'overdue', agencyCode: ECONOMY } }]);
    expect(readModelsOf(dossier.dossierCode, stored(dossier))!.queue.map((row) => [row.item, row.held_by_system])).toEqual([['step:commune-verification#1', null]]);
  });
});

describe('civil status: the registration the system recorded', () => {
  it('the result carries the registration of the completed step', () => {
    const dossier = DossierHistory.received(BIRTH_PROCEDURE, '2026-12-07T08:30:00').accepted('2026-12-07T09:00:00', IN_FORCE);
    expect(dossier.state.steps[0]).toMatchObject({ stepId: 'civil-status', system: 'civil-status', agencyCode: JUSTICE });
    const registration = { system: 'civil-status' as const, number: '125/2026', book: 'Sổ đăng ký khai sinh 01/2026' };
    play(dossier, dossier.command('CompleteStep', civilStatusSystem, { stepId: 'civil-status', outcome: 'approved', run: 1, registration }), '2026-12-07T10:00:00');
    expect(dossier.state.steps[0]).toMatchObject({ registration });
    expect(eventLabel(dossier.events.at(-1)!).vi).toMatch(/^Hoàn thành bước civil-status \(đạt\) trên Hệ thống thông tin đăng ký và quản lý hộ tịch, số đăng ký 125\/2026, /);
    const head = actor('head', JUSTICE);
    given(dossier)
      .when(dossier.command('IssueResult', head, verifiedResult('GKS 125', JUSTICE)), '2026-12-07T11:00:00')
      .thenMatches([{ type: 'ResultIssued', data: { registrations: [{ stepId: 'civil-status', ...registration }] } }]);
  });

  it('a result without registrations says none', () => {
    const dossier = DossierHistory.received(BIRTH_PROCEDURE, '2026-12-07T08:30:00').accepted('2026-12-07T09:00:00', IN_FORCE);
    play(dossier, dossier.command('CompleteStep', actor('officer', JUSTICE), { stepId: 'civil-status', outcome: 'approved' }), '2026-12-07T10:00:00');
    const decision = decideDossier(dossier.state, dossier.command('IssueResult', actor('head', JUSTICE), verifiedResult('GKS 125', JUSTICE)), { now: instant('2026-12-07T11:00:00') });
    expect(decision.ok && decision.events[0]!.type === 'ResultIssued' && 'registrations' in decision.events[0]!.data).toBe(false);
  });
});

describe('form 06 for a step carried out by a system', () => {
  it('names the system, when the step was handed over and when its answer came back', () => {
    const dossier = landAtTheLandRegistry();
    play(dossier, dossier.command('RecordStepHandOff', landSystem, { stepId: 'land-registration', run: 1, system: 'land-registry' }), '2026-12-08T09:00:30');
    play(dossier, dossier.command('CompleteStep', landSystem, { stepId: 'land-registration', outcome: 'approved', run: 1 }), '2026-12-10T14:15:00');
    const { model } = dossierDocument({ kind: 'form-06', documentId: `${dossier.dossierCode}/form-06/1`, forVersion: dossier.events.length }, dossier.events);
    const table = model.blocks.find((block) => block.kind === 'table');
    if (table?.kind !== 'table') throw new Error('form 06 has no table');
    const [commune, land, tax] = table.rows;
    expect(commune![0]).not.toContain('Thực hiện trên');
    expect(land![0]).toMatch(/\. Thực hiện trên Hệ thống thông tin đất đai$/);
    expect(land![1]).toMatch(/^09 giờ 00 phút, ngày 08\/12\/2026; chuyển sang hệ thống: 09 giờ 00 phút, ngày 08\/12\/2026; hệ thống trả kết quả: 14 giờ 15 phút, ngày 10\/12\/2026$/);
    // Not handed over yet: the tax step shows only when it reached its body.
    expect(tax![0]).not.toContain('Thực hiện trên');
    expect(tax![1]).toBe('14 giờ 15 phút, ngày 10/12/2026');
  });
});
