// An agency's identity provider, as the staff console meets it (docs/testing.md#browser-tests): an
// OpenID Connect provider on loopback that signs one configured person in without asking, so a
// browser test can go through the console's real sign-in (console/src/auth/identity-provider.ts,
// oidc-client-ts) and the API can verify the tokens by the provider's JWKS, as in production.
//
// What it serves, as OpenID Connect Core 1.0 and RFC 7636 (PKCE) say:
//   GET  /.well-known/openid-configuration   the discovery document;
//   GET  /jwks                                its RS256 public key (generated at start, with a kid);
//   GET  /authorize                           authorization code flow only, PKCE S256 required; the
//                                             configured person is approved at once and the browser
//                                             sent back to the redirect URI with a code and the state;
//   POST /token                               the code, the verifier and the same redirect URI for an
//                                             access token (a JWT for the API: sub, name, role, agency,
//                                             aud, iss, exp) and an id token (aud = the client id).
// The contract is enforced, not assumed: an unregistered client or redirect URI is refused without a
// redirect (a provider never sends a browser to an address it does not know), a wrong verifier, a
// reused or expired code or a redirect URI other than the authorization's is `invalid_grant`.
//
// Fault switches, as the receivers' doubles have (doubles/receiver-double.ts), by `fail()` or
// POST /__faults {mode, times?, delayMs?}:
//   deny   the person refuses: the browser goes back with error=access_denied;
//   5xx    the token endpoint answers 503 temporarily_unavailable;
//   slow   the token endpoint answers after `delayMs` (2 s by default).
// GET /__calls lists what it was asked and how it answered, without tokens or verifiers.
import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** The person the double signs in: the claims the engine reads from a staff token (api/auth/token-verifier.ts). */
export interface IdentityProviderUser {
  readonly sub: string;
  readonly name: string;
  readonly role: string;
  readonly agency: string;
}

export const IDENTITY_PROVIDER_FAULT_MODES = ['none', 'deny', '5xx', 'slow'] as const;
export type IdentityProviderFaultMode = (typeof IDENTITY_PROVIDER_FAULT_MODES)[number];

export interface IdentityProviderFault {
  readonly mode: IdentityProviderFaultMode;
  /** This many calls suffer it; every call until cleared by default. */
  readonly times?: number;
  /** For `slow`: the delay (2 s by default). */
  readonly delayMs?: number;
}

export interface IdentityProviderCall {
  readonly endpoint: 'authorize' | 'token';
  /** 302 back to the client, or the HTTP status of a refusal. */
  readonly status: number;
  /** The OAuth error code, when refused. */
  readonly error?: string;
  readonly at: string;
}

export interface IdentityProviderDoubleOptions {
  /** The client the console is registered as. */
  readonly clientId: string;
  /** The redirect URIs registered for it; more may be added once known (`addRedirectUri`). */
  readonly redirectUris?: readonly string[];
  /** The `aud` of the access tokens: the API's MOTCUA_JWT_AUDIENCE. */
  readonly audience: string;
  /** Who signs in; `setUser` changes it. */
  readonly user: IdentityProviderUser;
  /** How long tokens last, in seconds (an hour by default). */
  readonly tokenSeconds?: number;
  /** How long a code may wait for its exchange, in seconds (60 by default). */
  readonly codeSeconds?: number;
  readonly port?: number;
}

