// The console's screens and their addresses under /console/ (docs/console.md). Each screen group is
// its own script, loaded when first opened, so the first load stays small.
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { type StaffRole, useSession } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { useT } from './i18n/i18n';
import { Shell } from './layout/shell';

const SignedInCallback = lazy(() => import('./auth/signed-in-callback'));
const ReceptionQueuePage = lazy(() => import('./pages/reception/reception-queue-page'));
const ReceivePage = lazy(() => import('./pages/reception/receive-page'));
const SearchPage = lazy(() => import('./pages/reception/search-page'));
const OfficerQueuePage = lazy(() => import('./pages/officer/officer-queue-page'));
const DossierPage = lazy(() => import('./pages/dossier/dossier-page'));
const DashboardPage = lazy(() => import('./pages/head/dashboard-page'));
const RegisterPage = lazy(() => import('./pages/head/register-page'));
const AuditPage = lazy(() => import('./pages/auditor/audit-page'));
const AuditDossierPage = lazy(() => import('./pages/auditor/audit-dossier-page'));
// The public part (no sign-in): citizens' lookup and evaluation, a unit's procedures and results.
const PublicLayout = lazy(() => import('./pages/public/public-layout'));
const PublicIndexPage = lazy(() => import('./pages/public/public-index-page'));
const LookupPage = lazy(() => import('./pages/public/lookup-page'));
const ProceduresPage = lazy(() => import('./pages/public/procedures-page'));
const ProcedurePage = lazy(() => import('./pages/public/procedure-page'));
const ResultsPage = lazy(() => import('./pages/public/results-page'));
// Feedback and complaints (PAKN): the staff's queue, item and intake; the citizen's form and lookup.
const FeedbackQueuePage = lazy(() => import('./pages/feedback/feedback-queue-page'));
const FeedbackIntakePage = lazy(() => import('./pages/feedback/feedback-intake-page'));
const FeedbackItemPage = lazy(() => import('./pages/feedback/feedback-item-page'));
const FeedbackFormPage = lazy(() => import('./pages/public/feedback-form-page'));
const FeedbackLookupPage = lazy(() => import('./pages/public/feedback-lookup-page'));

/** Where each role lands after signing in. */
export const HOME: Record<StaffRole, string> = { reception: '/reception', officer: '/queue', head: '/dashboard', auditor: '/audit', admin: '/search' };

function Loading() {
  const t = useT();
  return (
    <p role="status" className="loading">
      {t('app.loading')}
    </p>
  );
}

function screen(element: ReactNode) {
  return <Suspense fallback={<Loading />}>{element}</Suspense>;
}

/** Signed in: the shell and its screens; otherwise the sign-in. */
function Gate() {
  const { session } = useSession();
  return session ? <Shell /> : <SignInPage />;
}

function Home() {
  const { session } = useSession();
  return session ? <Navigate to={HOME[session.role]} replace /> : null;
}

function NotFound() {
  const t = useT();
  return (
    <section>
      <h1>{t('app.notFound')}</h1>
      <a href="/console/">{t('app.backHome')}</a>
    </section>
  );
}

export const router = createBrowserRouter(
  [
    { path: '/signed-in', element: screen(<SignedInCallback />) },
    {
      path: '/cong-khai',
      element: screen(<PublicLayout />),
      children: [
        { index: true, element: screen(<PublicIndexPage />) },
        { path: 'tra-cuu', element: screen(<LookupPage />) },
        { path: 'don-vi/:agencyCode/thu-tuc', element: screen(<ProceduresPage />) },
        { path: 'don-vi/:agencyCode/thu-tuc/:procedureCode', element: screen(<ProcedurePage />) },
        { path: 'don-vi/:agencyCode/ket-qua', element: screen(<ResultsPage />) },
        { path: 'phan-anh', element: screen(<FeedbackFormPage />) },
        { path: 'phan-anh/tra-cuu', element: screen(<FeedbackLookupPage />) },
        { path: '*', element: <NotFound /> },
      ],
    },
    {
      path: '/',
      element: <Gate />,
      children: [
        { index: true, element: <Home /> },
        { path: 'reception', element: screen(<ReceptionQueuePage />) },
        { path: 'reception/new', element: screen(<ReceivePage />) },
        { path: 'search', element: screen(<SearchPage />) },
        { path: 'queue', element: screen(<OfficerQueuePage />) },
        { path: 'dossiers/:code', element: screen(<DossierPage />) },
        { path: 'dashboard', element: screen(<DashboardPage />) },
        { path: 'register', element: screen(<RegisterPage />) },
        { path: 'audit', element: screen(<AuditPage />) },
        { path: 'audit/:code', element: screen(<AuditDossierPage />) },
        { path: 'feedback', element: screen(<FeedbackQueuePage />) },
        { path: 'feedback/new', element: screen(<FeedbackIntakePage />) },
        { path: 'feedback/:id', element: screen(<FeedbackItemPage />) },
        { path: '*', element: <NotFound /> },
      ],
    },
  ],
  { basename: '/console' },
);
