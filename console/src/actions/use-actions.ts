// The commands the signed-in person may send on a dossier now, and the ones their role could send
// but the dossier's state refuses, with the decider's reason: GET /dossiers/{code}/actions
// (docs/api.md). Until that route is in the OpenAPI document this is a typed fetch with the
// session's token, as api/client.ts sends it; the generated client replaces it then.
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, type Problem } from '../api/client';
import { useSignedIn } from '../auth/session';
import type { AvailableAction, UnavailableAction } from './types';

export interface DossierActions {
  readonly dossierCode: string;
  readonly status: string;
  readonly streamVersion: number;
  readonly actions: readonly AvailableAction[];
  readonly unavailable: readonly UnavailableAction[];
}

export async function fetchActions(code: string, token: string): Promise<DossierActions> {
  const response = await fetch(`/dossiers/${encodeURIComponent(code)}/actions`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiProblem({ status: response.status, ...(typeof body === 'object' && body !== null ? (body as Problem) : {}) });
  return body as DossierActions;
}

export const actionsQueryKey = (code: string) => ['dossier', code, 'actions'] as const;

export function useActions(code: string) {
  const { token } = useSignedIn();
  return useQuery({ queryKey: actionsQueryKey(code), queryFn: () => fetchActions(code, token) });
}
