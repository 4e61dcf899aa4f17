// The sign-in screen. With the local sign-in of `npm start` it offers the sample roles and the
// catalogue's agencies and says plainly that it is local; with an identity provider it sends the
// person there (docs/console.md#signing-in).
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { ProblemView } from '../components/problem-view';
import { useT } from '../i18n/i18n';
import type { MessageKey } from '../i18n/vi';
import { sessionFromToken, useSession } from './session';

export function SignInPage() {
  const t = useT();
  const { signIn, ended } = useSession();
  const options = useQuery({ queryKey: ['sign-in-options'], queryFn: async () => unwrap(await api.GET('/auth/sign-in-options')) });
  const [role, setRole] = useState('reception');
  const [agency, setAgency] = useState('');
  const [user, setUser] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const local = options.data?.local;
  const provider = options.data?.mode === 'identity-provider' ? options.data.identityProvider : undefined;
  const chosenAgency = agency || local?.agencies[0]?.code || '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = unwrap(await api.POST('/auth/local-sign-in', { body: { role: role as 'reception', agency: chosenAgency, ...(user ? { user } : {}), ...(name ? { name } : {}) } }));
      const session = sessionFromToken(answer.token, true);
      if (!session) throw new Error(t('signIn.failed'));
      signIn(session);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      {ended === 'expired' && <p role="status">{t('session.expired')}</p>}
      {options.isPending && <p>{t('app.loading')}</p>}
      {options.error && <ProblemView error={options.error} />}
      {options.data?.mode === 'none' && <p>{t('signIn.none')}</p>}
      {provider && (
        <button type="button" className="primary" onClick={() => void import('./identity-provider').then((oidc) => oidc.startIdentityProviderSignIn(provider)).catch(setError)}>
          {t('signIn.identityProvider')}
        </button>
      )}
      {local && (
        <form onSubmit={submit} className="card">
          <p className="local-notice" role="note">
            {t('signIn.localNotice')}
          </p>
          <label>
            {t('signIn.role')}
            <select value={role} onChange={(event) => setRole(event.target.value)} name="role">
              {local.roles.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {t(`role.${candidate}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('signIn.agency')}
            <select value={chosenAgency} onChange={(event) => setAgency(event.target.value)} name="agency">
              {local.agencies.map((candidate) => (
                <option key={candidate.code} value={candidate.code}>
                  {candidate.name} ({candidate.code})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('signIn.user')}
            <input value={user} onChange={(event) => setUser(event.target.value)} name="user" autoComplete="username" aria-describedby="user-hint" />
            <small id="user-hint">{t('signIn.userHint')}</small>
          </label>
          <label>
            {t('signIn.name')}
            <input value={name} onChange={(event) => setName(event.target.value)} name="name" autoComplete="name" />
          </label>
          <ProblemView error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
      )}
    </main>
  );
}
