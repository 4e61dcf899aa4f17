// Bearer tokens: JWTs whose claims name the user, their display name, role and agency. HS256 with a
// shared secret for the embedded default and for small deployments; RS256/ES256 through a JWKS URL
// for an agency's identity provider. `jose` does the cryptography (a maintained library made for
// exactly this); this file only says which tokens we accept and what their claims mean.
//
// A public-service portal's token (role `portal`, docs/portal-intake.md) has no `agency`: it names
// the portal (`portal`) and its scope, the one-stop centres it may submit for (`units`) and the
// procedures (`procedures`, or ["*"] for every catalogued one). A token of any other role that
// carries those claims is refused: a scope must never be read from a token not issued for it.
//
// A ministry's system (role `ministry-system`, docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)
// pushes mirrors of the dossiers it handles on its own system: its token names the system (`system`)
// and the same kind of scope, the province's units (`units`) and the procedures (`procedures`) it may
// mirror. It opens only the mirror route.
import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { PROCEDURE_CODE_PATTERN } from '../../domain/catalogue/procedure.js';
import { type Actor, agencyCodeSchema, ROLES } from '../../domain/dossier/actor.js';
import { MIRROR_SYSTEM_PATTERN } from '../../domain/mirror/push.js';

/** The roles a person's token may carry; `system` is the engine's own (timers), never a token's. */
export const TOKEN_ROLES = ROLES.filter((role) => role !== 'system' && role !== 'interagency' && role !== 'citizen' && role !== 'payment-platform');

type TokenRole = Exclude<(typeof ROLES)[number], 'system' | 'interagency' | 'citizen' | 'payment-platform'>;
/** The roles of people (staff), whose tokens name their agency. */
export const STAFF_ROLES = TOKEN_ROLES.filter((role) => role !== 'portal' && role !== 'ministry-system') as StaffRole[];
type StaffRole = Exclude<TokenRole, 'portal' | 'ministry-system'>;

/** A portal's name in the engine's configuration and in its events: dvcqg, portal-h99. */
export const PORTAL_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;
/** The `procedures` claim ["*"]: every procedure of the catalogue. */
export const ALL_PROCEDURES = '*';

/**
 * The namespaces of the command ids the engine gives its own systems' commands:
 * `interagency/<system>/<answerId>` (domain/interagency/answer-command.ts), `handoff/<delivery key>`
 * (activities/hand-offs.ts), `calendar/…` (activities/calendar-rollout.ts), `mirror/…`
 * (db/mirror-store.ts), `citizen/…` (the public routes a citizen acts through with their receipt),
 * `payment/…` (a verified online payment), `feedback/…` (a feedback item's own commands). A keyed request's command id is `<sub>/<Idempotency-Key>` (api/idempotency.ts),
 * so it can equal `<namespace>/…` only if the token's subject is the namespace or starts with
 * `<namespace>/`: such a subject is refused, and no person's or portal's command can take (and so
 * silently swallow) a system's command id. No other subject is affected: their ids are unchanged.
 */
export const SYSTEM_COMMAND_NAMESPACES = ['interagency', 'handoff', 'calendar', 'mirror', 'citizen', 'payment', 'feedback'] as const;

const subjectSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((sub) => !SYSTEM_COMMAND_NAMESPACES.some((namespace) => sub === namespace || sub.startsWith(`${namespace}/`)), {
    error: `must not be ${SYSTEM_COMMAND_NAMESPACES.join(', ')} or start with one of them and "/": those name the engine's own commands`,
  });

export const staffClaimsSchema = z
  .object({
    sub: subjectSchema,
    name: z.string().min(1).max(300),
    role: z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]]),
    agency: agencyCodeSchema,
    portal: z.never({ error: 'is a portal token’s claim; a token of a staff role must not carry it' }).optional(),
    system: z.never({ error: 'is a ministry system token’s claim; a token of a staff role must not carry it' }).optional(),
    units: z.never({ error: 'is a portal token’s claim; a token of a staff role must not carry it' }).optional(),
    procedures: z.never({ error: 'is a portal token’s claim; a token of a staff role must not carry it' }).optional(),
  });

