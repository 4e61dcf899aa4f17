// The Temporal UI's remote codec (docs.temporal.io, "Codec Server"): the UI sends the encrypted
// payloads of a history it shows, and gets them back decrypted, so the staff who may read a
// dossier's personal data can read it there too, and no one else. The payloads themselves are
// encrypted by platform/payload-codec.ts; this route only lends the codec to the UI.
import type { PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PayloadDecryptionFailed } from '../../platform/payload-codec.js';
import { DOSSIER_READERS, forbidden, unauthenticated } from '../auth/access.js';
import { problemSchema, sendProblem } from '../problem-details.js';

/**
 * Who may call it. `readers`: a bearer token of a role that reads dossiers (the Temporal UI passes
 * the signed-in user's token). `loopback`: for `npm start`, whose UI has no login, callers on this
 * machine without a token as well; a token, when sent, is still checked.
 */
export type CodecCallers = 'readers' | 'loopback';

export interface TemporalCodecRoutesDeps {
  readonly codec: PayloadCodec;
  readonly callers: CodecCallers;
  /** The namespace whose payloads this API encrypts; the UI names the one it shows in X-Namespace. */
  readonly namespace: string;
}

// The Temporal UI's JSON form of a payload: metadata values and data in base64.
const wirePayload = z.object({
  metadata: z.record(z.string(), z.base64()).optional(),
  data: z.base64().optional(),
});
const payloadsBody = z
  .object({ payloads: z.array(wirePayload).max(10_000) })
  .meta({ examples: [{ payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'eyJkb3NzaWVyQ29kZSI6IjAwMC4wMC4zMS5IMzgtMjUwNzAxLTAwMDUifQ==' }] }] });
const codecHeaders = z.object({ 'x-namespace': z.string().optional().describe('The namespace the Temporal UI shows') });

export const temporalCodecRoutes: FastifyPluginAsyncZod<TemporalCodecRoutesDeps> = async (app, { codec, callers, namespace }) => {
  for (const direction of ['decode', 'encode'] as const) {
    app.post(
      `/temporal-codec/${direction}`,
      {
        schema: {
          summary:
            direction === 'decode'
              ? 'Decrypt Temporal payloads for the Temporal UI (its remote codec), for roles that read dossiers'
              : 'Encrypt Temporal payloads for the Temporal UI (its remote codec), for roles that read dossiers',
          tags: ['operations'],
          headers: codecHeaders,
          body: payloadsBody,
          response: { 200: payloadsBody, 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema },
        },
        config: { access: callers === 'loopback' ? { public: true } : { roles: DOSSIER_READERS } },
        // A history page's payloads, each up to Temporal's own limit of 2 MB.
        bodyLimit: 8 * 1_048_576,
        ...(callers === 'loopback' ? { preHandler: async (request: FastifyRequest, reply: FastifyReply) => admitLoopback(request, reply) } : {}),
      },
      async (request, reply) => {
        const asked = request.headers['x-namespace'];
        // The Temporal CLI sends the header empty when no namespace is named.
        if (asked && asked !== namespace) {
          return sendProblem(reply, { type: 'urn:motcua:problem:other-namespace', title: 'Another namespace', status: 400, detail: `This codec serves the namespace ${namespace}, not ${asked}.` });
        }
        const payloads = request.body.payloads.map((payload) => ({
          metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
          data: new Uint8Array(Buffer.from(payload.data ?? '', 'base64')),
        }));
        try {
          const result = await codec[direction](payloads);
          return {
            payloads: result.map((payload) => ({
              metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')])),
              data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
            })),
          };
        } catch (error) {
          if (!(error instanceof PayloadDecryptionFailed)) throw error;
          return sendProblem(reply, { type: 'urn:motcua:problem:payload-undecryptable', title: 'A payload does not decrypt', status: 422, detail: error.message });
        }
      },
    );
  }
};

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/**
 * Loopback mode: a token, when sent, must be a reader's; without one, only a caller on this
 * machine, reached directly (not through a proxy, which would make every caller look local) and
 * under a loopback host name (a web page that rebinds its own name to 127.0.0.1 is not let in).
 */
async function admitLoopback(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.caller) {
    if (!DOSSIER_READERS.includes(request.caller.actor.role)) return forbidden(reply, `The role ${request.caller.actor.role} may not read payloads; the codec is for ${DOSSIER_READERS.join(', ')}.`);
    return undefined;
  }
  const direct = request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
  if (direct && LOOPBACK_ADDRESS.test(request.socket.remoteAddress ?? '') && LOOPBACK_HOST.test(request.hostname)) return undefined;
  return unauthenticated(reply, `Without a bearer token the codec answers callers on the API's own machine only; from elsewhere, send the token of a role that reads dossiers (${DOSSIER_READERS.join(', ')}).`);
}
