// Loading and reading the catalogues. Loading is idempotent (run it at every start): agencies are
// upserted, procedure versions and agency directory versions inserted once; a loaded version whose
// content changed is refused, because dossiers accepted under it must keep meaning what they meant.
import { readFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { type Agency, agencySchema } from '../domain/catalogue/agency.js';
import { type CatalogueFile, catalogueFileSchema } from '../domain/catalogue/catalogue-file.js';
import { type AgencyDirectory, storedDirectorySchema } from '../domain/catalogue/directory.js';
import { type CatalogueProcedure, catalogueProcedureSchema, versionInForce } from '../domain/catalogue/procedure.js';
import { rolesOf } from '../domain/catalogue/resolve-roles.js';
import type { Database } from './schema.js';

export const SAMPLE_CATALOGUE_FILE = new URL('../catalogue/sample-catalogue.json', import.meta.url).pathname;

export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
}

/** Reads and checks a catalogue file; the error names the file, the entry and the rule. */
export function readCatalogueFile(file: string): CatalogueFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogueError(`catalogue ${file} is not readable JSON: ${(error as Error).message}`);
  }
  const parsed = catalogueFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`).join('\n');
    throw new CatalogueError(`catalogue ${file} is not valid:\n${problems}`);
  }
  return parsed.data;
}

export interface CatalogueLoadResult {
  readonly agencies: number;
  readonly proceduresAdded: number;
  readonly proceduresUnchanged: number;
  readonly targets: number;
  /** The directory version the file carried, and whether this load added it. */
  readonly directory?: { readonly version: string; readonly added: boolean };
}

export async function loadCatalogue(db: Kysely<Database>, catalogue: Omit<CatalogueFile, 'targets'> & { targets?: CatalogueFile['targets'] }): Promise<CatalogueLoadResult> {
  return db.transaction().execute(async (trx) => {
    // Parents before children at every depth, so the foreign key holds whatever the file's order.
    const ordered: typeof catalogue.agencies = [];
    const placed = new Set<string>();
    let pending = [...catalogue.agencies];
    while (pending.length > 0) {
      const ready = pending.filter((agency) => agency.parentCode === null || placed.has(agency.parentCode) || !pending.some((other) => other.code === agency.parentCode));
      if (ready.length === 0) throw new CatalogueError(`agencies ${pending.map((agency) => agency.code).join(', ')} are each other's parents`);
      for (const agency of ready) {
        ordered.push(agency);
        placed.add(agency.code);
      }
      pending = pending.filter((agency) => !placed.has(agency.code));
    }
    for (const agency of ordered) {
      await trx
        .insertInto('agencies')
        .values({ code: agency.code, name: agency.name, kind: agency.kind, parent_code: agency.parentCode, definition: JSON.stringify(agency) })
        .onConflict((oc) =>
          oc.column('code').doUpdateSet({ name: agency.name, kind: agency.kind, parent_code: agency.parentCode, definition: JSON.stringify(agency), updated_at: sql<string>`now()` }),
        )
        .execute();
    }
    const directory = catalogue.directory ? await storeDirectory(trx, catalogue.directory) : undefined;
    const roles = new Set((catalogue.directory ?? (await currentDirectory(trx)))?.entries.flatMap((entry) => entry.roles));
    for (const procedure of catalogue.procedures) {
      const unknown = rolesOf(procedure).filter((role) => !roles.has(role));
      if (unknown.length > 0) {
        throw new CatalogueError(`procedure ${procedure.code} version ${procedure.version} names roles no agency of the directory plays (${unknown.join(', ')}); load a directory that assigns them`);
      }
    }
    let proceduresAdded = 0;
    let proceduresUnchanged = 0;
    for (const procedure of catalogue.procedures) {
      const inserted = await trx
        .insertInto('procedure_versions')
        .values({
          code: procedure.code,
          version: procedure.version,
          effective_from: procedure.effectiveFrom,
          effective_until: procedure.effectiveUntil,
          name: procedure.name,
          sample: procedure.sample,
          definition: JSON.stringify(procedure),
        })
        .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
        .returning('code')
        .executeTakeFirst();
      if (inserted) {
        proceduresAdded += 1;
        continue;
      }
      const stored = await trx.selectFrom('procedure_versions').select('definition').where('code', '=', procedure.code).where('version', '=', procedure.version).executeTakeFirstOrThrow();
      if (JSON.stringify(catalogueProcedureSchema.parse(stored.definition)) !== JSON.stringify(procedure)) {
        throw new CatalogueError(
          `procedure ${procedure.code} version ${procedure.version} is already loaded with different content; dossiers may have been accepted under it, so publish the change as a new version`,
        );
      }
      proceduresUnchanged += 1;
    }
    // Targets are plan data, not history: a later file replaces a unit's target for that year.
    for (const target of catalogue.targets ?? []) {
      const row = { agency_code: target.agencyCode, year: target.year, indicator: target.indicator, target: target.target, source: target.source };
      await trx
        .insertInto('report_targets')
        .values(row)
        .onConflict((oc) => oc.columns(['agency_code', 'year', 'indicator']).doUpdateSet({ target: target.target, source: target.source }))
        .execute();
    }
    return { agencies: catalogue.agencies.length, proceduresAdded, proceduresUnchanged, targets: catalogue.targets?.length ?? 0, ...(directory ? { directory } : {}) };
  });
}

