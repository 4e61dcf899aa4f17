// The dossier's payment requests on the citizen's lookup (GET /lookup/{code}/payments), and paying one
// online (POST /lookup/{code}/payments): the browser goes to the national payment platform's page it
// answers; the platform calls the engine back and the request shows paid here (docs/citizens.md#paying-online).
// What may be paid is the API's answer: a button only for a `pending` request while the engine
// offers online payment. The secret stays in the page; for the round trip to the platform the tab
// keeps the code and secret (sessionStorage) so that coming back shows the dossier again, once.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ProblemView } from '../../components/problem-view';
import { formatDateTime, formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';

type Payments = paths['/lookup/{code}/payments']['get']['responses'][200]['content']['application/json'];
type PaymentRequest = Payments['requests'][number];

const RETURN_KEY = 'motcua.public.paying';
/** How long the tab remembers a round trip to the payment platform. */
const RETURN_WITHIN_MS = 60 * 60 * 1000;

/** The code and secret of a payment started in this tab, if the citizen is coming back from the platform (`forgetPayment` once the page has it). */
export function returningFromPayment(code: string | null): { code: string; secret: string } | null {
  let stored: { code?: unknown; secret?: unknown; at?: unknown } | null = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(RETURN_KEY) ?? 'null');
  } catch {
    return null;
  }
  if (!stored || typeof stored.code !== 'string' || typeof stored.secret !== 'string' || typeof stored.at !== 'number') return null;
  if (Date.now() - stored.at > RETURN_WITHIN_MS || (code !== null && code !== stored.code)) return null;
  return { code: stored.code, secret: stored.secret };
}

export function forgetPayment(): void {
  try {
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    // No storage: nothing was kept.
  }
}

export function LookupPayments({ code, secret }: { readonly code: string; readonly secret: string }) {
  const { t, language } = useI18n();
  const headingId = useId();
  const payments = useQuery({
    queryKey: ['public', 'lookup-payments', code, secret],
    queryFn: async () => unwrap(await api.GET('/lookup/{code}/payments', { params: { path: { code }, query: { secret } } })),
  });
  const pay = useMutation({
    mutationFn: async (reference: string) => unwrap(await api.POST('/lookup/{code}/payments', { params: { path: { code } }, body: { secret, reference } })),
    onSuccess: ({ paymentUrl }) => {
      try {
        sessionStorage.setItem(RETURN_KEY, JSON.stringify({ code, secret, at: Date.now() }));
      } catch {
        // No storage (a private window's quota): coming back, the citizen types the secret again.
      }
      window.location.assign(paymentUrl);
    },
    // A refusal may mean the request changed meanwhile (paid another way): show it as it is now.
    onError: () => payments.refetch(),
  });
  if (payments.error) return <ProblemView error={payments.error} />;
  const answer = payments.data;
  if (!answer || answer.requests.length === 0) return null;
  const offered = answer.onlinePayment;
  return (
    <section className="card public-payments" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('public.payments.title')}</h2>
      <p>{offered ? t('public.payments.intro') : t('public.payments.notOffered')}</p>
      <table className="public-table">
        <caption className="visually-hidden">{t('public.payments.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('public.payments.what')}</th>
            <th scope="col">{t('public.payments.amount')}</th>
            <th scope="col">{t('public.payments.status')}</th>
            <th scope="col">{t('public.payments.paidAt')}</th>
            {offered && <th scope="col">{t('public.payments.action')}</th>}
          </tr>
        </thead>
        <tbody>
          {answer.requests.map((request) => (
            <tr key={request.reference}>
              <td id={`payment-${request.reference}`}>
                {request.purpose === 'fees' ? t('public.payments.fees') : t('public.payments.obligation')}
                <ul>
                  {request.items.map((item) => (
                    <li key={item.name}>
                      {item.name}: {formatMoney(item.amountVnd, language)}
                    </li>
                  ))}
                </ul>
                {request.note && <small>{request.note}</small>}
              </td>
              <td>{formatMoney(request.amountVnd, language)}</td>
              <td>
                {t(`public.payments.status.${request.status}`)}
                <OnlineState request={request} />
              </td>
              <td>{request.paidAt ? formatDateTime(request.paidAt, language) : '—'}</td>
              {offered && (
                <td>
                  {request.status === 'pending' && (
                    <button type="button" aria-describedby={`payment-${request.reference}`} disabled={pay.isPending} onClick={() => pay.mutate(request.reference)}>
                      {t('public.payments.pay')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {pay.isPending && (
        <p role="status" className="loading">
          {t('public.payments.redirecting')}
        </p>
      )}
      <ProblemView error={pay.error} />
    </section>
  );
}

/** What the platform said of a pending request's online payment, if it was started. */
function OnlineState({ request }: { readonly request: PaymentRequest }) {
  const { t } = useI18n();
  if (request.status !== 'pending' || !request.online) return null;
  if (request.online.state === 'khoi-tao') return <small className="public-payment-state">{t('public.payments.underWay')}</small>;
  if (request.online.state === 'that-bai') return <small className="public-payment-state">{t('public.payments.failed')}</small>;
  return null;
}
