import { describe, expect, it } from 'vitest';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { evolveDossier, isReceived, newDossier, type DossierState } from '../../domain/dossier/state.js';
import { type DeliveryPolicy, planDeliveries } from '../../domain/outbox/plan-deliveries.js';
import { deliveryKeySchema } from '../../db/outbox/operator-queries.js';
import { actor, CENTRE, completeComponents, DossierScenario, ECONOMY, LAND_OFFICE, LAND_PROCEDURE } from '../support/dossier-fixtures.js';
import { landDossier, landPinned } from '../support/interagency-dossier.js';

// The planner's rule for the other agencies' systems (domain/interagency/plan-hand-offs.ts): a step
// the route gives to a system is handed over when it starts, the system is updated when the
// applicant supplements or pays while it holds the step, and told to stop when the dossier ends.

const ALL: DeliveryPolicy = { portal: false, notices: { enabled: [], defaultChannels: [], preferredOnly: true }, interagency: ['land-registry', 'tax', 'civil-status'] };

/** Plans every event of the scenario from `from` on, as the relay's planner does, with the actor's role. */
function planned(scenario: DossierScenario, from: number, roles: readonly string[], policy: DeliveryPolicy = ALL, userIds: readonly string[] = []): string[] {
  let state: DossierState = newDossier(scenario.dossierCode);
  const out: string[] = [];
  scenario.events.forEach((event: DossierEvent, index) => {
    const before = state;
    state = evolveDossier(state, event);
    if (index < from) return;
    const received = scenario.events[0]!;
    if (received.type !== 'DossierReceived') throw new Error('no reception');
    for (const delivery of planDeliveries(
      { dossierCode: scenario.dossierCode, sequence: index + 1, event, before: isReceived(before) ? before : undefined, applicant: received.data.applicant, committedAt: '2026-03-02T03:00:00.000Z', actorRole: roles[index - from] ?? 'officer', ...(userIds[index - from] ? { actorUserId: userIds[index - from]! } : {}) },
      policy,
    )) {
      out.push(delivery.key.replace(`${scenario.dossierCode}/`, ''));
    }
  });
  return out;
}

