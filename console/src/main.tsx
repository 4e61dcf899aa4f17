// The staff console's entry: language, session, a data cache for each person signed in, then the screens (docs/console.md).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiProblem } from './api/client';
import { SessionProvider, useSession } from './auth/session';
import { I18nProvider } from './i18n/i18n';
import { router } from './routes';
import './styles.css';

function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal is an answer, not a glitch: retry only what may pass on a second try.
        retry: (failures, error) => failures < 2 && !(error instanceof ApiProblem && error.problem.status !== undefined && error.problem.status < 500),
        staleTime: 5_000,
        refetchOnWindowFocus: true,
      },
    },
  });
}

/**
 * A data cache for each person signed in: what the last person read (a dossier's actions, their
 * queue) is never shown to the next one at a shared counter computer, even for the seconds it would
 * count as fresh. A renewed token of the same person keeps the cache.
 */
function PersonsCache({ children }: { readonly children: ReactNode }) {
  const { session } = useSession();
  return <PersonCache key={session ? `${session.user}|${session.role}|${session.agency}` : ''}>{children}</PersonCache>;
}

function PersonCache({ children }: { readonly children: ReactNode }) {
  const [client] = useState(newQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <PersonsCache>
          <RouterProvider router={router} />
        </PersonsCache>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
