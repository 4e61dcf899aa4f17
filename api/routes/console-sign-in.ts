// How the staff console signs people in (docs/console.md#signing-in). In production the console
// sends them to the agency's identity provider, whose tokens the API verifies through its JWKS; the
// console only needs to know where that provider is. For `npm start` and the tests, a local sign-in
// mints a token for a chosen sample role and agency with the engine's own HS256 secret: it exists
// only when the app is built with `localSignIn`, and every answer says it is local.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { nameText } from '../../domain/text.js';
import { codedProblem, sendProblem } from '../problem-details.js';
import { mintToken, STAFF_ROLES } from '../auth/token-verifier.js';

/** The identity provider the console signs people in with (OpenID Connect, authorization code with PKCE). */
export interface IdentityProviderSettings {
  /** The provider's issuer URL; its discovery document is `<authority>/.well-known/openid-configuration`. */
  readonly authority: string;
  /** The console's client id registered there. */
  readonly clientId: string;
  /** Scopes to ask for; `openid` at least. */
  readonly scope: string;
}

/** The local sign-in of `npm start` and the tests: tokens signed with the engine's HS256 secret. */
export interface LocalSignInSettings {
  readonly secret: string;
  readonly audience: string;
  readonly issuer?: string;
  /** How long a local token lasts, in hours (8 by default: a working day). */
  readonly hours?: number;
}

export interface ConsoleSignInOptions {
  readonly db: Kysely<Database>;
  readonly localSignIn?: LocalSignInSettings;
  readonly identityProvider?: IdentityProviderSettings;
}

const agencyChoice = z.object({ code: z.string(), name: z.string(), kind: z.string() });

const signInOptionsSchema = z
  .object({
    mode: z.enum(['local', 'identity-provider', 'none']).describe('local: a sample sign-in for `npm start` (never production); identity-provider: OpenID Connect; none: no console sign-in configured'),
    local: z
      .object({
        notice: z.string(),
        roles: z.array(z.enum(STAFF_ROLES as [string, ...string[]])),
        agencies: z.array(agencyChoice),
      })
      .optional(),
    identityProvider: z.object({ authority: z.string(), clientId: z.string(), scope: z.string() }).optional(),
  })
  .meta({
    examples: [
      {
        mode: 'local',
        local: {
          notice: 'Local sign-in of the embedded default: tokens for sample roles, never for production.',
          roles: ['reception', 'officer', 'head', 'auditor', 'admin'],
          agencies: [{ code: '000.01.01.H99', name: 'Bộ phận Một cửa UBND xã Hòa Bình (dữ liệu mẫu)', kind: 'one-stop-centre' }],
        },
      },
    ],
  });

const USER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const localSignInBody = z
  .object({
    role: z.enum(STAFF_ROLES as [string, ...string[]]).describe('The sample role to act as'),
    agency: agencyCodeSchema.describe('An agency of the catalogue'),
    user: z.string().regex(USER_ID_PATTERN, 'must be a user id of lower-case letters, digits, dots, dashes or underscores, such as letan.an').optional(),
    // The events carry it as the actor's name: the one rule for names (domain/text.ts), no control character.
    name: nameText(120).optional().describe('The display name the events will carry'),
  })
  .meta({ examples: [{ role: 'reception', agency: '000.01.01.H99', user: 'letan.an', name: 'Lễ tân An' }] });

const localTokenSchema = z
  .object({ token: z.string(), expiresAt: z.string(), local: z.literal(true), user: z.string(), name: z.string(), role: z.string(), agency: z.string() })
  .meta({ examples: [{ token: 'eyJhbGciOiJIUzI1NiJ9…', expiresAt: '2026-12-02T17:00:00.000Z', local: true, user: 'letan.an', name: 'Lễ tân An', role: 'reception', agency: '000.01.01.H99' }] });

/** The sample display name of a role: what a local token names the person when no name is given. */
const SAMPLE_NAMES: Record<string, string> = { reception: 'Cán bộ Một cửa', officer: 'Chuyên viên', head: 'Lãnh đạo', auditor: 'Thanh tra viên', admin: 'Quản trị viên' };

export const consoleSignInRoutes: FastifyPluginAsyncZod<ConsoleSignInOptions> = async (app, options) => {
  app.get(
    '/auth/sign-in-options',
    {
      schema: { summary: 'How the staff console signs people in: the identity provider, or the local sign-in of the embedded default', tags: ['console'], security: [], response: { 200: signInOptionsSchema } },
      config: { access: { public: true } },
    },
    async () => {
      if (options.localSignIn) {
        const agencies = await options.db.selectFrom('agencies').select(['code', 'name', 'kind']).orderBy('code').limit(500).execute();
        return {
          mode: 'local' as const,
          local: { notice: 'Local sign-in of the embedded default: tokens for sample roles, never for production.', roles: [...STAFF_ROLES], agencies },
        };
      }
      if (options.identityProvider) return { mode: 'identity-provider' as const, identityProvider: { ...options.identityProvider } };
      return { mode: 'none' as const };
    },
  );

  if (!options.localSignIn) return;
  const local = options.localSignIn;
  app.post(
    '/auth/local-sign-in',
    {
      schema: { summary: 'Local sign-in of the embedded default: a token for a sample role at an agency of the catalogue (absent in production)', tags: ['console'], security: [], body: localSignInBody, response: { 200: localTokenSchema } },
      config: { access: { public: true } },
    },
    async (request, reply) => {
      const body = request.body;
      const agency = await options.db.selectFrom('agencies').select('code').where('code', '=', body.agency).executeTakeFirst();
      if (!agency) return sendProblem(reply, codedProblem('UNKNOWN_AGENCY', `Agency ${body.agency} is not in the catalogue; choose one of GET /auth/sign-in-options.`, { errors: [{ field: 'agency', message: 'is not an agency of the catalogue' }] }));
      const hours = local.hours ?? 8;
      const user = body.user ?? `${body.role}.${body.agency.split('.').slice(0, 3).join('')}`;
      const name = body.name ?? SAMPLE_NAMES[body.role] ?? body.role;
      const token = await mintToken(local.secret, { sub: user, name, role: body.role as (typeof STAFF_ROLES)[number], agency: body.agency }, { audience: local.audience, hours, ...(local.issuer ? { issuer: local.issuer } : {}) });
      return { token, expiresAt: new Date(Date.now() + hours * 3_600_000).toISOString(), local: true as const, user, name, role: body.role, agency: body.agency };
    },
  );
};
