// The return from the identity provider (src/auth/identity-provider.ts): completes the sign-in,
// keeps the access token as the session and goes to the person's start screen. A refusal (the
// person declined, the provider failed, the answer did not match the request) is shown with the way
// back to the sign-in screen.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
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
  // A code is exchanged once: the provider refuses a second try (and React's development mode runs
  // effects twice), so the exchange starts only once per visit of this screen.
  const started = useRef(false);
  const options = useQuery({ queryKey: ['sign-in-options'], queryFn: async () => unwrap(await api.GET('/auth/sign-in-options')) });
  const provider = options.data?.identityProvider;
  useEffect(() => {
    if (!provider || session || started.current) return;
    started.current = true;
    completeIdentityProviderSignIn(provider)
      .then((token) => {
        const next = sessionFromToken(token, false);
        if (!next) throw new Error(t('signIn.failed'));
        signIn(next);
      })
      .catch(setError);
  }, [provider, session, signIn, t]);
  if (session) return <Navigate to="/" replace />;
  const failure = error ?? options.error ?? (options.data && !provider ? new Error(t('signIn.none')) : null);
  return (
    <main id="main" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      {failure ? (
        <>
          <p>{t('signIn.failed')}</p>
          <ProblemView error={failure} />
          <a href="/console/">{t('app.backHome')}</a>
        </>
      ) : (
        <p role="status">{t('app.loading')}</p>
      )}
    </main>
  );
}
