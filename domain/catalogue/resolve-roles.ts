// Which agencies a dossier meets, from the procedure's roles and the province's agency directory on
// the acceptance day. Pure: the API reads the catalogue and the directory, calls this, and pins the
// answer (a procedure with concrete agency codes) with the record of how it was reached, so the
// workflow never reads the directory and an audit can see why each body was chosen. Agencies a
// procedure names by code are checked too: one the directory knows must serve the dossier's locality.
import type { AdministrativeUnit, AgencyDirectory, DirectoryEntry, RoleResolution } from './directory.js';
import type { CatalogueProcedure, ProcedureVersion, RouteStep } from './procedure.js';

export interface ResolutionInput {
  readonly procedure: CatalogueProcedure;
  /** The province's directory as loaded; null when none was loaded (fixed agency codes only). */
  readonly directory: AgencyDirectory | null;
  readonly receivingAgencyCode: string;
  /** The locality whose bodies resolve the dossier, as reception named it; else the centre's own. */
  readonly localityCode?: string | undefined;
  /** The day the directory is read for, YYYY-MM-DD (the acceptance day, Vietnamese time). */
  readonly day: string;
}

export interface ResolutionError {
  readonly code: 'UNKNOWN_LOCALITY' | 'JURISDICTION_UNRESOLVED';
  readonly message: string;
  readonly rule: string;
  readonly field?: string;
}

export type Resolution =
  | { readonly ok: true; readonly procedure: ProcedureVersion; readonly record?: RoleResolution }
  | { readonly ok: false; readonly error: ResolutionError };

export const RESOLUTION_RULE =
  "A procedure's competent body and route are the bodies the province's agency directory assigns to the dossier's locality on the day it is accepted; an agency the procedure names by code must serve that locality that day when the directory knows it (docs/catalogue.md#resolution)";
export const BOUNDARY_RULE =
  'A dossier may be received at any one-stop centre of the province, regardless of administrative boundary, and goes to the body competent for its locality (Decree 118/2025/NĐ-CP; Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP; docs/catalogue.md#reception-regardless-of-boundary)';

const FOREVER = '9999-12-31';
const validOn = (thing: { readonly validFrom: string; readonly validUntil: string | null }, day: string) => thing.validFrom <= day && day <= (thing.validUntil ?? FOREVER);

/** Every role the procedure names, in route order after the competent body's. */
export function rolesOf(procedure: CatalogueProcedure): string[] {
  const roles = [procedure.competentRole, ...procedure.route.stages.flatMap((stage) => stage.steps.map((step) => step.role))];
  return [...new Set(roles.filter((role): role is string => role !== undefined))];
}

export function resolveProcedure(input: ResolutionInput): Resolution {
  const { procedure, directory, day } = input;
  const roles = rolesOf(procedure);
  if (directory === null) {
    if (roles.length > 0) {
      return fail('JURISDICTION_UNRESOLVED', `Procedure ${procedure.code} version ${procedure.version} names roles (${roles.join(', ')}), but no agency directory is loaded; load the province's catalogue with its directory (npm run catalogue:load).`);
    }
    if (input.localityCode !== undefined) return { ok: false, error: noDirectoryFor(input.localityCode) };
    return { ok: true, procedure: concrete(procedure, () => undefined) };
  }
  const dissolved = fixedCodes(procedure).map((code) => dissolvedAgency(directory, code, day)).find((message) => message !== undefined);
  if (dissolved) return fail('JURISDICTION_UNRESOLVED', dissolved);
  // A fixed agency the directory knows serves the units its entries list: the dossier's locality must
  // be one of them. One it does not know (a catalogue's own office outside the directory) is taken as
  // the procedure names it, as before directories.
  const local = fixedCodes(procedure).filter((code) => servesPartOnly(directory, code, day));
  // Fixed codes serving anywhere and no locality named: nothing to resolve, nothing to record (as before directories).
  if (roles.length === 0 && local.length === 0 && input.localityCode === undefined) return { ok: true, procedure: concrete(procedure, () => undefined) };

  const why = local.length > 0 ? ` Agency ${local[0]}, which procedure ${procedure.code} version ${procedure.version} names, serves only ${servedBy(directory, local[0]!, day).join(', ')} that day.` : '';
  const place = localityOf(input, directory, why);
  if ('error' in place) return { ok: false, error: place.error };
  const { locality, named, from } = place;
  const chain = chainOf(directory, locality);
  for (const code of local) {
    if (!servedBy(directory, code, day).some((served) => chain.includes(served))) return { ok: false, error: outsideArea(procedure, directory, code, input, locality) };
  }
  // Fixed codes only, checked against the centre's own commune: nothing resolved, nothing to record (as before).
  if (roles.length === 0 && input.localityCode === undefined) return { ok: true, procedure: concrete(procedure, () => undefined) };

  const holders = new Map<string, { readonly entry: DirectoryEntry; readonly served: string }>();
  for (const role of roles) {
    const holder = holderOf(directory, role, locality, chain, day);
    if (typeof holder === 'string') return fail('JURISDICTION_UNRESOLVED', holder);
    holders.set(role, holder);
  }
  const codeFor = (role: string | undefined) => (role === undefined ? undefined : holders.get(role)!.entry.agencyCode);
  const assignment = (target: string, role: string) => ({ target, role, agencyCode: holders.get(role)!.entry.agencyCode, servedUnitCode: holders.get(role)!.served });
  const record: RoleResolution = {
    directoryVersion: directory.version,
    day,
    locality: { code: locality.code, name: locality.name },
    localityFrom: from,
    ...(named && named !== locality.code ? { namedLocalityCode: named } : {}),
    assignments: [
      ...(procedure.competentRole ? [assignment('competent', procedure.competentRole)] : []),
      ...procedure.route.stages.flatMap((stage) => stage.steps.flatMap((step) => (step.role ? [assignment(step.id, step.role)] : []))),
    ],
  };
  return { ok: true, procedure: concrete(procedure, codeFor), record };
}

