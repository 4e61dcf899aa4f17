// Which agencies a dossier meets, from the procedure's roles and the province's agency directory on
// the acceptance day. Pure: the API reads the catalogue and the directory, calls this, and pins the
// answer (a procedure with concrete agency codes) with the record of how it was reached, so the
// workflow never reads the directory and an audit can see why each body was chosen.
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
  "A procedure's competent body and route are the bodies the province's agency directory assigns to the dossier's locality on the day it is accepted (docs/catalogue.md#resolution)";
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
    if (input.localityCode !== undefined) {
      return { ok: false, error: { code: 'UNKNOWN_LOCALITY', message: `No agency directory is loaded, so locality ${input.localityCode} is not known; load the province's directory (npm run catalogue:load) or leave locality out.`, rule: BOUNDARY_RULE, field: 'locality' } };
    }
    return { ok: true, procedure: concrete(procedure, () => undefined) };
  }
  const dissolved = fixedCodes(procedure).map((code) => dissolvedAgency(directory, code, day)).find((message) => message !== undefined);
  if (dissolved) return fail('JURISDICTION_UNRESOLVED', dissolved);
  // Fixed codes and no locality named: nothing to resolve, nothing to record (as before directories).
  if (roles.length === 0 && input.localityCode === undefined) return { ok: true, procedure: concrete(procedure, () => undefined) };

  const place = localityOf(input, directory);
  if ('error' in place) return { ok: false, error: place.error };
  const { locality, named, from } = place;

  const holders = new Map<string, { readonly entry: DirectoryEntry; readonly served: string }>();
  for (const role of roles) {
    const holder = holderOf(directory, role, locality, day);
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

/** The dossier's locality on `day`: as named (following mergers to the successor), else the one the receiving centre serves. */
function localityOf(input: ResolutionInput, directory: AgencyDirectory): Place {
  const { day } = input;
  const unitByCode = (code: string) => directory.administrativeUnits.find((unit) => unit.code === code);
  if (input.localityCode !== undefined) {
    let unit = unitByCode(input.localityCode);
    if (!unit) {
      return { error: { code: 'UNKNOWN_LOCALITY', message: `No administrative unit ${input.localityCode} is in agency directory ${directory.version}; name a commune, ward or special zone of the directory.`, rule: BOUNDARY_RULE, field: 'locality' } };
    }
    const path = [unit.code];
    while (!validOn(unit, day)) {
      const successor: AdministrativeUnit | undefined = unit.validFrom <= day && unit.successorCode ? unitByCode(unit.successorCode) : undefined;
      if (!successor || path.includes(successor.code)) {
        const state = unit.validFrom > day ? `exists only from ${unit.validFrom}` : `ceased on ${unit.validUntil} with no successor`;
        return { error: { code: 'UNKNOWN_LOCALITY', message: `Administrative unit ${path.join(' → ')} (${unit.name}) ${state} in agency directory ${directory.version}; name the unit in existence on ${day}.`, rule: BOUNDARY_RULE, field: 'locality' } };
      }
      path.push(successor.code);
      unit = successor;
    }
    return { locality: unit, named: input.localityCode, from: 'reception-request' };
  }
  const served = [
    ...new Set(directory.entries.filter((entry) => entry.agencyCode === input.receivingAgencyCode && validOn(entry, day)).flatMap((entry) => entry.serves)),
  ].map((code) => unitByCode(code)!);
  const own = served.filter((unit) => validOn(unit, day) && unit.kind !== 'province');
  if (own.length === 1) return { locality: own[0]!, named: undefined, from: 'receiving-centre' };
  const why = own.length === 0 ? 'serves no commune' : `serves ${own.length} communes (${own.map((unit) => unit.code).join(', ')})`;
  return {
    error: {
      code: 'UNKNOWN_LOCALITY',
      message: `Receiving centre ${input.receivingAgencyCode} ${why} in agency directory ${directory.version} on ${day}, so the dossier's locality is not known; name it in the reception request (locality).`,
      rule: BOUNDARY_RULE,
      field: 'locality',
    },
  };
}

/** The one entry playing `role` for `locality` on `day`: one serving the locality itself before one serving its province. */
function holderOf(directory: AgencyDirectory, role: string, locality: AdministrativeUnit, day: string): { entry: DirectoryEntry; served: string } | string {
  const chain: string[] = [];
  for (let unit: AdministrativeUnit | undefined = locality; unit && !chain.includes(unit.code); unit = unit.parentCode ? directory.administrativeUnits.find((other) => other.code === unit!.parentCode) : undefined) {
    chain.push(unit.code);
  }
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
