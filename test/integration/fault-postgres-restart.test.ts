// PostgreSQL restarts while commands are appending events: the activities retry until it is back,
// clients retry with their Idempotency-Key, and in the end every command acted exactly once, every
// stream is gap-free with an intact hash chain, and the read models agree with the events.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { connectAndMigrate } from '../../db/connect.js';
import { verifyStream } from '../../db/event-integrity.js';
import { checkDossierProjections } from '../../db/projection-check.js';
import { freePort } from '../../dev/free-port.js';
import { startPostgres, type RunningPostgres } from '../../dev/postgres-server.js';
import { createLogger } from '../../platform/logger.js';
import { actor, BUSINESS_PROCEDURE, completeComponents, ECONOMY } from '../support/dossier-fixtures.js';
import { authAs, postInsisting, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

const logger = createLogger({ level: 'silent', name: 'fault-test' });
const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-pg-restart-'));
chmodSync(scratch, 0o755);
const clusterDir = path.join(scratch, 'postgres');
let port: number;
let postgres: RunningPostgres;
let engine: TestEngine;

beforeAll(async () => {
  port = await freePort();
  postgres = await startPostgres({ clusterDir, port, disposable: true }, logger);
  const setup = await connectAndMigrate({ connectionString: postgres.url, poolSize: 1, applicationName: 'fault-setup' }, logger);
  await loadCatalogue(setup, readCatalogueFile(SAMPLE_CATALOGUE_FILE)).finally(() => setup.destroy());
  engine = await startTestEngine({ name: 'pg-restart', databaseUrl: postgres.url });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
});


describe('a PostgreSQL restart in the middle of appends', () => {
  it('loses and doubles nothing', async () => {
    // A centre of its own: this PostgreSQL numbers dossiers from 0001, and the Temporal server is
    // the suite's, where the sample centre's first codes are other tests' workflows.
    const centre = await engine.newCentre();
    const desk = await authAs(actor('reception', centre));
    const head = await authAs(actor('head', ECONOMY));
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const received = await postInsisting(`${engine.url}/dossiers`, receptionBody(centre, { procedureCode: BUSINESS_PROCEDURE }), desk, `receive-${i}`);
      const code = received.json.dossierCode as string;
      await postInsisting(`${engine.url}/dossiers/${code}/accept`, { components: completeComponents(BUSINESS_PROCEDURE) }, desk, `accept-${code}`);
      codes.push(code);
    }

    const assignments = 5;
    const commands = Promise.all(
      codes.map(async (code) => {
        for (let n = 0; n < assignments; n += 1) {
          const answer = await postInsisting(`${engine.url}/dossiers/${code}/assign-handler`, { stepId: 'business-registration', handlerUserId: `chuyenvien.${n}` }, head, `assign-${code}-${n}`);
          expect(answer, JSON.stringify(answer.json)).toMatchObject({ status: 200 });
        }
      }),
    );
    // Restart the database while the commands run.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    postgres = await startPostgres({ clusterDir, port, disposable: true }, logger);
    await commands;

    for (const code of codes) {
      const events = await engine.db.selectFrom('events').select(['type', 'stream_version']).where('stream_id', '=', code).orderBy('stream_version').execute();
      expect(events.map((event) => event.stream_version)).toEqual(events.map((_, index) => index + 1));
      expect(events.filter((event) => event.type === 'HandlerAssigned')).toHaveLength(assignments);
      expect(events.filter((event) => event.type === 'DossierAccepted')).toHaveLength(1);
      expect(await verifyStream(engine.db, code)).toMatchObject({ intact: true });
      expect(await checkDossierProjections(engine.db, code)).toEqual([]);
    }
  }, 300_000);
});
