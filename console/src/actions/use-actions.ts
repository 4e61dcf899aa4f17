// The commands the signed-in person may send on a dossier now, and the ones their role could send
// but the dossier's state refuses, with the decider's reason: GET /dossiers/{code}/actions
// (docs/api.md), through the client generated from the API's own OpenAPI document.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const actionsQueryKey = (code: string) => ['dossier', code, 'actions'] as const;

export function useActions(code: string) {
  return useQuery({ queryKey: actionsQueryKey(code), queryFn: async () => unwrap(await api.GET('/dossiers/{code}/actions', { params: { path: { code } } })) });
}
