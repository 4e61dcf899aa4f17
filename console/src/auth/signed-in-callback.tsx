// The return from the identity provider (src/auth/identity-provider.ts): completes the sign-in,
// keeps the access token as the session and goes to the person's start screen.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Navigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { ProblemView } from '../components/problem-view';
import { useT } from '../i18n/i18n';
import { completeIdentityProviderSignIn } from './identity-provider';
import { sessionFromToken, useSession } from './session';

export default function SignedInCallback() {
  const t = useT();
  const { session, signIn } = useSession();
  const [error, setError] = useState<unknown>(null);
  const options = useQuery({ queryKey: ['sign-in-options'], queryFn: async () => unwrap(await api.GET('/auth/sign-in-options')) });
  const provider = options.data?.identityProvider;
  useEffect(() => {
    if (!provider || session) return;
    completeIdentityProviderSignIn(provider)
      .then((token) => {
        const next = sessionFromToken(token, false);
        if (!next) throw new Error(t('signIn.failed'));
        signIn(next);
      })
      .catch(setError);
  }, [provider, session, signIn, t]);
  if (session) return <Navigate to="/" replace />;
  return (
    <main id="main">
      {error || options.error ? <ProblemView error={error ?? options.error} /> : <p role="status">{t('app.loading')}</p>}
    </main>
  );
}
