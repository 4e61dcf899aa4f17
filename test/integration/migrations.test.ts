import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.js';
import { MIGRATIONS } from '../../db/migrations/index.js';
import { testDatabase } from '../support/engine.js';

const db = testDatabase(2);
afterAll(() => db.destroy());

describe('migrations', () => {
  it('lists every dated file of db/migrations/', () => {
    const files = readdirSync(new URL('../../db/migrations/', import.meta.url))
      .filter((name) => name !== 'index.ts' && name.endsWith('.ts'))
      .map((name) => name.replace(/\.ts$/, ''));
    expect(Object.keys(MIGRATIONS).sort()).toEqual(files.sort());
    for (const name of files) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}_[a-z0-9-]+$/);
  });

  it('are applied once: running them again changes nothing', async () => {
    await migrateToLatest(db);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    expect(rows.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS).sort());
  });
});
