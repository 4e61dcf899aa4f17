// The frame of every screen after sign-in: a skip link, the unit and person, the screens of the
// person's role, the language switch and sign-out. Keyboard order follows what is seen.
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { type Language, useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/vi';
import { type StaffRole, useSession, useSignedIn } from '../auth/session';

/** The screens each role starts from; the API still decides what each may read and do. */
export const NAVIGATION: Record<StaffRole, readonly { readonly to: string; readonly label: MessageKey }[]> = {
  reception: [
    { to: '/reception', label: 'nav.reception' },
    { to: '/reception/new', label: 'nav.receive' },
    { to: '/feedback', label: 'feedback.nav' },
    { to: '/search', label: 'nav.search' },
  ],
  officer: [
    { to: '/queue', label: 'nav.queue' },
    { to: '/feedback', label: 'feedback.nav' },
    { to: '/search', label: 'nav.search' },
  ],
  head: [
    { to: '/dashboard', label: 'nav.dashboard' },
    { to: '/queue', label: 'nav.queue' },
    { to: '/register', label: 'nav.register' },
    { to: '/feedback', label: 'feedback.nav' },
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
  const location = useLocation();
  const navigate = useNavigate();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A new screen: focus moves to its content, so a screen reader starts reading there and Tab goes
  // on from the top of the screen rather than from the link just clicked.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);
  // "/" anywhere but in a field opens the dossier search, as in most tools staff know.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        void navigate('/search');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
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
          <button
            type="button"
            onClick={() => {
              // The next person to sign in starts from their own role's first screen, not from the
              // page the last one left open (an expired session keeps its page, to resume there).
              signOut();
              void navigate('/', { replace: true });
            }}
          >
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </>
  );
}
