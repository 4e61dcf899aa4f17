// The certificates a signature is checked against, read for a request that verifies one: when they
// cannot be read the request is answered 503 verification-unavailable and the operator told in the log.
import type { FastifyReply } from 'fastify';
import { loadTrustAnchors } from '../documents/signing/keystore.js';
import { sendProblem } from './problem-details.js';

/**
 * The trust anchors from `files`, or undefined once the reply is answered 503 (the files unreadable).
 * `consequence` ends the problem's first sentence: what the caller cannot have without them.
 */
export function trustAnchorsOrUnavailable(reply: FastifyReply, files: readonly string[], consequence = ''): ReturnType<typeof loadTrustAnchors> | undefined {
  try {
    return loadTrustAnchors(files);
  } catch (error) {
    reply.log.error({ err: error }, 'trust anchors unreadable');
    sendProblem(reply, { type: 'urn:motcua:problem:verification-unavailable', title: 'Verification is unavailable', status: 503, detail: `The certificates this service trusts cannot be read (MOTCUA_TRUST_ANCHORS)${consequence}. Try again later; the operator has been told in the log.` });
    return undefined;
  }
}
