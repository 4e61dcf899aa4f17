// Who may call which route. Every route declares its access in its config: `public`, or the roles
// that may call it. The bearer token is checked on every request that carries one; a route that is
// not public answers 401 without a valid token and 403 for a role it does not admit. Agency-level
// rules (which dossiers an agency may see or act on) are checked by the routes and the decider.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../domain/dossier/actor.js';
import type { ErrorCode } from '../error-catalogue.js';
import { sendProblem } from '../problem-details.js';
import { type Caller, TokenRejected, type TokenVerifier } from './token-verifier.js';

export type Access = { readonly public: true } | { readonly roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** The routes a portal's token may call (api/routes/portal-intake.ts); no other route lists the role. */
export const PORTAL_ACCESS: Access = { roles: ['portal'] };

/** The route a ministry system's token may call (api/routes/mirrors.ts); no other route lists the role. */
export const MINISTRY_SYSTEM_ACCESS: Access = { roles: ['ministry-system'] };

/** Roles that read dossiers: the staff who handle them and the auditors. Admins manage catalogues. */
export const DOSSIER_READERS: readonly Role[] = ['reception', 'officer', 'head', 'auditor'];

export function registerAccessControl(app: FastifyInstance, verify: TokenVerifier): void {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request, reply) => {
    // Every log line of the request names its route pattern (never the body: it holds personal data).
    if (request.routeOptions.url !== undefined) {
      request.log = request.log.child({ route: `${request.method} ${request.routeOptions.url}` });
      reply.log = request.log;
    }
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) return unauthenticated(reply, 'The Authorization header must read "Bearer <token>".');
      try {
        request.caller = await verify(match[1]!);
      } catch (error) {
        if (error instanceof TokenRejected) return unauthenticated(reply, `${error.message}. Get a new token from your identity provider (locally: npm run token).`);
        throw error;
      }
      request.log = request.log.child({ user: request.caller.actor.userId, role: request.caller.actor.role });
      reply.log = request.log;
    }
    // An unknown URL goes on to the not-found handler; a route that forgot to declare its access
    // is closed to everyone but an authenticated caller, never open.
    if (request.routeOptions.url === undefined) return;
    const access = request.routeOptions.config?.access;
    // A portal's token opens the routes that name the role `portal` (the intake) and nothing else,
    // not even a public route: a portal that presents its credentials acts as the portal.
    if (request.caller?.actor.role === 'portal' && !(access && 'roles' in access && access.roles.includes('portal'))) {
      return forbidden(reply, `A portal's token may call only the intake routes (POST /intake/...), not ${request.method} ${request.routeOptions.url}.`);
    }
    // Likewise a ministry system's token opens only the mirror route.
    if (request.caller?.actor.role === 'ministry-system' && !(access && 'roles' in access && access.roles.includes('ministry-system'))) {
      return forbidden(reply, `A ministry system's token may call only PUT /mirrors/{dossierCode}, not ${request.method} ${request.routeOptions.url}.`);
    }
    // The interactive documentation (its page and assets) is public, like the OpenAPI document.
    if (request.routeOptions.url.startsWith('/docs')) return;
    if (access && 'public' in access) return;
    if (!request.caller) return unauthenticated(reply, 'This route needs a bearer token: send "Authorization: Bearer <token>" (locally: npm run token -- --role reception --agency <code>).');
    if (access && !access.roles.includes(request.caller.actor.role)) {
      return forbidden(reply, `The role ${request.caller.actor.role} may not call ${request.method} ${request.routeOptions.url}; it is for ${access.roles.join(', ')}.`);
    }
  });
}

export function unauthenticated(reply: FastifyReply, detail: string): FastifyReply {
  return sendProblem(reply.header('www-authenticate', 'Bearer'), { type: 'urn:motcua:problem:unauthenticated', title: 'Authentication required', status: 401, detail });
}

export function forbidden(reply: FastifyReply, detail: string, code?: ErrorCode): FastifyReply {
  return sendProblem(reply, { type: 'urn:motcua:problem:forbidden', title: 'Not allowed', status: 403, detail, ...(code ? { code } : {}) });
}

/** The caller of a route whose access admits only authenticated roles. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error(`route ${request.routeOptions.url} reached without a caller: its access config is missing`);
  return request.caller;
}