/**
 * Why a locality named at reception cannot be a dossier's on `day`, or undefined when it can: the
 * check reception runs even when no version of the procedure is in force that day, so a code that
 * resolves nothing is never stored.
 */
export function namedLocalityProblem(directory: AgencyDirectory | null, localityCode: string, day: string): ResolutionError | undefined {
  if (directory === null) return noDirectoryFor(localityCode);
  const found = namedLocality(directory, localityCode, day);
  return 'error' in found ? found.error : undefined;
}

/** The procedure with every role replaced by its holder's code, in the shape a dossier pins. */
function concrete(procedure: CatalogueProcedure, codeFor: (role: string | undefined) => string | undefined): ProcedureVersion {
  const { competentRole, ...rest } = procedure;
  const stages = procedure.route.stages.map((stage) => ({
    steps: stage.steps.map(({ role, agencyCode, ...step }): RouteStep => ({ ...step, agencyCode: agencyCode ?? codeFor(role)! })),
  }));
  return { ...rest, competentAgencyCode: procedure.competentAgencyCode ?? codeFor(competentRole)!, route: { stages } };
}

function fixedCodes(procedure: CatalogueProcedure): string[] {
  const codes = [procedure.competentAgencyCode, ...procedure.route.stages.flatMap((stage) => stage.steps.map((step) => step.agencyCode))];
  return [...new Set(codes.filter((code): code is string => code !== undefined))];
}

/** Why a fixed agency can no longer act on `day`, when the directory knows it and it has ended. */
function dissolvedAgency(directory: AgencyDirectory, code: string, day: string): string | undefined {
  const entries = directory.entries.filter((entry) => entry.agencyCode === code);
  if (entries.length === 0 || entries.some((entry) => validOn(entry, day))) return undefined;
  const last = [...entries].sort((a, b) => ((a.validUntil ?? FOREVER) < (b.validUntil ?? FOREVER) ? 1 : -1))[0]!;
  const when = last.validFrom > day ? `exists only from ${last.validFrom}` : `ceased on ${last.validUntil}`;
  return `Agency ${code}, which the procedure names, ${when} in directory ${directory.version}${last.successorCode ? `; its successor is ${last.successorCode}` : ''}. Publish a new procedure version naming ${last.successorCode ?? 'the body now in charge'} or a role.`;
}

type Place = { readonly locality: AdministrativeUnit; readonly named: string | undefined; readonly from: RoleResolution['localityFrom'] } | { readonly error: ResolutionError };

const localityError = (message: string): { readonly error: ResolutionError } => ({ error: { code: 'UNKNOWN_LOCALITY', message, rule: BOUNDARY_RULE, field: 'locality' } });

function noDirectoryFor(localityCode: string): ResolutionError {
  return localityError(`No agency directory is loaded, so locality ${localityCode} is not known; load the province's directory (npm run catalogue:load) or leave locality out.`).error;
}

/** The dossier's locality on `day`: as named (following mergers to the successor), else the one the receiving centre serves. */
function localityOf(input: ResolutionInput, directory: AgencyDirectory, why: string): Place {
  const { day } = input;
  if (input.localityCode !== undefined) {
    const found = namedLocality(directory, input.localityCode, day);
    return 'error' in found ? found : { locality: found.unit, named: input.localityCode, from: 'reception-request' };
  }
  const served = [
    ...new Set(directory.entries.filter((entry) => entry.agencyCode === input.receivingAgencyCode && validOn(entry, day)).flatMap((entry) => entry.serves)),
  ].map((code) => unitOf(directory, code)!);
  const own = served.filter((unit) => validOn(unit, day) && unit.kind !== 'province');
  if (own.length === 1) return { locality: own[0]!, named: undefined, from: 'receiving-centre' };
  const serves = own.length === 0 ? 'serves no commune' : `serves ${own.length} communes (${own.map((unit) => unit.code).join(', ')})`;
  return localityError(
    `Receiving centre ${input.receivingAgencyCode} ${serves} in agency directory ${directory.version} on ${day}, so the dossier's locality is not known; name it in the reception request (locality).${why}`,
  );
}

