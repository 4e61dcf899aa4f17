// The console's one way to the API: openapi-fetch over the types generated from the API's own
// OpenAPI document (schema.d.ts, made by console/scripts/build.ts). A path, a parameter or a body
// the API does not have is a type error in the console's build.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** An RFC 9457 problem as the API answers it (docs/errors.md). */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly code?: string;
  readonly rule?: string;
  readonly detail?: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
}

/** A refused or failed call, carrying the API's problem so the screen can show its rule and remedy. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? 'The request failed');
  }
}

let bearer: string | null = null;
let onUnauthenticated: () => void = () => {};

/** The session's token for every call; `expired` runs when the API says it is no longer valid. */
export function useToken(token: string | null, expired: () => void): void {
  bearer = token;
  onUnauthenticated = expired;
}

const authenticate: Middleware = {
  onRequest({ request }) {
    if (bearer) request.headers.set('authorization', `Bearer ${bearer}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && bearer) onUnauthenticated();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });
api.use(authenticate);

/** The data of an answer, or its problem thrown as an ApiProblem (for TanStack Query and forms). */
export function unwrap<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.error !== undefined || !answer.response.ok) {
    const problem = (typeof answer.error === 'object' && answer.error !== null ? answer.error : {}) as Problem;
    throw new ApiProblem({ status: answer.response.status, ...problem });
  }
  return answer.data as T;
}

/**
 * A fresh Idempotency-Key (docs/api.md): a form takes one when it opens and sends it with every
 * retry of the same submission, so a double click or a retry after a lost answer is recorded once.
 * `crypto.randomUUID` exists only on https and localhost; a commune's intranet may serve plain
 * http, where `getRandomValues` still does.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