describe('what the other agencies’ systems are told', () => {
  it('hands a step over to its system when it starts, keyed <system>/<dossier>/<seq>/hand-off, and nothing for a step done in the engine', () => {
    const scenario = landDossier();
    const before = scenario.events.length;
    // Acceptance started the commune's step, done in the engine: nothing for any system.
    expect(planned(scenario, 0, [])).toEqual([]);
    scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    const started = scenario.events.findIndex((event) => event.type === 'StepStarted' && event.data.stepId === 'land-registration');
    expect(planned(scenario, before, [])).toEqual([`land-registry/${started + 1}/hand-off`]);
    // Operators retry and close it by its key like any other delivery's.
    expect(deliveryKeySchema.safeParse(`land-registry/${scenario.dossierCode}/${started + 1}/hand-off`).success).toBe(true);
    expect(deliveryKeySchema.safeParse(`civil-status/${scenario.dossierCode}/9/cancel`).success).toBe(true);
    expect(deliveryKeySchema.safeParse(`customs/${scenario.dossierCode}/9/cancel`).success).toBe(false);
  });

  it('plans only for the systems the deployment connects', () => {
    const scenario = landDossier();
    scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    expect(planned(scenario, 0, [], { ...ALL, interagency: ['tax'] })).toEqual([]);
    expect(planned(scenario, 0, [], { ...ALL, interagency: undefined })).toEqual([]);
  });

  it('updates the system that holds the step when the applicant supplements or staff record a payment, not when the system reported the payment itself', () => {
    const scenario = landDossier();
    scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    scenario.play(scenario.command('RequestSupplement', actor('officer', LAND_OFFICE), { stepId: 'land-registration', missing: [{ description: 'Đơn đăng ký có chữ ký', reason: 'Thiếu chữ ký' }] }), '2026-03-03T10:00:00');
    const from = scenario.events.length;
    scenario.play(scenario.command('ProvideSupplement', actor('reception', CENTRE), { components: [] }), '2026-03-04T09:00:00');
    scenario.play(scenario.command('RecordPayment', actor('reception', CENTRE), { amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-1' }), '2026-03-04T10:00:00');
    scenario.play(scenario.command('RecordPayment', actor('reception', CENTRE), { amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-2' }), '2026-03-04T11:00:00');
    const keys = planned(scenario, from, ['reception', 'reception', 'interagency']);
    expect(keys).toEqual([`land-registry/${from + 1}/update`, `land-registry/${from + 2}/update`]);
  });

  it('tells the system to stop when the dossier ends while it holds a step', () => {
    const scenario = landDossier();
    scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    scenario.play(scenario.command('RequestWithdrawal', actor('reception', CENTRE), { reason: 'Người nộp xin rút hồ sơ' }), '2026-03-04T09:00:00');
    const from = scenario.events.length;
    const head = scenario.received.steps.find((step) => step.status === 'active')!;
    expect(head.system).toBe('land-registry');
    const competent = scenario.received.accepted!.procedure.competentAgencyCode!;
    scenario.play(scenario.command('DecideWithdrawal', actor('head', competent), { approved: true, reason: 'Đồng ý cho rút hồ sơ' }), '2026-03-04T10:00:00');
    expect(planned(scenario, from, ['head'])).toEqual([`land-registry/${from + 1}/cancel`]);
    // The tax office's system never held a step of this dossier: it is told nothing.
    expect(planned(scenario, 0, []).some((key) => key.startsWith('tax/'))).toBe(false);
  });

  it('tells only the system that holds a step when the dossier ends, not one whose step is done', () => {
    const scenario = landDossier(2);
    scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    // The land office's officers complete its step in the engine (its system out of service): the tax step starts.
    scenario.play(scenario.command('CompleteStep', actor('officer', LAND_OFFICE), { stepId: 'land-registration', outcome: 'approved' }), '2026-03-04T09:00:00');
    const taxStarted = scenario.events.findIndex((event) => event.type === 'StepStarted' && event.data.stepId === 'tax-assessment');
    const landDone = scenario.events.findIndex((event) => event.type === 'StepCompleted' && event.data.stepId === 'land-registration');
    scenario.play(scenario.command('RequestWithdrawal', actor('reception', CENTRE), { reason: 'Người nộp xin rút hồ sơ' }), '2026-03-05T09:00:00');
    const from = scenario.events.length;
    scenario.play(scenario.command('DecideWithdrawal', actor('head', scenario.received.accepted!.procedure.competentAgencyCode!), { approved: true, reason: 'Đồng ý cho rút hồ sơ' }), '2026-03-05T10:00:00');
    const all = planned(scenario, 0, []);
    expect(all).toContain(`tax/${taxStarted + 1}/hand-off`);
    // The land registry is told its step was done by hand; the withdrawal concerns only the tax system.
    expect(all.filter((key) => key.endsWith('/cancel'))).toEqual([`land-registry/${landDone + 1}/cancel`, `tax/${from + 1}/cancel`]);
  });

  it('tells the system to stop when the body’s officers complete or send back, in the engine, the step it holds, not when the system answered itself', () => {
    const completed = landDossier();
    completed.play(completed.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    let from = completed.events.length;
    completed.play(completed.command('CompleteStep', actor('officer', LAND_OFFICE), { stepId: 'land-registration', outcome: 'approved' }), '2026-03-04T09:00:00');
    expect(planned(completed, from, ['officer']).filter((key) => key.endsWith('/cancel'))).toEqual([`land-registry/${from + 1}/cancel`]);
    // The same completion reported by the system itself: it knows, nothing to cancel.
    expect(planned(completed, from, ['interagency']).filter((key) => key.endsWith('/cancel'))).toEqual([]);

    const sentBack = landDossier();
    sentBack.play(sentBack.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    from = sentBack.events.length;
    sentBack.play(sentBack.command('SendStepBack', actor('officer', LAND_OFFICE), { stepId: 'land-registration', reason: 'Thiếu trích đo địa chính' }), '2026-03-04T09:00:00');
    expect(sentBack.events[from]!.type).toBe('StepSentBack');
    expect(planned(sentBack, from, ['officer']).filter((key) => key.endsWith('/cancel'))).toEqual([`land-registry/${from + 1}/cancel`]);
    expect(planned(sentBack, from, ['interagency']).filter((key) => key.endsWith('/cancel'))).toEqual([]);
  });

  it('tells another system to stop when a system sends its stage back with that system’s parallel step, not the system that answered', () => {
    // Land and tax in one stage (the electronic same-level route: in parallel).
    const parallel = landPinned();
    const [commune, land, tax, certificate] = parallel.procedure.route.stages;
    const scenario = DossierScenario.received(LAND_PROCEDURE, '2026-03-02T08:30:00', 7);
    scenario.digitise('2026-03-02T08:40:00');
    const pinnedParallel = { ...parallel, procedure: { ...parallel.procedure, route: { stages: [commune!, { steps: [...land!.steps, ...tax!.steps] }, certificate!] } } };
    scenario.play(scenario.command('AcceptDossier', actor('reception', CENTRE), { components: completeComponents(LAND_PROCEDURE), pinned: pinnedParallel }), '2026-03-02T08:45:00');
    scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
    const from = scenario.events.length;
    const landSystem = { userId: 'system:land-registry', role: 'interagency' as const, agencyCode: LAND_OFFICE };
    scenario.play(scenario.command('SendStepBack', landSystem, { stepId: 'land-registration', reason: 'Ranh giới thửa đất chưa khớp' }), '2026-03-04T09:00:00');
    expect(scenario.events.slice(from).filter((event) => event.type === 'StepSentBack').map((event) => event.type === 'StepSentBack' && event.data.stepId)).toEqual(['land-registration', 'tax-assessment']);
    const cancels = (userIds: readonly string[]) => planned(scenario, from, ['interagency', 'interagency'], ALL, userIds).filter((key) => key.endsWith('/cancel'));
    // The second StepSentBack, the tax step's, tells tax its run ended; land answered itself.
    expect(cancels(['system:land-registry', 'system:land-registry'])).toEqual([`tax/${from + 2}/cancel`]);
    // An answer whose system is unknown (recorded before user ids were read): nothing assumed.
    expect(cancels([])).toEqual([]);
  });
});
