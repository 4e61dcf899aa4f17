import { type Kysely, sql } from 'kysely';
import { foldForSearch } from '../../domain/search-text.js';

// The look-up of a dossier by its applicant (GET /dossiers?applicantName=&applicantId=, the
// console's search): the summary gains the applicant's name folded for an accent-insensitive match
// (domain/search-text.ts) and a keyed hash of the identity number (db/projections/applicant-search.ts).
// The folded names of existing rows are filled here from the names the summary holds. The hash
// needs the server key (MOTCUA_APPLICANT_KEY), which a migration does not have: the worker sets it
// for every dossier received from now on, and a deployment with dossiers from before runs
// `npm run projections:rebuild applicant-search` once so they are found by number too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dossier_summary ADD COLUMN applicant_name_folded text, ADD COLUMN applicant_id_hash text`.execute(db);
  await sql`CREATE INDEX dossier_summary_applicant_id_hash ON dossier_summary (applicant_id_hash) WHERE applicant_id_hash IS NOT NULL`.execute(db);
  let after = '';
  for (;;) {
    const page = await sql<{ dossier_code: string; applicant_name: string }>`
      SELECT dossier_code, applicant_name FROM dossier_summary WHERE dossier_code > ${after} ORDER BY dossier_code LIMIT 1000`.execute(db);
    if (page.rows.length === 0) break;
    const codes = page.rows.map((row) => row.dossier_code);
    const folded = page.rows.map((row) => foldForSearch(row.applicant_name));
    await sql`
      UPDATE dossier_summary s SET applicant_name_folded = f.folded
        FROM unnest(${codes}::text[], ${folded}::text[]) AS f(code, folded)
       WHERE s.dossier_code = f.code`.execute(db);
    after = codes[codes.length - 1]!;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dossier_summary DROP COLUMN applicant_name_folded, DROP COLUMN applicant_id_hash`.execute(db);
}
