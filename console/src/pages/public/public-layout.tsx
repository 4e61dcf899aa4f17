// The frame of the public pages (no sign-in): the service's name, the public pages, the language
// switch and a link for staff to sign in. No staff screen is reachable from here.
import { Link, NavLink, Outlet, useParams } from 'react-router';
import { type Language, useI18n } from '../../i18n/i18n';
import './public.css';

export default function PublicLayout() {
  const { t, language, setLanguage } = useI18n();
  const { agencyCode } = useParams();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header public-header">
        <span className="app-name">{t('public.name')}</span>
        <nav aria-label={t('public.nav')}>
          <ul>
            <li>
              <NavLink to="/cong-khai/tra-cuu">{t('public.nav.lookup')}</NavLink>
            </li>
            <li>
              <NavLink to="/cong-khai/phan-anh" end>
                {t('feedback.public.sendLink')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/cong-khai/phan-anh/tra-cuu">{t('feedback.public.followLink')}</NavLink>
            </li>
            {agencyCode && (
              <>
                <li>
                  <NavLink to={`/cong-khai/don-vi/${agencyCode}/thu-tuc`}>{t('public.nav.procedures')}</NavLink>
                </li>
                <li>
                  <NavLink to={`/cong-khai/don-vi/${agencyCode}/ket-qua`}>{t('public.nav.results')}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="session">
          <label className="language">
            <span className="visually-hidden">{t('language.label')}</span>
            <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
              <option value="vi">{t('language.vi')}</option>
              <option value="en">{t('language.en')}</option>
            </select>
          </label>
          <Link to="/">{t('public.staffSignIn')}</Link>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        <Outlet />
      </main>
    </>
  );
}
