// Serves the staff console (console/, built by `npm run console:build`) under /console/. Only there do
// client-side routes fall back to the app's index.html, so every API route keeps its own answers,
// 404 and 405 included (docs/console.md#how-it-is-served). Hashed assets are cached for a year and
// served pre-compressed (the build writes .br and .gz beside them); index.html is never cached, so a
// new release reaches every screen at its next load.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { sendProblem } from './problem-details.js';

export interface ConsoleFilesOptions {
  /** The console's build folder (console/dist), holding index.html and assets/. */
  readonly directory: string;
  /** Origins the console may also connect to besides its own (the identity provider). */
  readonly connectOrigins?: readonly string[];
}

/** What a build's file is named like; anything else under /console/ is a screen of the app. */
const BUILD_FILE = /\.(?:js|mjs|css|map|svg|png|jpe?g|ico|webp|woff2?|json|txt|webmanifest)$/i;

/** The console's address; `/` sends a browser there. */
export const CONSOLE_PREFIX = '/console/';

export const consoleFileRoutes: FastifyPluginAsync<ConsoleFilesOptions> = async (app, options) => {
  const root = path.resolve(options.directory);
  // Scripts and styles only from the console itself; no inline script, no frames, no plugins.
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${(options.connectOrigins ?? []).map((origin) => ` ${origin}`).join('')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, decorateReply: true, index: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(path.join(root, 'index.html'))) {
      return sendProblem(reply, {
        type: 'urn:motcua:problem:console-not-built',
        title: 'The console is not built',
        status: 503,
        detail: `No console build in ${root}: run npm run console:build (npm start builds it when it is missing).`,
      });
    }
    return reply.header('cache-control', 'no-cache').header('content-security-policy', policy).sendFile('index.html', root, { cacheControl: false });
  };

  const hidden = { schema: { hide: true }, config: { access: { public: true } as const } };
  app.get('/', hidden, async (_request, reply) => reply.redirect(CONSOLE_PREFIX, 302));
  app.get('/console', hidden, async (_request, reply) => reply.redirect(CONSOLE_PREFIX, 301));
  app.get('/console/', hidden, async (_request, reply) => sendIndex(reply));
  app.get<{ Params: { '*': string } }>('/console/*', hidden, async (request, reply) => {
    const wanted = request.params['*'];
    // A file of the build (a script, a style, an icon), if there is one; @fastify/static refuses
    // any path that would leave the folder. A screen's address may hold dots (a dossier code does).
    if (BUILD_FILE.test(wanted)) {
      const file = path.resolve(root, wanted);
      if (!file.startsWith(`${root}${path.sep}`) || !existsSync(file)) {
        return sendProblem(reply, { type: 'urn:motcua:problem:not-found', title: 'Not found', status: 404, detail: `The console has no file ${wanted}; reload the console to get its current files.` });
      }
      if (wanted.startsWith('assets/')) return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(wanted, root, { cacheControl: false });
      return reply.sendFile(wanted, root);
    }
    // Anything else under /console/ is one of the app's own screens: the app routes it.
    return sendIndex(reply);
  });
};
