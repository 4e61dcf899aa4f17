// A bare Fastify app with the real upload plumbing (api/uploads.ts, the problem handler) and one
// route, POST /uploads, that stores a file and answers what the intake made of it. For the intake's
// integration test and the upload benchmark; the dossier routes use the same plumbing in api/app.ts.
import Fastify from 'fastify';
import type { FileRules } from '../../domain/files/file-rules.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { registerProblemDetails } from '../../api/problem-details.js';
import { readUpload, registerUploads } from '../../api/uploads.js';

export async function startUploadApp(store: DocumentStore, rules: FileRules) {
  const app = Fastify({ logger: false });
  registerProblemDetails(app, () => []);
  await registerUploads(app);
  app.post('/uploads', { config: { upload: true } }, async (request, reply) => reply.code(201).send(await readUpload(request, store, { rules, digestField: 'sha256' })));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}
