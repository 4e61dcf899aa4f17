// What motcua asks of Temporal's visibility, answered by whichever server the project runs on (the
// dev server in `integration`, the production server's SQL visibility on PostgreSQL in `cluster`,
// docs/decisions/0025-temporal-server-on-postgresql.md): dossiers found by the search attributes
// the workflow sets (workflows/search-attributes.ts), and the queries of the stuck-dossier list and
// the audit's replay. On the way, the consultation commands, which no other file sends over HTTP.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findStuckDossiers } from '../../worker/stuck-dossiers.js';
import { replayDossierHistories } from '../../worker/history-replay.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { actor, CENTRE, completeComponents, ECONOMY, LAND_OFFICE, LAND_PROCEDURE, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'visibility' });
});

afterAll(async () => {
  await engine?.close();
});

const reception = actor('reception', CENTRE, 'letan.an');
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');
const landOfficer = actor('officer', LAND_OFFICE, 'vpdk.dung');
const taxOfficer = actor('officer', TAX_OFFICE, 'thue.giang');
const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.1'));

async function command(code: string, path: string, who: ReturnType<typeof actor>, body: unknown) {
  const result = await postCommand(`${engine.url}/dossiers/${code}/${path}`, who, body);
  if (result.status !== 200) throw new Error(`${path} → ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

async function workflowIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of engine.temporal.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

describe('a land dossier consulting the tax office', () => {
  it('takes the consultation and its reply, and is found by its agency, procedure and status, and by the operators\' queries', async () => {
    const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: LAND_PROCEDURE }), await authAs(reception));
    expect(received.status).toBe(201);
    const code: string = received.json.dossierCode;
    await command(code, 'accept', reception, { components: completeComponents(LAND_PROCEDURE) });
    await command(code, 'complete-step', economyOfficer, { stepId: 'commune-verification', outcome: 'approved' });

    const replyBy = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await command(code, 'consult', landOfficer, { stepId: 'land-registration', consultationId: 'tax-code', bodyAgencyCode: TAX_OFFICE, question: 'Đề nghị cho ý kiến về nghĩa vụ tài chính', replyBy });
    const again = await postCommand(`${engine.url}/dossiers/${code}/consult`, landOfficer, { stepId: 'land-registration', consultationId: 'tax-code', bodyAgencyCode: TAX_OFFICE, question: 'Lần hai', replyBy });
    expect(again.json).toMatchObject({ code: 'CONSULTATION_ALREADY_EXISTS' });
    await command(code, 'record-consultation-reply', taxOfficer, { consultationId: 'tax-code', reply: 'Thống nhất' });
    const events = (await getJson(`${engine.url}/dossiers/${code}/events`, await auditor())).json.events.map((event: { type: string }) => event.type);
    expect(events).toEqual(expect.arrayContaining(['ConsultationRequested', 'ConsultationAnswered']));

    const workflowId = dossierWorkflowId(code);
    const status: string = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json.status;
    expect(status).toBe('in-processing');
    // Visibility follows the workflow a moment later: ask until it has caught up.
    const byAttributes = `MotcuaAgencyCode = '${CENTRE}' AND MotcuaProcedureCode = '${LAND_PROCEDURE}' AND MotcuaDossierStatus = '${status}'`;
    await expect.poll(() => workflowIds(byAttributes), { timeout: 30_000, interval: 500 }).toContain(workflowId);
    expect(await workflowIds(`MotcuaProcedureCode = '${LAND_PROCEDURE}' AND WorkflowId = '${workflowId}'`)).toEqual([workflowId]);
    expect(await workflowIds(`MotcuaDossierStatus = 'received' AND WorkflowId = '${workflowId}'`)).toEqual([]);
    expect((await engine.temporal.workflow.count(`MotcuaAgencyCode = '${CENTRE}' AND WorkflowId = '${workflowId}'`)).count).toBe(1);

    // worker/stuck-dossiers.ts's query (running dossier and feedback workflows): ours is running and
    // has no failing activity.
    expect(await workflowIds(`WorkflowType IN ('dossierWorkflow', 'feedbackWorkflow') AND ExecutionStatus = 'Running' AND WorkflowId = '${workflowId}'`)).toEqual([workflowId]);
    expect((await findStuckDossiers(engine.temporal)).map((stuck) => stuck.workflowId)).not.toContain(workflowId);
    // The audit's replay (worker/history-replay.ts) finds its history by a query and replays it.
    const replay = await replayDossierHistories(engine.temporal, { workflowBundlePath: inject('workflowBundlePath'), query: `WorkflowType = 'dossierWorkflow' AND WorkflowId = '${workflowId}'` });
    expect(replay).toEqual({ replayed: 1, failures: [] });
  });
});
