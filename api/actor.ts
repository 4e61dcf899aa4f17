// Who is calling. Until token authentication lands (the API issue: JWT with role and agency
// claims), the caller names itself in three headers; this is the one place that changes then.
// The API is bound to loopback by default and the compose file keeps it there for this reason.
import type { FastifyRequest } from 'fastify';
import { type Actor, actorSchema } from '../domain/dossier/actor.js';

export const ACTOR_HEADERS = { userId: 'x-motcua-user', role: 'x-motcua-role', agencyCode: 'x-motcua-agency' } as const;

export type ActorLookup = { ok: true; actor: Actor } | { ok: false; detail: string };

export function actorOf(request: FastifyRequest): ActorLookup {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const parsed = actorSchema.safeParse({
    userId: header(ACTOR_HEADERS.userId),
    role: header(ACTOR_HEADERS.role),
    agencyCode: header(ACTOR_HEADERS.agencyCode),
  });
  if (parsed.success) return { ok: true, actor: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${ACTOR_HEADERS[issue.path[0] as keyof typeof ACTOR_HEADERS] ?? issue.path.join('.')} ${issue.message}`);
  return { ok: false, detail: `Say who acts with the headers ${Object.values(ACTOR_HEADERS).join(', ')}: ${problems.join('; ')}.` };
}
