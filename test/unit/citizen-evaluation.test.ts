// The applicant's evaluation (docs/rules.md#one-evaluation): the citizen's own, online, once the
// dossier is finished and within 30 days; staff enter only paper forms, with their reference.
// Times are Vietnam local; 2 March 2026 is a Monday.
import { describe, expect, it } from 'vitest';
import { availableCommands } from '../../domain/dossier/command-availability.js';
import { eventLabel } from '../../domain/dossier/event-labels.js';
import { deciderSpec, instant } from '../support/decider-spec.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, ECONOMY } from '../support/dossier-fixtures.js';
import { DossierHistory } from '../support/dossier-history.js';

const reception = actor('reception', CENTRE);
const centreHead = actor('head', CENTRE);
const economyOfficer = actor('officer', ECONOMY);

const given = (history: DossierHistory) => deciderSpec(history.dossierCode).given(...history.events);

const accepted = () => DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');
const returned = () =>
  accepted()
    .stepCompleted('business-registration', '2026-03-03T10:00:00')
    .resultIssued('2026-03-03T11:00:00', '12/GCN')
    .resultReturned('2026-03-04T09:00:00', 'counter', true);

const citizenOf = (history: DossierHistory, agencyCode = CENTRE) => actor('citizen', agencyCode, `citizen:${history.dossierCode}`);
const online = { rating: 'very-satisfied', comment: 'Cán bộ hướng dẫn tận tình', source: 'online' } as const;
const paper = { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-2026/0042' } as const;

describe("the citizen's own evaluation", () => {
  it('is recorded online once the result is returned, with its source', () => {
    const dossier = returned();
    given(dossier)
      .when(dossier.command('RecordEvaluation', citizenOf(dossier), online), '2026-03-04T15:00:00')
      .thenMatches([{ type: 'EvaluationRecorded', data: { rating: 'very-satisfied', comment: online.comment, source: 'online' } }]);
  });

  it('is refused before the dossier is finished, and offered once it is', () => {
    const dossier = accepted();
    given(dossier).when(dossier.command('RecordEvaluation', citizenOf(dossier), online), '2026-03-02T10:00:00').thenRefused('EVALUATION_NOT_OPEN', { message: expect.stringMatching(/in-processing/) });
    expect(availableCommands(dossier.state, reception, { now: instant('2026-03-02T10:00:00') }).unavailable.find((entry) => entry.type === 'RecordEvaluation')?.refusal.code).toBe('EVALUATION_NOT_OPEN');
    const resolved = dossier.stepCompleted('business-registration', '2026-03-03T10:00:00').resultIssued('2026-03-03T11:00:00', '12/GCN');
    // Result ready (status 9) but not yet handed over: still not finished.
    given(resolved).when(resolved.command('RecordEvaluation', citizenOf(resolved), online), '2026-03-03T12:00:00').thenRefused('EVALUATION_NOT_OPEN');
  });

  it('is open after a refusal at reception too (the dossier is finished)', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).refusedAtReception('2026-03-02T09:00:00', ['Không thuộc thẩm quyền'], 'Nghị định 61/2018/NĐ-CP');
    given(dossier).when(dossier.command('RecordEvaluation', citizenOf(dossier), { rating: 'not-satisfied', source: 'online' }), '2026-03-02T10:00:00').thenMatches([{ type: 'EvaluationRecorded', data: { source: 'online' } }]);
  });

  it('once per dossier, whoever recorded the first', () => {
    const dossier = returned().evaluationRecorded('2026-03-04T10:00:00', 'satisfied');
    given(dossier).when(dossier.command('RecordEvaluation', citizenOf(dossier), online), '2026-03-04T15:00:00').thenRefused('EVALUATION_ALREADY_RECORDED');
    given(dossier).when(dossier.command('RecordEvaluation', reception, paper), '2026-03-04T15:00:00').thenRefused('EVALUATION_ALREADY_RECORDED');
  });

  it('within 30 days of closing: the last moment is taken, the next refused', () => {
    const dossier = returned();
    given(dossier).when(dossier.command('RecordEvaluation', citizenOf(dossier), online), '2026-04-03T08:59:59').thenMatches([{ type: 'EvaluationRecorded' }]);
    given(dossier).when(dossier.command('RecordEvaluation', citizenOf(dossier), online), '2026-04-03T09:00:00').thenRefused('DOSSIER_CLOSED', { message: expect.stringMatching(/30 days/) });
  });

  it('comes from the centre that received the dossier (the public route names it)', () => {
    const dossier = returned();
    given(dossier).when(dossier.command('RecordEvaluation', citizenOf(dossier, ECONOMY), online), '2026-03-04T15:00:00').thenRefused('NOT_THE_RECEIVING_CENTRE');
  });

  it('a citizen cannot pass an evaluation off as a paper form', () => {
    const dossier = returned();
    given(dossier).when(dossier.command('RecordEvaluation', citizenOf(dossier), paper), '2026-03-04T15:00:00').thenRefused('PAPER_FORM_BY_STAFF_ONLY', { field: 'source' });
    given(dossier)
      .when(dossier.command('RecordEvaluation', citizenOf(dossier), { ...online, paperFormReference: 'PĐG-1' }), '2026-03-04T15:00:00')
      .thenRefused('PAPER_FORM_BY_STAFF_ONLY', { field: 'paperFormReference' });
  });
});

