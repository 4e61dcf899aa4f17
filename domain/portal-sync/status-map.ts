// The versioned map from the engine's statuses to the portal's TrangThaiHoSo codes 1–10
// (docs/integrations.md#status-map). The default is the display list of Circular 22/2019/TT-BTTTT as
// domain/dossier/state.ts has it; a deployment whose portal reads a code differently overrides it
// in configuration and names the result with a version of its own, which every attempt records, so
// what a dossier was told under which map can be traced after the map changes. The true status is
// sent: not Thanh Hóa's rewriting of 5, 6 and 8 as 9.
import { DOSSIER_STATUSES, NATIONAL_PORTAL_STATUS, type DossierStatus } from '../dossier/state.js';

/** The version name of the default map. */
export const DEFAULT_STATUS_MAP_VERSION = 'tt22-2019';

/** The portal's status codes. */
export const PORTAL_STATUS_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export interface StatusMapSetting {
  /** A name for this map, recorded with every attempt (e.g. "tt22-2019", or "h56-2026.1" for a local override). */
  readonly version: string;
  /** Codes that differ from the default, by engine status. */
  readonly overrides?: Readonly<Partial<Record<DossierStatus, number>>>;
}

export interface PortalStatusMap {
  readonly version: string;
  readonly codes: Readonly<Record<DossierStatus, number>>;
}

export const DEFAULT_STATUS_MAP: PortalStatusMap = Object.freeze({ version: DEFAULT_STATUS_MAP_VERSION, codes: NATIONAL_PORTAL_STATUS });

/** The map a setting names: the default with its overrides. A code outside 1–10 is the configuration's error, said at start-up. */
export function portalStatusMap(setting: StatusMapSetting | undefined): PortalStatusMap {
  if (!setting) return DEFAULT_STATUS_MAP;
  const codes = { ...NATIONAL_PORTAL_STATUS, ...setting.overrides };
  for (const status of DOSSIER_STATUSES) {
    const code = codes[status];
    if (!(PORTAL_STATUS_CODES as readonly number[]).includes(code)) throw new RangeError(`status map ${setting.version}: ${status} maps to ${code}, and the portal's codes are 1 to 10`);
  }
  return { version: setting.version, codes };
}

/** TrangThaiHoSo of an engine status under a map, as the portal writes it. */
export function portalStatusCode(map: PortalStatusMap, status: DossierStatus): string {
  return String(map.codes[status]);
}
