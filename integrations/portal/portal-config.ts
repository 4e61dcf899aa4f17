// The national portal's section of the outbox configuration (MOTCUA_OUTBOX_CONFIG's `portal`;
// docs/integrations.md#national-portal-sync): which API generation the deployment's portal speaks
// (docs/integrations.md#configuration-portal-in-motcua_outbox_config), its endpoints, the unit and procedure codes it knows, the versioned status
// map, and credentials as secret references (platform/secret-reference.ts), never as values.
import { z } from 'zod';
import { DOSSIER_STATUSES } from '../../domain/dossier/state.js';
import { DEFAULT_STATUS_MAP_VERSION } from '../../domain/portal-sync/status-map.js';
import { secretReferenceSchema } from '../../platform/secret-reference.js';

const code = (what: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .regex(/^[^\s\u0000-\u001F\u007F]+$/, `${what} must be a code without spaces or control characters`);
const absoluteUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });
/** An endpoint's path below the base, as OCPS and TH configure them ("/auth", "/api/hoso/themmoi"). */
const endpointPath = z.string().min(1).max(500).regex(/^\/?[^\s?#]*$/, 'must be a path such as /integration (no spaces, query or fragment)');

const statusMapSchema = z
  .object({
    version: z.string().min(1).max(50).default(DEFAULT_STATUS_MAP_VERSION).describe('A name for this map, recorded with every attempt'),
    overrides: z
      .partialRecord(z.enum(DOSSIER_STATUSES), z.number().int().min(1).max(10))
      .default({})
      .describe("Codes (1–10) that differ from Circular 22/2019's list, by engine status"),
  })
  .strict()
  .refine((map) => map.version !== DEFAULT_STATUS_MAP_VERSION || Object.keys(map.overrides).length === 0, {
    message: `a map with overrides must have a version name of its own, not ${DEFAULT_STATUS_MAP_VERSION}, so attempts under it can be told apart`,
    path: ['version'],
  });

const common = {
  /** MaDinhDanhTinh: the province's identifier every dossier code's first segment must carry (TH's check; we refuse rather than rewrite). */
  provinceIdentifier: code('provinceIdentifier').describe('MaDinhDanhTinh, e.g. H56'),
  /** Local procedure code → national (MaTTHC), where they differ. */
  procedureCodes: z.record(code('a procedure code'), code('a national procedure code')).default({}),
  /** Local agency code → the portal's unit code (LayDanhMucCoQuan's MADONVI), where they differ. */
  unitCodes: z.record(code('an agency code'), code('a unit code')).default({}),
  /** National procedure code → its main result's code (MaGiayToKetQua). */
  resultDocumentCodes: z.record(code('a procedure code'), code('a result code')).default({}),
  statusMap: statusMapSchema.prefault({}),
  /** Each HTTP call's deadline (OCPS reads for 60 s). */
  timeoutMs: z.number().int().min(100).max(300_000).default(60_000),
  /** Progress rows per request (the portal takes 10). */
  progressChunkSize: z.number().int().min(1).max(10).default(10),
};

/** Generation A: one adapter URL, session auth, a `service` dispatcher (OCPS, 2019–2020). */
export const portalGenerationASchema = z
  .object({
    generation: z.literal('A'),
    adapterUrl: absoluteUrl.describe('ADAPTER_URL'),
    authEndpoint: endpointPath.default('/auth'),
    integrationEndpoint: endpointPath.default('/integration'),
    username: z.string().min(1).max(200),
    password: secretReferenceSchema,
    dstcode: code('dstcode'),
    /** madonvi sent with every call: per receiving agency, else the unit-code map's, else the default. */
    madonvi: z.object({ default: code('madonvi'), byAgency: z.record(code('an agency code'), code('madonvi')).default({}) }).strict(),
    ...common,
  })
  .strict();

/** Generation B: REST endpoints per action, JSON arrays (TH, 2025). */
export const portalGenerationBSchema = z
  .object({
    generation: z.literal('B'),
    base: absoluteUrl.describe('Base'),
    URLThemMoi: endpointPath,
    URLCapNhat: endpointPath,
    URLDongBoTienTrinh: endpointPath,
    /** A bearer token, when the province's integration platform (LGSP) asks for one; TH sends none. */
    bearer: secretReferenceSchema.optional(),
    ...common,
  })
  .strict();

export const portalConfigSchema = z.discriminatedUnion('generation', [portalGenerationASchema, portalGenerationBSchema]);
export type PortalConfig = z.infer<typeof portalConfigSchema>;
export type PortalGenerationAConfig = z.infer<typeof portalGenerationASchema>;
export type PortalGenerationBConfig = z.infer<typeof portalGenerationBSchema>;

/** An endpoint's URL: the base and the path joined with exactly one slash. */
export function endpointUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
