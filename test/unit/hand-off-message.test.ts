import { describe, expect, it } from 'vitest';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { handOffMessage } from '../../domain/interagency/hand-off-message.js';
import { handOffMessageSchema } from '../../domain/interagency/hand-off.js';
import { maskedHandOff } from '../../integrations/interagency/reference-channel.js';
import { actor, CENTRE, ECONOMY, LAND_OFFICE } from '../support/dossier-fixtures.js';
import { landDossier } from '../support/interagency-dossier.js';

// The hand-off message built from a dossier's events (domain/interagency/hand-off-message.ts): the
// dossier's facts, the step, the files as signed links, what earlier steps returned.
const fileLink = (dossierCode: string, sha256: string) => `https://motcua.example.gov.vn/portal-files/${dossierCode}/v1.${sha256.slice(0, 8)}.mac`;
const answers = { mode: 'callback' as const, callbackUrl: 'https://motcua.example.gov.vn/interagency/land-registry/answers' };

function handedOver() {
  const scenario = landDossier();
  scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
  return scenario;
}

describe('the hand-off message', () => {
  it('carries the dossier, the applicant, each component’s current files as signed links, and the step with its clock', () => {
    const scenario = handedOver();
    const key = `land-registry/${scenario.dossierCode}/${scenario.events.length}/hand-off`;
    const built = handOffMessage({ key, kind: 'hand-off', system: 'land-registry', events: scenario.events.map((event) => ({ event })), fileLink, answers });
    if (!('message' in built)) throw new Error(built.refused);
    const { message } = built;
    expect(handOffMessageSchema.safeParse(message).success).toBe(true);
    const started = scenario.events.findLast((event) => event.type === 'StepStarted')!;
    if (started.type !== 'StepStarted') throw new Error('no step');
    expect(message).toMatchObject({
      key,
      kind: 'hand-off',
      system: 'land-registry',
      dossier: { code: scenario.dossierCode, receivingAgencyCode: CENTRE, procedure: { code: '1.004227' }, applicant: { fullName: 'Trần Thị Bình', identityNumber: '038190001234' } },
      step: { stepId: 'land-registration', run: 1, agencyCode: started.data.agencyCode, startedAt: started.data.at, due: started.data.due, earlierResults: [] },
      answers,
    });
    expect(message.dossier.appointment).toBe(scenario.received.accepted!.appointment);
    const files = scenario.received.files!;
    expect(message.dossier.components.flatMap((component) => component.files.map((file) => file.sha256)).sort()).toEqual(files.map((file) => file.sha256).sort());
    expect(message.dossier.components[0]!.files[0]!.url).toBe(fileLink(scenario.dossierCode, message.dossier.components[0]!.files[0]!.sha256));
    // The same events give the same message: a retry sends the same body.
    expect(handOffMessage({ key, kind: 'hand-off', system: 'land-registry', events: scenario.events.map((event) => ({ event })), fileLink, answers })).toEqual(built);
  });

  it('gives what earlier steps returned, and the reason with a cancellation', () => {
    const scenario = handedOver();
    const resultFile = { sha256: 'a'.repeat(64), size: 1234, mediaType: 'application/pdf' as const, name: 'phieu-chuyen.pdf' };
    const events: DossierEvent[] = scenario.events.map((event) => (event.type === 'StepCompleted' ? { ...event, data: { ...event.data, resultFile } } : event));
    events.push({ type: 'WithdrawalDecided', schemaVersion: 1, data: { at: '2026-03-04T03:00:00.000Z', approved: true, reason: 'Người nộp xin rút' } });
    const built = handOffMessage({ key: 'k', kind: 'cancel', system: 'land-registry', events: events.map((event) => ({ event })), fileLink, answers: { mode: 'poll' } });
    if (!('message' in built)) throw new Error(built.refused);
    expect(built.message.step.earlierResults).toEqual([{ stepId: 'commune-verification', files: [{ name: 'phieu-chuyen.pdf', mediaType: 'application/pdf', size: 1234, sha256: 'a'.repeat(64), url: fileLink(scenario.dossierCode, 'a'.repeat(64)) }] }]);
    expect(built.message.reason).toMatch(/Người nộp xin rút/);
    expect(built.message.answers).toEqual({ mode: 'poll' });
    // The attempt's record keeps no free text of the head's: the reason is masked whole.
    const recorded = maskedHandOff(built.message) as { reason?: string };
    expect(recorded.reason).toBe('***');
    expect(JSON.stringify(recorded)).not.toContain('Người nộp xin rút');
  });

  it('gives an update the step’s due time as its clock reads after the supplement, later than when it started', () => {
    const scenario = handedOver();
    scenario.play(scenario.command('RequestSupplement', actor('officer', LAND_OFFICE), { stepId: 'land-registration', missing: [{ description: 'Đơn đăng ký có chữ ký', reason: 'Thiếu chữ ký' }] }), '2026-03-03T10:00:00');
    scenario.play(scenario.command('ProvideSupplement', actor('reception', CENTRE), { components: [] }), '2026-03-09T09:00:00');
    const started = scenario.events.findLast((event) => event.type === 'StepStarted')!;
    if (started.type !== 'StepStarted') throw new Error('no step');
    const built = handOffMessage({ key: 'k', kind: 'update', system: 'land-registry', events: scenario.events.map((event) => ({ event })), fileLink, answers });
    if (!('message' in built)) throw new Error(built.refused);
    expect(Date.parse(built.message.step.due)).toBeGreaterThan(Date.parse(started.data.due));
    // A hand-off of the same events keeps the due of the step's start.
    const handOff = handOffMessage({ key: 'k', kind: 'hand-off', system: 'land-registry', events: scenario.events.map((event) => ({ event })), fileLink, answers });
    expect('message' in handOff && handOff.message.step.due).toBe(started.data.due);
  });

  it('tells a system whose step the body’s officers completed or sent back in the engine why it is cancelled', () => {
    const completed = handedOver();
    completed.play(completed.command('CompleteStep', actor('officer', LAND_OFFICE), { stepId: 'land-registration', outcome: 'approved' }), '2026-03-04T09:00:00');
    const upTo = completed.events.findIndex((event) => event.type === 'StepCompleted' && event.data.stepId === 'land-registration') + 1;
    const done = handOffMessage({ key: 'k', kind: 'cancel', system: 'land-registry', events: completed.events.slice(0, upTo).map((event) => ({ event })), fileLink, answers });
    if (!('message' in done)) throw new Error(done.refused);
    expect(done.message.reason).toMatch(/Cán bộ của cơ quan đã hoàn thành bước land-registration/);
    expect(done.message.step).toMatchObject({ stepId: 'land-registration', run: 1 });

    const sentBack = handedOver();
    sentBack.play(sentBack.command('SendStepBack', actor('officer', LAND_OFFICE), { stepId: 'land-registration', reason: 'Thiếu trích đo' }), '2026-03-04T09:00:00');
    const at = sentBack.events.findIndex((event) => event.type === 'StepSentBack') + 1;
    const back = handOffMessage({ key: 'k', kind: 'cancel', system: 'land-registry', events: sentBack.events.slice(0, at).map((event) => ({ event })), fileLink, answers });
    if (!('message' in back)) throw new Error(back.refused);
    expect(back.message.reason).toMatch(/Cán bộ của cơ quan đã trả lại bước land-registration/);
  });

  it('is refused when the dossier holds no step of that system, or was never accepted', () => {
    const scenario = handedOver();
    const events = scenario.events.map((event) => ({ event }));
    expect(handOffMessage({ key: 'k', kind: 'hand-off', system: 'tax', events, fileLink, answers })).toEqual({ refused: expect.stringMatching(/no step carried out by the tax system/) });
    expect(handOffMessage({ key: 'k', kind: 'hand-off', system: 'land-registry', events: events.slice(0, 1), fileLink, answers })).toEqual({ refused: expect.stringMatching(/was not accepted/) });
  });

  it('is recorded with the applicant masked, file names hidden and the links’ tokens removed', () => {
    const scenario = handedOver();
    const built = handOffMessage({ key: 'k', kind: 'hand-off', system: 'land-registry', events: scenario.events.map((event) => ({ event })), fileLink, answers });
    if (!('message' in built)) throw new Error(built.refused);
    const recorded = JSON.stringify(maskedHandOff(built.message));
    expect(recorded).not.toContain('Trần Thị Bình');
    expect(recorded).not.toContain('038190001234');
    expect(recorded).not.toMatch(/v1\.[0-9a-f]{8}\.mac/);
    expect(recorded).toContain('T. T. B.');
    expect(recorded).toContain(scenario.dossierCode);
  });
});
