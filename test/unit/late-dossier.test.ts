// A late dossier, given/when/then: the apology with a new appointment (form 04) is for before the
// due date; once the appointment in force has passed the applicant gets the apology for lateness
// (a letter that never moves the due date), and the agency that held the dossier explains the delay
// to its head within the procedure's working days. Times are Vietnam local; 2 March 2026 is a
// Monday, and a business registration accepted at 09:00 that day is due at 09:00 on Thursday 5 March.
import { describe, expect, it } from 'vitest';
import { readDossierClock } from '../../domain/dossier/dossier-clock.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { deciderSpec } from '../support/decider-spec.js';
import { actor, at, BUSINESS_PROCEDURE, CENTRE, ECONOMY, LAND_OFFICE, LAND_PROCEDURE, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { DossierHistory } from '../support/dossier-history.js';
import { verifiedResult } from '../support/result-fields.js';

const reception = actor('reception', CENTRE);
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');
const economyHead = actor('head', ECONOMY, 'truongphong.cuong');
const landHead = actor('head', LAND_OFFICE);

const given = (history: DossierHistory) => deciderSpec(history.dossierCode).given(...history.events);
const acceptedBusiness = () => DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');
const DUE = at('2026-03-05T09:00:00');

/** The command; `null` for no new appointment. */
const lateApology = (dossier: DossierHistory, who = economyHead, newAppointment: string | null = at('2026-03-10T09:00:00')) =>
  dossier.command('IssueLatenessApology', who, { reason: 'Chờ ý kiến của cơ quan thuế', ...(newAppointment ? { newAppointment } : {}) });
const explanation = (dossier: DossierHistory, who = economyOfficer) => dossier.command('RecordLatenessExplanation', who, { reason: 'Chuyên viên thụ lý nghỉ ốm, không bàn giao hồ sơ' });

describe('the apology with a new appointment (form 04) is for before the due date', () => {
  it('on the due date or after it, the refusal tells the official to issue the apology for lateness instead', () => {
    const dossier = acceptedBusiness();
    const extend = () => dossier.command('IssueApology', economyHead, { reason: 'Chờ xác minh', newAppointment: at('2026-03-12T09:00:00') });
    const onTheDay = given(dossier).when(extend(), '2026-03-05T08:00:00').thenRefused('EXTENSION_TOO_LATE');
    expect(onTheDay.message).toMatch(/is today: issue the apology for lateness instead/);
    const after = given(dossier).when(extend(), '2026-03-06T08:00:00').thenRefused('EXTENSION_TOO_LATE');
    expect(after.message).toMatch(/has passed: issue the apology for lateness instead \(POST \/dossiers\/\{code\}\/issue-lateness-apology\)/);
  });
});

describe('the apology for lateness', () => {
  it('gives a new appointment the centre can keep: in its office hours on a working day, at most 6 months ahead', () => {
    const dossier = acceptedBusiness().deadlineAlerted('overdue', '2026-03-05T09:01:00');
    const outside = given(dossier).when(lateApology(dossier, economyHead, at('2026-03-10T03:00:00')), '2026-03-05T10:00:00').thenRefused('NEW_APPOINTMENT_OUTSIDE_OFFICE_HOURS', { field: 'newAppointment' });
    expect(outside.message).toContain('2026-03-10T07:30:00+07:00');
    // Saturday 7 March is no working day; the centre opens again on Monday 9 March.
    given(dossier).when(lateApology(dossier, economyHead, at('2026-03-07T09:00:00')), '2026-03-05T10:00:00').thenRefused('NEW_APPOINTMENT_OUTSIDE_OFFICE_HOURS');
    given(dossier).when(lateApology(dossier, economyHead, at('2026-03-10T17:00:00')), '2026-03-05T10:00:00').thenMatches([{ type: 'LatenessApologyIssued' }]);
    given(dossier).when(lateApology(dossier, economyHead, '9999-12-31T09:00:00+07:00'), '2026-03-05T10:00:00').thenRefused('NEW_APPOINTMENT_TOO_FAR', { field: 'newAppointment' });
    given(dossier).when(lateApology(dossier, economyHead, at('2026-09-07T09:00:00')), '2026-03-05T10:00:00').thenRefused('NEW_APPOINTMENT_TOO_FAR');
    given(dossier).when(lateApology(dossier, economyHead, at('2026-09-04T09:00:00')), '2026-03-05T10:00:00').thenMatches([{ type: 'LatenessApologyIssued' }]);
  });

  it('is refused while the dossier is not late, and comes from a head of the agency responsible for the delay', () => {
    const dossier = acceptedBusiness();
    given(dossier).when(lateApology(dossier), '2026-03-05T08:59:00').thenRefused('DOSSIER_NOT_LATE');
    given(dossier).when(lateApology(dossier, economyOfficer), '2026-03-05T10:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(lateApology(dossier, landHead), '2026-03-05T10:00:00').thenRefused('NOT_THE_RESPONSIBLE_AGENCY');
  });

  it('names the reason and, while the result is not ready, a new appointment; the due date and the on-time classification stay', () => {
    const dossier = acceptedBusiness().deadlineAlerted('overdue', '2026-03-05T09:01:00');
    given(dossier).when(lateApology(dossier, economyHead, null), '2026-03-05T10:00:00').thenRefused('NEW_APPOINTMENT_REQUIRED');
    given(dossier).when(lateApology(dossier, economyHead, at('2026-03-05T09:30:00')), '2026-03-05T10:00:00').thenRefused('NEW_APPOINTMENT_NOT_LATER');
    const apologised = given(dossier)
      .when(lateApology(dossier), '2026-03-05T10:00:00')
      .thenMatches([{ type: 'LatenessApologyIssued', data: { agencyCode: ECONOMY, responsibleAgencyCode: ECONOMY, reason: 'Chờ ý kiến của cơ quan thuế', missedAppointment: DUE, originalDue: DUE, newAppointment: at('2026-03-10T09:00:00'), sequence: 1 } }]);
    const reading = readDossierClock(apologised.received, at('2026-03-06T09:00:00'));
    expect({ originalDue: reading.originalDue, extendedDue: reading.extendedDue, overdue: reading.overdue }).toEqual({ originalDue: DUE, extendedDue: null, overdue: true });
    expect(apologised.received.extended).toBe(false);

    // The result, issued before the new appointment, is still late under both rules.
    dossier.latenessApologyIssued(ECONOMY, '2026-03-05T10:00:00', at('2026-03-10T09:00:00')).stepCompleted('business-registration', '2026-03-09T09:00:00');
    given(dossier)
      .when(dossier.command('IssueResult', economyHead, verifiedResult('HKD-1', economyHead.agencyCode, 'b'.repeat(64))), '2026-03-09T10:00:00')
      .thenMatches([{ type: 'ResultIssued', data: { dossierRule: 'late', decision766: 'late' } }]);
  });

  it('is given once an overdue spell, and again each time the new appointment it gave is missed', () => {
    const dossier = acceptedBusiness().deadlineAlerted('overdue', '2026-03-05T09:01:00').latenessApologyIssued(ECONOMY, '2026-03-05T10:00:00', at('2026-03-10T09:00:00'));
    given(dossier).when(lateApology(dossier, economyHead, at('2026-03-11T09:00:00')), '2026-03-09T10:00:00').thenRefused('LATENESS_APOLOGY_ALREADY_ISSUED');
    given(dossier)
      .when(lateApology(dossier, economyHead, at('2026-03-13T09:00:00')), '2026-03-10T10:00:00')
      .thenMatches([{ type: 'LatenessApologyIssued', data: { missedAppointment: at('2026-03-10T09:00:00'), originalDue: DUE, newAppointment: at('2026-03-13T09:00:00'), sequence: 2 } }]);
  });

  it('is still given after a late result was returned (the dossier closed), with no new appointment', () => {
    const dossier = acceptedBusiness()
      .deadlineAlerted('overdue', '2026-03-05T09:01:00')
      .stepCompleted('business-registration', '2026-03-06T09:00:00')
      .resultIssued('2026-03-06T10:00:00', 'HKD-1')
      .resultReturned('2026-03-06T14:00:00', 'counter', false);
    expect(dossier.state.status).toBe('returned');
    given(dossier).when(lateApology(dossier), '2026-03-09T09:00:00').thenRefused('NEW_APPOINTMENT_NOT_EXPECTED');
    given(dossier)
      .when(lateApology(dossier, economyHead, null), '2026-03-09T09:00:00')
      .thenMatches([{ type: 'LatenessApologyIssued', data: { missedAppointment: DUE, sequence: 1 } }]);
  });

  it('is never given for a dossier that kept its appointment, even one a form 04 extended', () => {
    const onTime = acceptedBusiness()
      .stepCompleted('business-registration', '2026-03-04T09:00:00')
      .resultIssued('2026-03-04T10:00:00', 'HKD-1')
      .resultReturned('2026-03-05T08:00:00', 'counter', true);
    given(onTime).when(lateApology(onTime, economyHead, null), '2026-03-20T09:00:00').thenRefused('DOSSIER_NOT_LATE');
    given(onTime).when(explanation(onTime), '2026-03-20T09:00:00').thenRefused('DOSSIER_NOT_LATE');

    const extended = acceptedBusiness().apologyIssued(ECONOMY, '2026-03-04T09:00:00', at('2026-03-10T09:00:00'));
    given(extended).when(lateApology(extended), '2026-03-06T09:00:00').thenRefused('DOSSIER_NOT_LATE');
    // Past the extended appointment it is late for the applicant too.
    given(extended)
      .when(lateApology(extended, economyHead, at('2026-03-12T09:00:00')), '2026-03-10T10:00:00')
      .thenMatches([{ type: 'LatenessApologyIssued', data: { missedAppointment: at('2026-03-10T09:00:00'), originalDue: DUE } }]);
  });
});

describe('the accountability explanation (giải trình)', () => {
  it('is written by the agency that held the dossier when it went overdue, with its author, due 3 working days after', () => {
    const dossier = acceptedBusiness().deadlineAlerted('overdue', '2026-03-05T09:01:00');
    given(dossier).when(explanation(dossier, reception), '2026-03-06T09:00:00').thenRefused('ROLE_NOT_ALLOWED');
    given(dossier).when(explanation(dossier, actor('officer', LAND_OFFICE)), '2026-03-06T09:00:00').thenRefused('NOT_THE_RESPONSIBLE_AGENCY');
    const explained = given(dossier)
      .when(explanation(dossier), '2026-03-06T09:00:00')
      .then([
        {
          type: 'LatenessExplained',
          schemaVersion: 1,
          data: {
            at: new Date(at('2026-03-06T09:00:00')).toISOString(),
            agencyCode: ECONOMY,
            author: { userId: 'chuyenvien.binh', role: 'officer' },
            reason: 'Chuyên viên thụ lý nghỉ ốm, không bàn giao hồ sơ',
            overdueSince: DUE,
            // Thursday 5 March + 3 working days: Friday 6, Monday 9, Tuesday 10 March, at closing.
            due: at('2026-03-10T17:00:00'),
            late: false,
          },
        },
      ]);
    deciderSpec(dossier.dossierCode)
      .given(...dossier.events, ...explained.events)
      .when(explanation(dossier, economyHead), '2026-03-06T10:00:00')
      .thenRefused('EXPLANATION_ALREADY_RECORDED');
    given(dossier).when(explanation(dossier, economyHead), '2026-03-11T08:00:00').thenMatches([{ type: 'LatenessExplained', data: { late: true } }]);
  });

  it('answers to the agency that held the dossier when it went overdue, though the competent agency may sign the apology', () => {
    // A land registration still at the commune's verification when its 20 working days run out.
    const land = DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00').deadlineAlerted('overdue', '2026-03-31T09:00:00');
    expect(land.state.lateness).toMatchObject({ agencyCode: ECONOMY, apologised: false, explained: false });
    given(land).when(lateApology(land, actor('head', TAX_OFFICE), at('2026-04-10T09:00:00')), '2026-03-31T10:00:00').thenRefused('NOT_THE_RESPONSIBLE_AGENCY');
    given(land)
      .when(lateApology(land, landHead, at('2026-04-10T09:00:00')), '2026-03-31T10:00:00')
      .thenMatches([{ type: 'LatenessApologyIssued', data: { agencyCode: LAND_OFFICE, responsibleAgencyCode: ECONOMY } }]);
    given(land).when(explanation(land, actor('officer', LAND_OFFICE)), '2026-03-31T10:00:00').thenRefused('NOT_THE_RESPONSIBLE_AGENCY');
    given(land).when(explanation(land), '2026-03-31T10:00:00').thenMatches([{ type: 'LatenessExplained', data: { agencyCode: ECONOMY } }]);
  });

  it('is due within the working days the procedure sets', () => {
    const dossier = acceptedBusiness().deadlineAlerted('overdue', '2026-03-05T09:01:00');
    const events = dossier.events.map((event): DossierEvent =>
      event.type === 'DossierAccepted' ? { ...event, data: { ...event.data, procedure: { ...event.data.procedure, clock: { ...event.data.procedure.clock, explanationWithinWorkingDays: 1 } } } } : event,
    );
    deciderSpec(dossier.dossierCode)
      .given(...events)
      .when(explanation(dossier), '2026-03-06T09:00:00')
      .thenMatches([{ type: 'LatenessExplained', data: { due: at('2026-03-06T17:00:00'), late: false } }]);
  });
});