describe('paper evaluation forms entered by staff', () => {
  it('reception or a head of the centre enters a paper form with its reference', () => {
    const dossier = returned();
    for (const who of [reception, centreHead]) {
      given(dossier)
        .when(dossier.command('RecordEvaluation', who, paper), '2026-03-04T15:00:00')
        .thenMatches([{ type: 'EvaluationRecorded', data: { rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-2026/0042' } }]);
    }
  });

  it('staff cannot evaluate online on the applicant’s behalf', () => {
    const dossier = returned();
    given(dossier).when(dossier.command('RecordEvaluation', reception, online), '2026-03-04T15:00:00').thenRefused('EVALUATION_BY_CITIZEN_ONLY', { field: 'source', message: expect.stringMatching(/POST \/lookup\/\{code\}\/evaluation/) });
  });

  it('a paper form without its reference is refused, naming the field', () => {
    const dossier = returned();
    given(dossier).when(dossier.command('RecordEvaluation', reception, { rating: 'satisfied', source: 'paper-form' }), '2026-03-04T15:00:00').thenRefused('PAPER_FORM_REFERENCE_REQUIRED', { field: 'paperFormReference' });
  });

  it('other roles may not enter it at all', () => {
    const dossier = returned();
    given(dossier).when(dossier.command('RecordEvaluation', economyOfficer, paper), '2026-03-04T15:00:00').thenRefused('ROLE_NOT_ALLOWED');
  });
});

describe('an evaluation recorded before evaluations carried their source', () => {
  // Its workflow history replays today (test/fixtures/histories/*accepted-returned-evaluated.json):
  // the command has no source and decides as it did then, so the replay stays deterministic.
  it('decides as it did then: staff, any status, the event without a source', () => {
    const dossier = accepted();
    const legacy = { ...dossier.command('RecordEvaluation', reception, { rating: 'satisfied', source: 'paper-form', paperFormReference: 'x' }) } as Record<string, unknown>;
    delete legacy.source;
    delete legacy.paperFormReference;
    const events = given(dossier).when(legacy as never, '2026-03-02T10:00:00').thenMatches([{ type: 'EvaluationRecorded', data: { rating: 'satisfied' } }]);
    expect(events.events[0]!.data).not.toHaveProperty('source');
    given(dossier).when({ ...legacy, actor: economyOfficer } as never, '2026-03-02T10:00:00').thenRefused('ROLE_NOT_ALLOWED');
  });
});

describe("the evaluation in a dossier's history", () => {
  it('says whose it was: the applicant online, a paper form with its number, or staff before sources', () => {
    const at = '2026-03-04T08:00:00.000Z';
    expect(eventLabel({ type: 'EvaluationRecorded', schemaVersion: 1, data: { at, rating: 'satisfied', source: 'online' } })).toEqual({ en: 'Evaluated online by the applicant: satisfied', vi: 'Người dân đánh giá trực tuyến: hài lòng' });
    expect(eventLabel({ type: 'EvaluationRecorded', schemaVersion: 1, data: { at, rating: 'not-satisfied', source: 'paper-form', paperFormReference: 'PĐG-7' } }).vi).toBe('Nhập phiếu đánh giá giấy số PĐG-7: không hài lòng');
    expect(eventLabel({ type: 'EvaluationRecorded', schemaVersion: 1, data: { at, rating: 'very-satisfied' } })).toEqual({ en: 'Evaluation recorded: very-satisfied', vi: 'Đánh giá: rất hài lòng' });
  });
});