export const portalClaimsSchema = z.object({
  sub: subjectSchema,
  name: z.string().min(1).max(300),
  role: z.literal('portal'),
  /** Which portal: one token subject per portal (docs/operations.md). */
  portal: z.string().regex(PORTAL_NAME_PATTERN, 'must be the portal’s name: lower-case letters, digits and dashes, e.g. dvcqg'),
  /** The one-stop centres the portal may submit for. */
  units: z.array(agencyCodeSchema).min(1).max(5000),
  /** The procedures it may submit, or ["*"] for all. */
  procedures: z.union([z.tuple([z.literal(ALL_PROCEDURES)]), z.array(z.string().regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193, or the list must be ["*"]')).min(1).max(20_000)]),
  agency: z.never({ error: 'a portal token names its centres in `units`, not an `agency`' }).optional(),
  system: z.never({ error: 'is a ministry system token’s claim; a portal token must not carry it' }).optional(),
});

/** A ministry's system that pushes mirrors of the dossiers it handles (api/routes/mirrors.ts). */
export const ministrySystemClaimsSchema = z.object({
  sub: subjectSchema,
  name: z.string().min(1).max(300),
  role: z.literal('ministry-system'),
  /** Which system: its name in the mirrors' events (`mirroredFrom`). */
  system: z.string().regex(MIRROR_SYSTEM_PATTERN, 'must be the system’s name: lower-case letters, digits and dashes, e.g. bca-dichvucong'),
  /** The province's units whose dossiers it may mirror. */
  units: z.array(agencyCodeSchema).min(1).max(5000),
  /** The procedures it may mirror, or ["*"] for any. */
  procedures: z.union([z.tuple([z.literal(ALL_PROCEDURES)]), z.array(z.string().regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193, or the list must be ["*"]')).min(1).max(20_000)]),
  agency: z.never({ error: 'a ministry system token names its units in `units`, not an `agency`' }).optional(),
  portal: z.never({ error: 'is a portal token’s claim; a ministry system token must not carry it' }).optional(),
});

export const tokenClaimsSchema = z.union([staffClaimsSchema, portalClaimsSchema, ministrySystemClaimsSchema]);
export type StaffClaims = z.infer<typeof staffClaimsSchema>;
export type PortalClaims = z.infer<typeof portalClaimsSchema>;
export type MinistrySystemClaims = z.infer<typeof ministrySystemClaimsSchema>;
export type TokenClaims = StaffClaims | PortalClaims | MinistrySystemClaims;

/** What a portal's token allows: which portal it is, for which centres and procedures. */
export interface PortalScope {
  readonly portal: string;
  readonly units: readonly string[];
  /** The procedure codes it may submit; `all` for the wildcard ["*"]. */
  readonly procedures: readonly string[] | 'all';
}

export function portalMaySubmit(scope: PortalScope, what: { readonly unit?: string; readonly procedure?: string }): { readonly unit: boolean; readonly procedure: boolean } {
  return {
    unit: what.unit === undefined || scope.units.includes(what.unit),
    procedure: what.procedure === undefined || scope.procedures === 'all' || scope.procedures.includes(what.procedure),
  };
}

/** What a ministry system's token allows: which system it is, which units and procedures it mirrors. */
export interface MirrorScope {
  readonly system: string;
  readonly units: readonly string[];
  readonly procedures: readonly string[] | 'all';
}

export interface Caller {
  /**
   * Who acts. A portal's actor names its first unit until the intake names the receiving centre
   * (api/intake/intake.ts): the events of a portal's dossier name the centre it submitted to.
   */
  readonly actor: Actor;
  readonly displayName: string;
  /** Only on a portal's token. */
  readonly portal?: PortalScope;
  /** Only on a ministry system's token. */
  readonly ministry?: MirrorScope;
}

export interface TokenSettings {
  /** HS256 secret. */
  readonly secret?: string;
  /** JWKS URL for asymmetric tokens. */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience: string;
}

export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
}

export type TokenVerifier = (token: string) => Promise<Caller>;

export function createTokenVerifier(settings: TokenSettings): TokenVerifier {
  if (!settings.secret && !settings.jwksUrl) throw new Error('token verification needs MOTCUA_JWT_SECRET or MOTCUA_JWKS_URL');
  const secret = settings.secret ? new TextEncoder().encode(settings.secret) : undefined;
  const jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  // Every token must say when it expires: jose checks `exp` only when it is present.
  const options = { audience: settings.audience, requiredClaims: ['exp'], ...(settings.issuer ? { issuer: settings.issuer } : {}) };
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = jwks
        ? (await jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256'] })).payload
        : (await jwtVerify(token, secret!, { ...options, algorithms: ['HS256'] })).payload;
    } catch (error) {
      throw new TokenRejected(`the bearer token is not valid: ${(error as Error).message}`);
    }
    const role = (payload as { role?: unknown }).role;
    const claims = role === 'portal' ? portalClaimsSchema.safeParse(payload) : role === 'ministry-system' ? ministrySystemClaimsSchema.safeParse(payload) : staffClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new TokenRejected(`the bearer token lacks claims: ${claims.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
    }
    return callerOfClaims(claims.data);
  };
}

export function callerOfClaims(claims: TokenClaims): Caller {
  if (claims.role === 'portal') {
    const procedures = claims.procedures[0] === ALL_PROCEDURES ? ('all' as const) : (claims.procedures as readonly string[]);
    return {
      actor: { userId: claims.sub, role: 'portal', agencyCode: claims.units[0]! },
      displayName: claims.name,
      portal: { portal: claims.portal, units: claims.units, procedures },
    };
  }
  if (claims.role === 'ministry-system') {
    const procedures = claims.procedures[0] === ALL_PROCEDURES ? ('all' as const) : (claims.procedures as readonly string[]);
    return {
      // Each mirror's events name the unit the push names (api/routes/mirrors.ts).
      actor: { userId: claims.sub, role: 'ministry-system', agencyCode: claims.units[0]! },
      displayName: claims.name,
      ministry: { system: claims.system, units: claims.units, procedures },
    };
  }
  return { actor: { userId: claims.sub, role: claims.role, agencyCode: claims.agency }, displayName: claims.name };
}

/** An HS256 token, for the embedded default's CLI and for tests. */
export async function mintToken(secret: string, claims: TokenClaims, options: { audience: string; issuer?: string; hours?: number }): Promise<string> {
  const jwt = new SignJWT(
    claims.role === 'portal'
      ? { name: claims.name, role: claims.role, portal: claims.portal, units: claims.units, procedures: claims.procedures }
      : claims.role === 'ministry-system'
        ? { name: claims.name, role: claims.role, system: claims.system, units: claims.units, procedures: claims.procedures }
        : { name: claims.name, role: claims.role, agency: claims.agency },
  )
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.hours ?? 8}h`);
  if (options.issuer) jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(secret));
}
