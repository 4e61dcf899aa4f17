// The agency directory (danh bạ cơ quan) of a province: its administrative units (communes, wards,
// special zones, the province itself) and, for each agency, which roles it plays for which of them
// and from when to when. Since 1 July 2025 local government has two levels: communes were merged
// and renamed, district offices dissolved, and branches of the land registration office and the
// area tax offices each serve several communes. A province publishes this as data and loads it
// with its catalogue (docs/catalogue.md); procedures name roles, and acceptance resolves them for
// the dossier's locality on its day (resolve-roles.ts).
import { z } from 'zod';
import { isoDateSchema } from '../calendar/date-schemas.js';
import { agencyCodeSchema } from '../dossier/actor.js';
import { freeText, lineText } from '../text.js';
import { agencyRoleSchema } from './procedure.js';

/** Kinds of administrative unit after the 2025 reform (Resolution 202/2025/QH15; Law 72/2025/QH15 on local government). */
export const ADMINISTRATIVE_UNIT_KINDS = ['province', 'commune', 'ward', 'special-zone'] as const; // tỉnh/thành phố, xã, phường, đặc khu

/** Administrative unit code (mã đơn vị hành chính): 2 digits for a province, 5 for a commune. */
export const administrativeUnitCodeSchema = z.string().regex(/^\d{2,5}$/, 'must be an administrative unit code of 2 to 5 digits, e.g. 99001');

export const administrativeUnitSchema = z.object({
  code: administrativeUnitCodeSchema,
  name: freeText({ max: 300 }).describe('Official name, e.g. Xã Hòa Bình'),
  kind: z.enum(ADMINISTRATIVE_UNIT_KINDS),
  /** The province a commune, ward or special zone belongs to. */
  parentCode: administrativeUnitCodeSchema.nullable().default(null),
  validFrom: isoDateSchema,
  /** The last day the unit existed (merged, renamed or dissolved the day after). */
  validUntil: isoDateSchema.nullable().default(null),
  /** The unit that took over its territory and duties from the day after validUntil. */
  successorCode: administrativeUnitCodeSchema.nullable().default(null),
  basis: freeText({ max: 1000 }).optional().describe('The resolution that created, merged or renamed it'),
});
export type AdministrativeUnit = z.infer<typeof administrativeUnitSchema>;

/**
 * What one agency does for whom over a period: the roles it plays and the administrative units it
 * serves. An agency whose area or roles change gets one entry per period.
 */
export const directoryEntrySchema = z.object({
  agencyCode: agencyCodeSchema,
  roles: z.array(agencyRoleSchema).min(1),
  /** Administrative units served; serving a province serves every unit within it. */
  serves: z.array(administrativeUnitCodeSchema).min(1),
  validFrom: isoDateSchema,
  /** The last day of the entry; the agency is merged, renamed or dissolved the day after. */
  validUntil: isoDateSchema.nullable().default(null),
  /** The agency that takes over its duties after validUntil. */
  successorCode: agencyCodeSchema.nullable().default(null),
  basis: freeText({ max: 1000 }).optional().describe('The decision that assigns the roles or the area'),
});
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

/** A directory as stored after its checks at load; reading it back skips them (they grow with the province). */
export const storedDirectorySchema = z.object({
  /** A loaded version is never changed: resolutions name the version they read. */
  version: lineText(100).min(1),
  basis: freeText({ max: 2000 }).optional().describe('The provincial decision the directory follows'),
  administrativeUnits: z.array(administrativeUnitSchema),
  entries: z.array(directoryEntrySchema),
});

export const agencyDirectorySchema = storedDirectorySchema.superRefine((directory, context) => {
  const units = new Set(directory.administrativeUnits.map((unit) => unit.code));
  const seen = new Set<string>();
  directory.administrativeUnits.forEach((unit, index) => {
    if (seen.has(unit.code)) context.addIssue({ code: 'custom', path: ['administrativeUnits', index, 'code'], message: `administrative unit ${unit.code} appears twice` });
    seen.add(unit.code);
    for (const [field, code] of [['parentCode', unit.parentCode], ['successorCode', unit.successorCode]] as const) {
      if (code !== null && !units.has(code)) context.addIssue({ code: 'custom', path: ['administrativeUnits', index, field], message: `no administrative unit ${code} in this directory` });
    }
    if (unit.validUntil !== null && unit.validUntil < unit.validFrom) {
      context.addIssue({ code: 'custom', path: ['administrativeUnits', index, 'validUntil'], message: 'ends before it begins' });
    }
  });
  // One holder per role, unit served and day: two entries that would both answer are refused.
  const holders = new Map<string, number[]>();
  directory.entries.forEach((entry, index) => {
    entry.serves.forEach((code, servedIndex) => {
      if (!units.has(code)) context.addIssue({ code: 'custom', path: ['entries', index, 'serves', servedIndex], message: `no administrative unit ${code} in this directory` });
    });
    if (entry.validUntil !== null && entry.validUntil < entry.validFrom) {
      context.addIssue({ code: 'custom', path: ['entries', index, 'validUntil'], message: 'ends before it begins' });
    }
    for (const role of new Set(entry.roles)) {
      for (const served of new Set(entry.serves)) {
        const key = `${role} ${served}`;
        const earlierIndex = (holders.get(key) ?? []).find((other) => overlaps(directory.entries[other]!, entry));
        if (earlierIndex !== undefined) {
          context.addIssue({
            code: 'custom',
            path: ['entries', index],
            message: `entries ${earlierIndex} (${directory.entries[earlierIndex]!.agencyCode}) and ${index} (${entry.agencyCode}) both play ${role} for ${served} on overlapping days; end one the day before the other begins`,
          });
        }
        holders.set(key, [...(holders.get(key) ?? []), index]);
      }
    }
  });
});
export type AgencyDirectory = z.infer<typeof agencyDirectorySchema>;

function overlaps(a: Pick<DirectoryEntry, 'validFrom' | 'validUntil'>, b: Pick<DirectoryEntry, 'validFrom' | 'validUntil'>): boolean {
  return a.validFrom <= (b.validUntil ?? '9999-12-31') && b.validFrom <= (a.validUntil ?? '9999-12-31');
}

/** The record of a resolution, pinned with the procedure: which role became which agency, and why. */
export const roleResolutionSchema = z.object({
  directoryVersion: lineText(100).min(1),
  /** The day the directory was read for (the acceptance day, Vietnamese time). */
  day: isoDateSchema,
  /** The administrative unit whose bodies resolve the dossier. */
  locality: z.object({ code: administrativeUnitCodeSchema, name: lineText(300).min(1) }),
  /** Where the locality came from: named at reception, or the one the receiving centre serves. */
  localityFrom: z.enum(['reception-request', 'receiving-centre']),
  /** The locality as named, when it had been merged into `locality` by the day. */
  namedLocalityCode: administrativeUnitCodeSchema.optional(),
  assignments: z.array(
    z.object({
      /** `competent` for the competent body, else the route step's id. */
      target: lineText(200).min(1),
      role: agencyRoleSchema,
      agencyCode: agencyCodeSchema,
      /** The administrative unit the entry serves that matched (the locality or its province). */
      servedUnitCode: administrativeUnitCodeSchema,
    }),
  ),
});
export type RoleResolution = z.infer<typeof roleResolutionSchema>;
