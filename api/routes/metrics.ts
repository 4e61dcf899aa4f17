// GET /metrics: the process's Prometheus metrics (platform/metrics.ts), the outbox's dead-letter
// gauge and the open-dossier gauges read from the database at each scrape. Open to an admin's token, or without a token to a
// caller on the API's own machine reached directly (a Prometheus beside it, `npm start`), as the
// Temporal codec's loopback mode admits callers (api/routes/temporal-codec.ts). It holds counts by
// receiver and outcome, never personal data.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { countDeadLetters } from '../../db/outbox/operator-queries.js';
import { countHeldAnswers } from '../../db/interagency/answers.js';
import { countOpenDossiers } from '../../db/open-dossier-counts.js';
import type { Database } from '../../db/schema.js';
import { METRICS_CONTENT_TYPE, metricsText, watchDeadLetters, watchHeldAnswers, watchOpenDossiers } from '../../platform/metrics.js';
import { forbidden, unauthenticated } from '../auth/access.js';
import { fileSchema } from '../openapi-responses.js';
import { problemSchema } from '../problem-details.js';

export interface MetricsRoutesDeps {
  readonly db: Kysely<Database>;
}

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

export const metricsRoutes: FastifyPluginAsyncZod<MetricsRoutesDeps> = async (app, { db }) => {
  const unwatch = watchDeadLetters(() => countDeadLetters(db), app.log);
  const unwatchHeld = watchHeldAnswers(() => countHeldAnswers(db));
  const unwatchOpen = watchOpenDossiers(() => countOpenDossiers(db), app.log);
  app.addHook('onClose', async () => {
    unwatch();
    unwatchHeld();
    unwatchOpen();
  });

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (text format 0.0.4): commands, refusals, open dossiers, deliveries (docs/operations.md#metrics-and-traces); for admins, or without a token from the API’s own machine',
        tags: ['operations'],
        response: {
          200: { description: 'The metrics in the Prometheus text exposition format', content: { 'text/plain': { schema: fileSchema('text/plain') } } },
          401: problemSchema,
          403: problemSchema,
        },
      },
      config: { access: { public: true } },
      preHandler: admitAdminOrLoopback,
    },
    async (_request, reply) => reply.type(METRICS_CONTENT_TYPE).send(await metricsText()),
  );
};

/**
 * A token, when sent, must be an admin's; without one, only a caller on this machine, reached
 * directly (not through a proxy, which would make every caller look local) and under a loopback
 * host name (a web page that rebinds its own name to 127.0.0.1 is not let in).
 */
async function admitAdminOrLoopback(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.caller) {
    if (request.caller.actor.role !== 'admin') return forbidden(reply, `The role ${request.caller.actor.role} may not read the metrics; they are for admin (or for a scraper on the API's own machine, without a token).`);
    return undefined;
  }
  const direct = request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
  if (direct && LOOPBACK_ADDRESS.test(request.socket.remoteAddress ?? '') && LOOPBACK_HOST.test(request.hostname)) return undefined;
  return unauthenticated(reply, 'Without a bearer token the metrics answer callers on the API’s own machine only; from elsewhere, send an admin’s token (Prometheus: authorization.credentials).');
}
