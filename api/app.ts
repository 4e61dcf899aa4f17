import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { registerProblemDetails } from './problem-details.js';
import { dossierCommandRoutes } from './routes/dossier-commands.js';
import { dossierReadRoutes } from './routes/dossier-reads.js';
import { dossierRoutes } from './routes/dossiers.js';

export interface AppDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly logger: Logger;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit?: number;
}

// A missing field reads "is required" rather than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});

/** The HTTP API, built without listening so tests can drive it with `inject()` or a real socket. */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1_048_576,
    // Request logs carry method, URL and status only, never bodies: they hold personal data.
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemDetails(app);
  // The API speaks JSON only: a text body is refused (415) rather than half-read.
  app.removeContentTypeParser('text/plain');

  app.get('/health', async (_request, reply) => {
    const checks = await Promise.allSettled([
      sql`SELECT 1`.execute(deps.db),
      deps.temporal.connection.workflowService.getSystemInfo({}),
    ]);
    const [database, temporal] = checks.map((check) => (check.status === 'fulfilled' ? 'up' : 'down'));
    const healthy = checks.every((check) => check.status === 'fulfilled');
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'up' : 'down', database, temporal });
  });

  await app.register(dossierRoutes, { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue });
  await app.register(dossierCommandRoutes, { db: deps.db, temporal: deps.temporal });
  await app.register(dossierReadRoutes, { db: deps.db });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** Listens, turning "port in use" into what to do about it. */
export async function listenOrExplain(app: App, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new Error(`port ${port} on ${host} is already in use (another motcua?). Stop that process or set PORT to a free port.`);
    }
    throw error;
  }
}