export interface IdentityProviderDouble {
  /** The issuer and authority: http://127.0.0.1:<port>, without a trailing slash. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly clientId: string;
  addRedirectUri(uri: string): void;
  setUser(user: IdentityProviderUser): void;
  /** An access token for a person, as the token endpoint issues it: for a test's own API calls. */
  accessToken(user: IdentityProviderUser): Promise<string>;
  fail(fault: IdentityProviderFault): void;
  readonly calls: readonly IdentityProviderCall[];
  close(): Promise<void>;
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly scope: string;
  readonly nonce?: string;
  readonly user: IdentityProviderUser;
  readonly expiresAt: number;
  readonly authTime: number;
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export async function startIdentityProviderDouble(options: IdentityProviderDoubleOptions): Promise<IdentityProviderDouble> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const redirectUris = new Set(options.redirectUris ?? []);
  const tokenSeconds = options.tokenSeconds ?? 3600;
  const codeSeconds = options.codeSeconds ?? 60;
  let user = options.user;
  let fault: { mode: IdentityProviderFaultMode; left: number; delayMs: number } = { mode: 'none', left: Infinity, delayMs: 0 };
  const codes = new Map<string, PendingCode>();
  /** Codes already exchanged: a second exchange is refused (RFC 6749 §4.1.2). */
  const usedCodes = new Set<string>();
  const calls: IdentityProviderCall[] = [];
  let issuer = '';

  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  /** A fault of this mode, if one is on; it counts down. */
  const faulted = (mode: IdentityProviderFaultMode): boolean => {
    if (fault.mode !== mode || fault.left <= 0) return false;
    fault.left -= 1;
    return true;
  };
  const record = (endpoint: IdentityProviderCall['endpoint'], status: number, error?: string) => {
    calls.push({ endpoint, status, ...(error ? { error } : {}), at: new Date().toISOString() });
  };
  // The browser calls discovery and the token endpoint from the console's origin.
  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  };
  app.options('/*', async (request, reply) => {
    cors(request, reply);
    return reply.header('access-control-allow-methods', 'GET, POST').header('access-control-allow-headers', 'content-type, authorization').status(204).send();
  });

  const sign = (claims: Record<string, unknown>, audience: string, subject: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + tokenSeconds)
      .sign(privateKey);
  const accessToken = (person: IdentityProviderUser, extra: Record<string, unknown> = {}) =>
    sign({ name: person.name, role: person.role, agency: person.agency, client_id: options.clientId, ...extra }, options.audience, person.sub);

  app.get('/.well-known/openid-configuration', async (request, reply) => {
    cors(request, reply);
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'profile'],
      claims_supported: ['sub', 'name', 'role', 'agency', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce'],
      authorization_response_iss_parameter_supported: true,
    };
  });

  app.get('/jwks', async (request, reply) => {
    cors(request, reply);
    return { keys: [publicJwk] };
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/authorize', async (request, reply) => {
    const query = request.query;
    // Without a known client and one of its redirect URIs, the error is shown here, never redirected.
    const refuse = (error: string, description: string) => {
      record('authorize', 400, error);
      return reply.status(400).type('text/plain; charset=utf-8').send(`${error}: ${description}`);
    };
    if (query.client_id !== options.clientId) return refuse('invalid_client', `unknown client_id ${query.client_id ?? '(none)'}`);
    if (!query.redirect_uri || !redirectUris.has(query.redirect_uri)) return refuse('invalid_request', `redirect_uri ${query.redirect_uri ?? '(none)'} is not registered for ${options.clientId}`);
    const back = new URL(query.redirect_uri);
    const redirectWith = (params: Record<string, string>) => {
      for (const [name, value] of Object.entries({ ...params, ...(query.state !== undefined ? { state: query.state } : {}), iss: issuer })) back.searchParams.set(name, value);
      record('authorize', 302, params.error);
      return reply.redirect(back.toString(), 302);
    };
    if (query.response_type !== 'code') return redirectWith({ error: 'unsupported_response_type', error_description: 'only the authorization code flow (response_type=code)' });
    if (!(query.scope ?? '').split(' ').includes('openid')) return redirectWith({ error: 'invalid_scope', error_description: 'scope must include openid' });
    if (!query.code_challenge || query.code_challenge_method !== 'S256') return redirectWith({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method=S256 is required' });
    if (faulted('deny')) return redirectWith({ error: 'access_denied', error_description: 'the person refused' });
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId: query.client_id,
      redirectUri: query.redirect_uri,
      challenge: query.code_challenge,
      scope: query.scope ?? 'openid',
      ...(query.nonce ? { nonce: query.nonce } : {}),
      user,
      expiresAt: Date.now() + codeSeconds * 1000,
      authTime: Math.floor(Date.now() / 1000),
    });
    return redirectWith({ code });
  });

  app.post<{ Body: Record<string, string | undefined> | undefined }>('/token', async (request, reply) => {
    cors(request, reply);
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const refuse = (status: number, error: string, description: string) => {
      record('token', status, error);
      return reply.status(status).send({ error, error_description: description });
    };
    if (faulted('5xx')) return refuse(503, 'temporarily_unavailable', 'the identity provider is unavailable (fault switched on)');
    if (faulted('slow')) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return refuse(400, 'invalid_request', 'the token request is a form (application/x-www-form-urlencoded)');
    const body = request.body ?? {};
    if (body.grant_type !== 'authorization_code') return refuse(400, 'unsupported_grant_type', 'only authorization_code');
    if (body.client_id !== options.clientId) return refuse(401, 'invalid_client', `unknown client_id ${body.client_id ?? '(none)'}`);
    const code = body.code ?? '';
    if (usedCodes.has(code)) return refuse(400, 'invalid_grant', 'the code was exchanged already');
    const pending = codes.get(code);
    if (!pending) return refuse(400, 'invalid_grant', 'unknown code');
    // One try per code, whatever its outcome (RFC 6749 §4.1.2: a code is used once).
    codes.delete(code);
    usedCodes.add(code);
    if (pending.expiresAt < Date.now()) return refuse(400, 'invalid_grant', 'the code expired');
    if (pending.clientId !== body.client_id) return refuse(400, 'invalid_grant', 'the code was issued to another client');
    if (body.redirect_uri !== pending.redirectUri) return refuse(400, 'invalid_grant', 'redirect_uri differs from the authorization request’s');
    if (!body.code_verifier || !VERIFIER.test(body.code_verifier)) return refuse(400, 'invalid_request', 'code_verifier must be 43 to 128 unreserved characters');
    if (s256(body.code_verifier) !== pending.challenge) return refuse(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    const person = pending.user;
    const access = await accessToken(person, { scope: pending.scope });
    const idToken = await sign({ name: person.name, role: person.role, agency: person.agency, auth_time: pending.authTime, azp: pending.clientId, ...(pending.nonce ? { nonce: pending.nonce } : {}) }, pending.clientId, person.sub);
    record('token', 200);
    return { access_token: access, token_type: 'Bearer', expires_in: tokenSeconds, id_token: idToken, scope: pending.scope };
  });

  app.post<{ Body: IdentityProviderFault }>('/__faults', async (request) => {
    setFault(request.body);
    return { mode: fault.mode };
  });
  app.get('/__calls', async () => calls);

  function setFault(next: IdentityProviderFault) {
    if (!IDENTITY_PROVIDER_FAULT_MODES.includes(next.mode)) throw new Error(`unknown fault mode ${String(next.mode)}; choose one of ${IDENTITY_PROVIDER_FAULT_MODES.join(', ')}`);
    fault = { mode: next.mode, left: next.times ?? Infinity, delayMs: next.delayMs ?? 2_000 };
  }

  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  issuer = address.replace(/\/$/, '');
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    clientId: options.clientId,
    addRedirectUri: (uri) => void redirectUris.add(uri),
    setUser: (next) => void (user = next),
    accessToken: (person) => accessToken(person),
    fail: setFault,
    calls,
    close: () => app.close(),
  };
}
