import { type Kysely, sql } from 'kysely';

// The index of data already held (db/projections/component-file-index.ts, docs/files.md#reuse):
// approved current component files and issued results, by a keyed hash of the applicant's identity
// number. The hash needs the server key (MOTCUA_APPLICANT_KEY), which a migration does not have:
// the table starts empty, the worker keeps it from then on, and a deployment with dossiers from
// before runs `npm run projections:rebuild component-file-index` once to index them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE component_file_index (
      dossier_code   text        NOT NULL,
      kind           text        NOT NULL CHECK (kind IN ('file', 'result')),
      ref            text        NOT NULL,
      applicant_hash text        NOT NULL,
      agency_code    text        NOT NULL,
      procedure_code text        NOT NULL,
      component_id   text,
      result_code    text,
      sha256         text        NOT NULL,
      size           bigint,
      media_type     text,
      pages          integer,
      origin         text,
      available_at   timestamptz NOT NULL,
      PRIMARY KEY (dossier_code, kind, ref)
    )`.execute(db);
  await sql`CREATE INDEX component_file_index_applicant ON component_file_index (applicant_hash, kind)`.execute(db);
  await sql`CREATE UNIQUE INDEX component_file_index_result_code ON component_file_index (result_code) WHERE result_code IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE component_file_index`.execute(db);
}