/** A named unit on `day`: a commune, ward or special zone of the directory, followed through mergers to its successor. */
function namedLocality(directory: AgencyDirectory, localityCode: string, day: string): { readonly unit: AdministrativeUnit } | { readonly error: ResolutionError } {
  let unit = unitOf(directory, localityCode);
  if (!unit) return localityError(`No administrative unit ${localityCode} is in agency directory ${directory.version}; name a commune, ward or special zone of the directory.`);
  const path = [unit.code];
  while (!validOn(unit, day)) {
    const successor: AdministrativeUnit | undefined = unit.validFrom <= day && unit.successorCode ? unitOf(directory, unit.successorCode) : undefined;
    if (!successor || path.includes(successor.code)) {
      const state = unit.validFrom > day ? `exists only from ${unit.validFrom}` : `ceased on ${unit.validUntil} with no successor`;
      return localityError(`Administrative unit ${path.join(' → ')} (${unit.name}) ${state} in agency directory ${directory.version}; name the unit in existence on ${day}.`);
    }
    path.push(successor.code);
    unit = successor;
  }
  if (unit.kind === 'province') {
    // A province's dossier has no one commune whose bodies resolve it: the caller must say which.
    return localityError(`Administrative unit ${path.join(' → ')} (${unit.name}) is a province in agency directory ${directory.version}; name the commune, ward or special zone whose bodies resolve the dossier, or leave locality out for the receiving centre's own.`);
  }
  return { unit };
}

const unitOf = (directory: AgencyDirectory, code: string) => directory.administrativeUnits.find((unit) => unit.code === code);

/** The locality and the units above it (its province), nearest first. */
function chainOf(directory: AgencyDirectory, locality: AdministrativeUnit): string[] {
  const chain: string[] = [];
  for (let unit: AdministrativeUnit | undefined = locality; unit && !chain.includes(unit.code); unit = unit.parentCode ? unitOf(directory, unit.parentCode) : undefined) {
    chain.push(unit.code);
  }
  return chain;
}

/** The units a fixed agency's entries serve on `day`. */
function servedBy(directory: AgencyDirectory, code: string, day: string): string[] {
  return [...new Set(directory.entries.filter((entry) => entry.agencyCode === code && validOn(entry, day)).flatMap((entry) => entry.serves))];
}

/** Whether the directory knows a fixed agency and, on `day`, it serves some units but not a whole province. */
function servesPartOnly(directory: AgencyDirectory, code: string, day: string): boolean {
  const served = servedBy(directory, code, day);
  return served.length > 0 && !served.some((unitCode) => unitOf(directory, unitCode)?.kind === 'province');
}

function outsideArea(procedure: CatalogueProcedure, directory: AgencyDirectory, code: string, input: ResolutionInput, locality: AdministrativeUnit): ResolutionError {
  const { day } = input;
  const where = input.localityCode !== undefined ? 'the locality named at reception' : `the commune of receiving centre ${input.receivingAgencyCode}`;
  return {
    code: 'JURISDICTION_UNRESOLVED',
    message:
      `Agency ${code}, which procedure ${procedure.code} version ${procedure.version} names, does not serve ${locality.code} (${locality.name}), ${where}, on ${day} in agency directory ${directory.version}; ` +
      `it serves ${servedBy(directory, code, day).join(', ')}. Publish a procedure version that names a role instead (each locality's own body then resolves it), or, if the agency does serve ${locality.code}, ` +
      `add it to the agency's entry in a new directory version (npm run catalogue:load); until then the procedure cannot be received for ${locality.code}.`,
    rule: RESOLUTION_RULE,
    ...(input.localityCode !== undefined ? { field: 'locality' } : {}),
  };
}

/** The one entry playing `role` for `locality` on `day`: one serving the locality itself before one serving its province. */
function holderOf(directory: AgencyDirectory, role: string, locality: AdministrativeUnit, chain: readonly string[], day: string): { entry: DirectoryEntry; served: string } | string {
  for (const served of chain) {
    const holders = directory.entries.filter((entry) => entry.roles.includes(role) && entry.serves.includes(served) && validOn(entry, day));
    if (holders.length === 1) return { entry: holders[0]!, served };
    if (holders.length > 1) {
      return `Agencies ${holders.map((entry) => entry.agencyCode).join(' and ')} all play ${role} for ${served} on ${day} in agency directory ${directory.version}; a role has one holder per unit and day, so correct the directory and load it again.`;
    }
  }
  const ended = directory.entries.filter((entry) => entry.roles.includes(role) && chain.some((code) => entry.serves.includes(code)) && (entry.validUntil ?? FOREVER) < day);
  const hint = ended.length > 0 ? ` (${ended.map((entry) => `${entry.agencyCode} until ${entry.validUntil}${entry.successorCode ? `, succeeded by ${entry.successorCode}` : ''}`).join('; ')})` : '';
  return `No agency plays ${role} for ${locality.code} (${locality.name}) on ${day} in agency directory ${directory.version}${hint}; add an entry with that role serving ${locality.code} to the directory and load it (npm run catalogue:load).`;
}

function fail(code: ResolutionError['code'], message: string): Resolution {
  return { ok: false, error: { code, message, rule: RESOLUTION_RULE } };
}