/** Adds a directory version once; the same version with other content is refused (resolutions name it). */
async function storeDirectory(trx: Kysely<Database>, directory: AgencyDirectory): Promise<{ version: string; added: boolean }> {
  const inserted = await trx
    .insertInto('agency_directories')
    .values({ version: directory.version, definition: JSON.stringify(directory) })
    .onConflict((oc) => oc.column('version').doNothing())
    .returning('version')
    .executeTakeFirst();
  if (inserted) return { version: directory.version, added: true };
  const stored = await trx.selectFrom('agency_directories').select('definition').where('version', '=', directory.version).executeTakeFirstOrThrow();
  if (JSON.stringify(storedDirectorySchema.parse(stored.definition)) !== JSON.stringify(directory)) {
    throw new CatalogueError(`agency directory version ${directory.version} is already loaded with different content; dossiers may have been resolved under it, so publish the change as a new version`);
  }
  return { version: directory.version, added: false };
}

/** The directory acceptances read: the latest version loaded, or null when none was. */
export async function currentDirectory(db: Kysely<Database>): Promise<AgencyDirectory | null> {
  const row = await db.selectFrom('agency_directories').select('definition').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? storedDirectorySchema.parse(row.definition) : null;
}

export async function findAgency(db: Kysely<Database>, code: string): Promise<Agency | undefined> {
  const row = await db.selectFrom('agencies').select('definition').where('code', '=', code).executeTakeFirst();
  return row ? agencySchema.parse(row.definition) : undefined;
}

export async function findAgencies(db: Kysely<Database>, codes: readonly string[]): Promise<Agency[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('agencies').select('definition').where('code', 'in', [...codes]).execute();
  return rows.map((row) => agencySchema.parse(row.definition));
}

/** The agencies whose catalogue entry declares this signing certificate (SHA-256 of its DER). */
export async function agenciesDeclaringCertificate(db: Kysely<Database>, certificateSha256: string): Promise<Agency[]> {
  const rows = await db.selectFrom('agencies').select('definition').where(sql<boolean>`definition->'signingCertificates' ? ${certificateSha256}`).execute();
  return rows.map((row) => agencySchema.parse(row.definition));
}

/** Every agency's catalogue entry as it was loaded, by code. */
export async function agencyEntries(db: Kysely<Database>): Promise<unknown[]> {
  const rows = await db.selectFrom('agencies').select('definition').orderBy('code').execute();
  return rows.map((row) => row.definition);
}

/** The names of the agencies with these codes that the catalogue holds, by code. */
export async function agencyNames(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('agencies').select(['code', 'name']).where('code', 'in', [...codes]).execute();
  return new Map(rows.map((row) => [row.code, row.name]));
}

/** The version of a procedure in force on a day (`YYYY-MM-DD`). */
export async function procedureInForce(db: Kysely<Database>, code: string, day: string): Promise<CatalogueProcedure | undefined> {
  const rows = await db.selectFrom('procedure_versions').select('definition').where('code', '=', code).execute();
  return versionInForce(rows.map((row) => catalogueProcedureSchema.parse(row.definition)), day);
}

/** Whether any version of the procedure is in the catalogue, in force or not. */
export async function procedureIsCatalogued(db: Kysely<Database>, code: string): Promise<boolean> {
  const row = await db.selectFrom('procedure_versions').select('code').where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

/** The name of a procedure's latest version (by the day it takes effect). */
export async function latestProcedureName(db: Kysely<Database>, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('procedure_versions').select('name').where('code', '=', code).orderBy('effective_from', 'desc').executeTakeFirst();
  return row?.name;
}

export async function listProcedures(db: Kysely<Database>): Promise<CatalogueProcedure[]> {
  const rows = await db.selectFrom('procedure_versions').select('definition').orderBy('code').orderBy('effective_from').execute();
  return z.array(catalogueProcedureSchema).parse(rows.map((row) => row.definition));
}

/** For each procedure code, the version in force on a day (`YYYY-MM-DD`), by the domain's rule; codes with none are left out. */
export async function listProceduresInForce(db: Kysely<Database>, day: string): Promise<CatalogueProcedure[]> {
  const byCode = new Map<string, CatalogueProcedure[]>();
  for (const procedure of await listProcedures(db)) byCode.set(procedure.code, [...(byCode.get(procedure.code) ?? []), procedure]);
  return [...byCode.values()].flatMap((versions) => versionInForce(versions, day) ?? []);
}
