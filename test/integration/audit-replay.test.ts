// The audit's replay check: read models recomputed from the events must equal the stored ones, and
// dossier workflows' histories must replay on the current code.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkDossierProjections } from '../../db/projection-check.js';
import { replayDossierHistories } from '../../worker/history-replay.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY } from '../support/dossier-fixtures.js';
import { authAs, documentsIssued, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'audit' });
});
afterAll(() => engine?.close());

async function processedDossier(): Promise<string> {
  const created = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE }), await authAs(actor('reception', CENTRE)));
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const code: string = created.json.dossierCode;
  const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', CENTRE), { components: completeComponents(BUSINESS_PROCEDURE) });
  expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
  const completed = await postCommand(`${engine.url}/dossiers/${code}/complete-step`, actor('officer', ECONOMY), { stepId: 'business-registration', outcome: 'approved' });
  expect(completed.status, JSON.stringify(completed.json)).toBe(200);
  // The receipt (form 01) is recorded beside the commands, by an append of its own; wait for it so
  // that no append rewrites the read models while a test edits them.
  await documentsIssued(engine.url, code, ['form-01'], await authAs(actor('reception', CENTRE)));
  return code;
}

describe('the replay check', () => {
  it('finds the read models equal to a fresh fold of the events', async () => {
    const code = await processedDossier();
    expect(await checkDossierProjections(engine.db, code)).toEqual([]);
  });

  it('names the table and column of a read model edited behind the events’ back', async () => {
    const code = await processedDossier();
    await sql`UPDATE dossier_summary SET status = 'returned', portal_status = 10 WHERE dossier_code = ${code}`.execute(engine.db);
    await sql`UPDATE control_slip SET mark = 'late' WHERE dossier_code = ${code}`.execute(engine.db);
    const mismatches = await checkDossierProjections(engine.db, code);
    expect(mismatches.map((mismatch) => `${mismatch.table} ${mismatch.detail.split(':')[0]}`)).toEqual(
      expect.arrayContaining(['dossier_summary status', 'dossier_summary portal_status', 'control_slip business-registration#1']),
    );
  });

  it('names an edited personal column without printing either value', async () => {
    const code = await processedDossier();
    const stored = await engine.db.selectFrom('dossier_summary').select('applicant_name').where('dossier_code', '=', code).executeTakeFirstOrThrow();
    await sql`UPDATE dossier_summary SET applicant_name = 'Nguyễn Thị Tampered' WHERE dossier_code = ${code}`.execute(engine.db);
    const mismatches = await checkDossierProjections(engine.db, code);
    const names = mismatches.filter((mismatch) => mismatch.detail.startsWith('applicant_name:'));
    expect(names).toHaveLength(1);
    expect(names[0]!.detail).not.toContain('Tampered');
    expect(names[0]!.detail).not.toContain(stored.applicant_name);
  });

  it('replays the dossier workflows’ histories from Temporal on the current code', async () => {
    const code = await processedDossier();
    const result = await replayDossierHistories(engine.temporal, { workflowBundlePath: inject('workflowBundlePath'), query: `WorkflowId = 'dossier-${code}'` });
    expect(result).toEqual({ replayed: 1, failures: [] });
  });
});

describe('the history command', () => {
  const cli = fileURLToPath(new URL('../../db/audit-history-cli.ts', import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' }, encoding: 'utf8' });

  it('prints a dossier\'s events as readable lines, and the dossier as it stood at an instant', async () => {
    const code = await processedDossier();
    const history = run(code);
    expect(history.status).toBe(0);
    expect(history.stdout).toContain('Tiếp nhận hồ sơ (trực tiếp), thủ tục 2.000720 | Received (counter) for procedure 2.000720');
    expect(history.stdout).toMatch(/v  2 .* reception reception@000\.01\.01\.H99@000\.01\.01\.H99 .* Tiếp nhận hồ sơ hợp lệ \(mẫu 01\)/);
    const then = run(code, '--at', new Date().toISOString());
    expect(then.stdout).toMatch(new RegExp(`^${code.replaceAll('.', '\\.')} at .*: in-processing`));
    expect(run('not-a-code').status).toBe(2);
  });
});
