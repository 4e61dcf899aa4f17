// The staff console's entry: language, data cache, session (which empties the cache at sign-in and sign-out), then the screens (docs/console.md).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiProblem } from './api/client';
import { SessionProvider } from './auth/session';
import { I18nProvider } from './i18n/i18n';
import { router } from './routes';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal is an answer, not a glitch: retry only what may pass on a second try.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiProblem && error.problem.status !== undefined && error.problem.status < 500),
      staleTime: 5_000,
      refetchOnWindowFocus: true,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
