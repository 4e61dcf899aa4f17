// dev/temporal-postgres.ts, the production Temporal server on PostgreSQL as the cluster mode, the
// fault runs and the disaster-recovery test drive it: its workflows survive a SIGKILL and a restart,
// a second start on the same databases changes nothing, and after its databases are dropped it
// starts again from nothing. A server of its own, on databases of its own in the suite's PostgreSQL.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropTemporalDatabases, type RunningTemporalOnPostgres, startTemporalOnPostgres, type TemporalOnPostgresOptions } from '../../dev/temporal-postgres.js';
import { createLogger } from '../../platform/logger.js';
import { dossierSearchAttributes } from '../../workflows/search-attributes.js';

const logger = createLogger({ level: 'warn', pretty: false, name: 'temporal-on-postgres-test' });
const suffix = randomBytes(4).toString('hex');
const url = new URL(inject('databaseUrl'));
const databases = { main: `temporal_${suffix}`, visibility: `temporal_${suffix}_visibility` };
const options: TemporalOnPostgresOptions = {
  dataDir: path.join(inject('scratchDir'), `temporal-${suffix}`),
  postgres: { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username) },
  databases,
  namespace: 'motcua-own',
};
const running: RunningTemporalOnPostgres[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  await dropTemporalDatabases(options);
});

async function start(): Promise<{ server: RunningTemporalOnPostgres; client: Client; close(): Promise<void> }> {
  const server = await startTemporalOnPostgres(options, logger);
  running.push(server);
  const connection = await Connection.connect({ address: server.address });
  return { server, client: new Client({ connection, namespace: options.namespace }), close: () => connection.close() };
}

/** A workflow nobody runs (no worker polls its queue): it stays open, with our search attributes. */
async function startIdle(client: Client, workflowId: string): Promise<void> {
  await client.workflow.start('dossierWorkflow', {
    taskQueue: `nobody-${suffix}`,
    workflowId,
    args: [],
    typedSearchAttributes: dossierSearchAttributes({ agencyCode: `AG-${suffix}`, procedureCode: 'P-1', status: 'none' }),
  });
}

async function listedByAgency(client: Client): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query: `MotcuaAgencyCode = 'AG-${suffix}'` })) ids.push(execution.workflowId);
  return ids.sort();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function databasesPresent(): Promise<string[]> {
  const client = new pg.Client({ host: options.postgres.host, port: options.postgres.port, user: options.postgres.user, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname', [[databases.main, databases.visibility]]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('Temporal Server on PostgreSQL', () => {
  it('keeps its workflows across a SIGKILL and a restart, and across a second start on the same databases', async () => {
    const first = await start();
    expect(await databasesPresent()).toEqual([databases.main, databases.visibility].sort());
    await startIdle(first.client, `kept-${suffix}`);
    await expect.poll(() => listedByAgency(first.client), { timeout: 30_000, interval: 250 }).toEqual([`kept-${suffix}`]);
    const metrics = await fetch(first.server.metricsUrl);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('persistence_requests');

    const killedPid = first.server.pid;
    await first.server.kill();
    expect(alive(killedPid)).toBe(false);
    await first.server.restart();
    expect(first.server.pid).not.toBe(killedPid);
    expect((await first.client.workflow.getHandle(`kept-${suffix}`).describe()).status.name).toBe('RUNNING');

    await first.server.stop();
    await first.close();
    const second = await start();
    expect((await second.client.workflow.getHandle(`kept-${suffix}`).describe()).status.name).toBe('RUNNING');
    expect(await listedByAgency(second.client)).toEqual([`kept-${suffix}`]);
    await second.server.stop();
    await second.close();
    // Three server starts (schema check, namespace cache, search attributes: 10-30 s each on a busy
    // CI machine) do not fit the project's 90 s.
  }, 300_000);

  it('starts from nothing after its databases are dropped, with the namespace and search attributes registered again', async () => {
    await dropTemporalDatabases(options);
    expect(await databasesPresent()).toEqual([]);
    const fresh = await start();
    await expect(fresh.client.workflow.getHandle(`kept-${suffix}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await startIdle(fresh.client, `after-${suffix}`);
    await expect.poll(() => listedByAgency(fresh.client), { timeout: 30_000, interval: 250 }).toEqual([`after-${suffix}`]);
    await fresh.server.stop();
    await fresh.close();
  }, 180_000);
});
