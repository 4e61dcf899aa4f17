// Disaster recovery from the log (worker/resume-all.ts, `npm run dossier:resume-all`): the engine's
// Temporal loses everything, and a new, empty one takes its place on the same PostgreSQL. Here the
// two Temporals are time-skipping test servers of their own (test/support/time-skipping-engine.ts),
// so the resumed dossier's next alert can be waited for at its instant: the first runs the dossiers
// while the signing service is away (their documents owed), then is torn down with every history
// it held; the second starts with none. The resume puts back exactly the runs the log calls for,
// once, issues the owed documents, hands the delivery lanes back to the relay, and the dossiers take
// commands and raise their alerts as before.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackEdgeActivities } from '../../activities/feedback-edge-activities.js';
import { type FeedbackCommandDeps, receiveFeedback } from '../../api/commands/send-feedback-command.js';
import { storeMirrorPush } from '../../db/mirror-store.js';
import { markDispatched, planDeliveriesFromLog, undispatchedLanes } from '../../db/outbox/deliveries.js';
import { mirrorPushSchema } from '../../domain/mirror/push.js';
import { createDocumentIssuer, type DocumentIssuer } from '../../documents/document-issuer.js';
import { createDocumentStore } from '../../documents/document-store.js';
import { nextDeadlineAlert } from '../../domain/dossier/deadline-alerts.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import { createLogger } from '../../platform/logger.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { resumeAll } from '../../worker/resume-all.js';
import { actor } from '../support/dossier-fixtures.js';
import { registerCentre } from '../support/engine.js';
import { ROUND_THE_CLOCK, loadTestProcedure } from '../support/test-procedure.js';
import { testSigningSettings } from '../support/test-pki.js';
import { databaseOfItsOwn, startTimeSkippingEngine, type TimeSkippingEngine } from '../support/time-skipping-engine.js';

const MINUTE = 60_000;
const POLICY: DeliveryPolicy = { portal: true, notices: { enabled: [], defaultChannels: [], preferredOnly: true } };

const edges: FeedbackEdgeActivities = {
  issueFeedbackAnswer: async () => {
    throw new Error('no answer is given in this test');
  },
  syncFeedbackToNational: async () => 'not-configured',
};

