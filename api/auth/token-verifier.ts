// Bearer tokens: JWTs whose claims name the user, their display name, role and agency. HS256 with a
// shared secret for the embedded default and for small deployments; RS256/ES256 through a JWKS URL
// for an agency's identity provider. `jose` does the cryptography (a maintained library made for
// exactly this); this file only says which tokens we accept and what their claims mean.
import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { type Actor, agencyCodeSchema, ROLES } from '../../domain/dossier/actor.js';

/** The roles a person's token may carry; `system` is the engine's own (timers), never a token's. */
export const TOKEN_ROLES = ROLES.filter((role) => role !== 'system');

export const tokenClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().min(1).max(300),
  role: z.enum(TOKEN_ROLES as [Exclude<(typeof ROLES)[number], 'system'>, ...Exclude<(typeof ROLES)[number], 'system'>[]]),
  agency: agencyCodeSchema,
});
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

export interface Caller {
  readonly actor: Actor;
  readonly displayName: string;
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
    const claims = tokenClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new TokenRejected(`the bearer token lacks claims: ${claims.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
    }
    return { actor: { userId: claims.data.sub, role: claims.data.role, agencyCode: claims.data.agency }, displayName: claims.data.name };
  };
}

/** An HS256 token, for the embedded default's CLI and for tests. */
export async function mintToken(secret: string, claims: TokenClaims, options: { audience: string; issuer?: string; hours?: number }): Promise<string> {
  const jwt = new SignJWT({ name: claims.name, role: claims.role, agency: claims.agency })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.hours ?? 8}h`);
  if (options.issuer) jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(secret));
}
