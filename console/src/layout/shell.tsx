// The frame of every screen after sign-in: a skip link, the unit and person, the screens of the
// person's role, the language switch and sign-out. Keyboard order follows what is seen.
import { NavLink, Outlet } from 'react-router';
import { type Language, useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/vi';
import { type StaffRole, useSession, useSignedIn } from '../auth/session';

/** The screens each role starts from; the API still decides what each may read and do. */
export const NAVIGATION: Record<StaffRole, readonly { readonly to: string; readonly label: MessageKey }[]> = {
  reception: [
    { to: '/reception', label: 'nav.reception' },
    { to: '/reception/new', label: 'nav.receive' },
    { to: '/search', label: 'nav.search' },
  ],
  officer: [
    { to: '/queue', label: 'nav.queue' },
    { to: '/search', label: 'nav.search' },
  ],
  head: [
    { to: '/dashboard', label: 'nav.dashboard' },
    { to: '/queue', label: 'nav.queue' },
    { to: '/register', label: 'nav.register' },
    { to: '/search', label: 'nav.search' },
  ],
  auditor: [
    { to: '/audit', label: 'nav.audit' },
    { to: '/search', label: 'nav.search' },
  ],
  admin: [{ to: '/search', label: 'nav.search' }],
};

export function Shell() {
  const { t, language, setLanguage } = useI18n();
  const session = useSignedIn();
  const { signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <span className="app-name">{t('app.name')}</span>
        {session.local && (
          <span className="local-badge" title={t('session.localHint')}>
            {t('session.local')}
          </span>
        )}
        <nav aria-label={t('nav.main')}>
          <ul>
            {NAVIGATION[session.role].map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end>
                  {t(item.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
          <span>{t('session.signedInAs', { name: session.name, role: t(`role.${session.role}` as MessageKey), agency: session.agency })}</span>
          <label className="language">
            <span className="visually-hidden">{t('language.label')}</span>
            <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
              <option value="vi">{t('language.vi')}</option>
              <option value="en">{t('language.en')}</option>
            </select>
          </label>
          <button type="button" onClick={() => signOut()}>
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