let databaseUrl: string;
let before: TimeSkippingEngine | undefined;
let after: TimeSkippingEngine | undefined;
beforeAll(async () => {
  // A database of its own: resuming every open dossier must not reach other tests' dossiers.
  databaseUrl = await databaseOfItsOwn();
});
afterAll(async () => {
  await before?.close();
  await after?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 150; tries += 1) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen`);
}

describe('a Temporal that lost everything, resumed from the log', () => {
  it('gets back exactly the runs the log calls for, once; owed documents are issued, lanes handed back, commands and alerts work', async () => {
    // The signing service is away while the first Temporal runs, once the first dossier is done with.
    let signingAway = false;
    const real = (engine: { db: TimeSkippingEngine['db'] }): DocumentIssuer => createDocumentIssuer(createDocumentStore(engine.db), testSigningSettings());
    let realIssuer: DocumentIssuer | undefined;
    const flaky: DocumentIssuer = {
      get trustAnchors() {
        return realIssuer!.trustAnchors;
      },
      issue: async (model, issuer) => {
        if (signingAway) throw new Error('the signing service is away (test)');
        return realIssuer!.issue(model, issuer);
      },
    };
    before = await startTimeSkippingEngine({ name: 'dr-before', databaseUrl, feedbackEdges: edges, documents: flaky });
    realIssuer = real(before);
    const { centre, office, procedureCode } = await loadTestProcedure(before.db, {
      calendar: ROUND_THE_CLOCK,
      series: '999022',
      clock: { budget: { unit: 'working-days', amount: 2 }, receptionCutOff: '23:00', afterSupplement: 'resume' },
      stepBudget: { unit: 'working-days', amount: 2 },
    });
    const reception = actor('reception', centre);
    void office;

    // Ended for good: refused at reception, its refusal issued, evaluated. Its run ends.
    const ended = await before.receive({ agencyCode: centre, procedureCode, actor: reception });
    await before.send({ type: 'RefuseAtReception', commandId: `${ended}/refuse`, dossierCode: ended, actor: reception, reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 61/2018/NĐ-CP' });
    await until('the refusal issued', async () => ((await before!.events(ended, 'DocumentIssued')).length > 0 ? true : undefined));
    await before.send({ type: 'RecordEvaluation', commandId: `${ended}/evaluate`, dossierCode: ended, actor: reception, rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-DR-1' });
    await until('the ended run completed', async () => ((await before!.temporal.workflow.getHandle(dossierWorkflowId(ended)).describe()).status.name === 'COMPLETED' ? true : undefined));

    signingAway = true;
    // Accepted: its receipt (form-01) owed, its clock running.
    const accepted = await before.receive({ agencyCode: centre, procedureCode, actor: reception });
    await before.send({ type: 'AcceptDossier', commandId: `${accepted}/accept`, dossierCode: accepted, actor: reception, components: [] });
    // Received only: waits for the centre's check.
    const received = await before.receive({ agencyCode: centre, procedureCode, actor: reception });
    // Refused and evaluated, but its refusal (form-03) never issued: its run must come back to issue it.
    const owed = await before.receive({ agencyCode: centre, procedureCode, actor: reception });
    await before.send({ type: 'RefuseAtReception', commandId: `${owed}/refuse`, dossierCode: owed, actor: reception, reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 61/2018/NĐ-CP' });
    await before.send({ type: 'RecordEvaluation', commandId: `${owed}/evaluate`, dossierCode: owed, actor: reception, rating: 'satisfied', source: 'paper-form', paperFormReference: 'PĐG-DR-2' });
    // A feedback item in the unit's hands.
    const unit = await registerCentre(before.db, `8${randomBytes(1).toString('hex').toUpperCase()}.${String(randomBytes(1)[0]! % 100).padStart(2, '0')}.02.H99`);
    const deps: FeedbackCommandDeps = { db: before.db, temporal: before.temporal, taskQueue: before.taskQueue, commandTimeoutMs: 30_000, log: createLogger({ level: 'warn' }) };
    const item = await receiveFeedback(deps, {
      request: { agencyCode: unit, channel: 'phone', submitter: { fullName: 'Đỗ Văn Hùng' }, title: 'Không được hướng dẫn', content: 'Cán bộ không hướng dẫn cách khai tờ khai.', attachments: [], sentAt: new Date(await before.now()).toISOString() },
      actor: { userId: 'reception-1', role: 'reception', agencyCode: unit },
    });
    if (item.kind !== 'received') throw new Error(JSON.stringify(item));
    // The relay planned the portal's syncs and woke their lanes (no relay runs here: its two steps).
    await planDeliveriesFromLog(before.db, POLICY);
    const planned = await undispatchedLanes(before.db);
    await markDispatched(before.db, planned.keys);
    const lanes = new Set(planned.lanes.map((lane) => `${lane.receiver}/${lane.dossierCode}`));
    expect(lanes).toEqual(new Set([ended, accepted, received, owed].map((code) => `portal/${code}`)));
    const formsBefore = (await before.events(accepted, 'DocumentIssued')).length + (await before.events(owed, 'DocumentIssued')).length;
    expect(formsBefore).toBe(0);

    // Temporal loses everything; a new one, with no history at all, takes its place.
    await before.close();
    before = undefined;
    after = await startTimeSkippingEngine({ name: 'dr-after', databaseUrl, feedbackEdges: edges });
    const engine = after;

    // A mirror of a dossier handled on a ministry's system, open there: it has no workflow here, and gets none.
    const mirrorUnit = await registerCentre(engine.db);
    const mirror = `G01.BCA-261102-${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, '0')}`;
    const pushed = await storeMirrorPush(engine.db, {
      dossierCode: mirror,
      system: 'bca-dichvucong',
      userId: 'bca-dichvucong',
      push: mirrorPushSchema.parse({ sourceUpdatedAt: '2026-11-02T09:00:00+07:00', procedureCode: '1.001612', procedureName: 'Cấp đổi giấy phép lái xe', agencyCode: mirrorUnit, handlingUnitName: 'Phòng CSGT', channel: 'online', applicant: { kind: 'citizen', fullName: 'Lê Văn Gương', identityNumber: '001090077777' }, submittedAt: '2026-11-02T08:30:00+07:00', acceptedAt: '2026-11-02T09:00:00+07:00', appointmentAt: '2026-11-09T17:00:00+07:00', status: 4, paidOnline: true, feeBearing: true, progress: [{ at: '2026-11-02T09:00:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận hồ sơ', status: 2 }] }),
    });
    expect(JSON.stringify(pushed)).not.toMatch(/refused/);

    const report = await resumeAll(engine.temporal, engine.db, engine.taskQueue, { concurrency: 4, foldWaitMs: 60_000 });
    expect(report.dossiers).toEqual({ resumed: [accepted, owed, received].sort(), running: 0, ended: 1, failed: [] });
    expect(report.feedback).toEqual({ resumed: [item.feedbackId], running: 0, ended: 0, failed: [] });
    // Every lane's deliveries were dispatched to a run the lost Temporal held: all handed back.
    expect(report.deliveries).toMatchObject({ lanesRunning: 0, lanesRedispatched: 4 });
    expect(new Set((await undispatchedLanes(engine.db)).lanes.map((lane) => `${lane.receiver}/${lane.dossierCode}`))).toEqual(lanes);
    expect(report.durationMs).toBeGreaterThanOrEqual(report.startsMs);

    // The owed documents are issued, each once, by the resumed runs; the refused one's run then ends.
    const issuedKinds = async (code: string) => (await engine.events(code, 'DocumentIssued')).map((event) => (event.data as { kind: string }).kind);
    expect(await until('form-01 issued', async () => ((await issuedKinds(accepted)).length > 0 ? issuedKinds(accepted) : undefined))).toEqual(['form-01']);
    expect(await until('form-03 issued', async () => ((await issuedKinds(owed)).length > 0 ? issuedKinds(owed) : undefined))).toEqual(['form-03']);
    await until("the owed dossier's run ended", async () => ((await engine.temporal.workflow.getHandle(dossierWorkflowId(owed)).describe()).status.name === 'COMPLETED' ? true : undefined));

    // Idempotent: a second pass starts nothing and hands nothing back (the lanes wait for the relay);
    // the refused dossier, its refusal issued, has rightly ended now.
    const again = await resumeAll(engine.temporal, engine.db, engine.taskQueue, { concurrency: 4 });
    expect(again.dossiers).toEqual({ resumed: [], running: 2, ended: 2, failed: [] });
    expect(again.feedback).toEqual({ resumed: [], running: 1, ended: 0, failed: [] });
    expect(again.deliveries).toEqual({ lanesRunning: 0, lanesRedispatched: 0, pendingDeliveries: 0 });
    await expect(engine.temporal.workflow.getHandle(dossierWorkflowId(ended)).describe()).rejects.toThrow();
    await expect(engine.temporal.workflow.getHandle(dossierWorkflowId(mirror)).describe()).rejects.toThrow();

    // Commands reach the resumed runs: the received dossier is accepted, its receipt issued.
    const acceptance = await engine.send({ type: 'AcceptDossier', commandId: `${received}/accept`, dossierCode: received, actor: reception, components: [] });
    expect(acceptance.events).toContain('DossierAccepted');
    expect(await until('form-01 issued', async () => ((await issuedKinds(received)).length > 0 ? issuedKinds(received) : undefined))).toEqual(['form-01']);

    // The accepted dossier's clock: its next alert is raised at its instant, by the resumed run.
    const { state } = await engine.state(accepted);
    const alert = nextDeadlineAlert(state, new Date(await engine.now()).toISOString());
    expect(alert).not.toBeNull();
    const alertsBefore = (await engine.events(accepted)).filter((event) => event.type === 'DeadlineAlerted').length;
    await engine.skipTo(Date.parse(alert!.at) + MINUTE);
    await until('the alert raised', async () => ((await engine.events(accepted)).filter((event) => event.type === 'DeadlineAlerted').length > alertsBefore ? true : undefined));
  });
});
