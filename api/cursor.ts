// Opaque page cursors: the last row's sort key as base64url JSON, checked against its shape when
// it comes back, so a forged or stale cursor is a 400 rather than a database error.
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { invalidRequest } from './invalid-request.js';

export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, shape: z.ZodType<T>): T | undefined {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function invalidCursor(reply: FastifyReply): FastifyReply {
  return invalidRequest(reply, 'The cursor is not one this API gave out; start again without it.', { field: 'querystring.cursor', message: 'is not a cursor of this API' });
}
