// A 400 for one part of a request that its schema cannot judge (a header's form, a cursor's
// content): the same problem the schema validation answers, naming the field at fault.
import type { FastifyReply } from 'fastify';
import { sendProblem } from './problem-details.js';

export function invalidRequest(reply: FastifyReply, detail: string, error: { readonly field: string; readonly message: string }): FastifyReply {
  return sendProblem(reply, { type: 'urn:motcua:problem:validation-failed', title: 'The request is invalid', status: 400, detail, errors: [{ field: error.field, message: error.message }] });
}
