// The citizen's lookup (GET /lookup/{code}) with the code and the secret on the receipt, and on it
// the dossier's payment requests, paid online from here (./lookup-payments.tsx,
// docs/citizens.md#paying-online), and their own evaluation once the dossier is finished
// (POST /lookup/{code}/evaluation). The secret stays in the page, never in its address
// (docs/citizens.md#evaluating-your-dossier); `?ma=<code>` fills in the code (the payment request's
// notice links here).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ProblemView } from '../../components/problem-view';
import { formatDate, formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import { forgetPayment, LookupPayments, returningFromPayment } from './lookup-payments';

type Lookup = paths['/lookup/{code}']['get']['responses'][200]['content']['application/json'];
const RATINGS = ['very-satisfied', 'satisfied', 'not-satisfied'] as const;

export default function LookupPage() {
  const { t, language } = useI18n();
  const [search] = useSearchParams();
  // Back from the payment platform in this tab: the dossier the citizen was paying, shown again.
  const [returning] = useState(() => returningFromPayment(search.get('ma')));
  useEffect(forgetPayment, []);
  const [code, setCode] = useState(returning?.code ?? search.get('ma') ?? '');
  const [secret, setSecret] = useState(returning?.secret ?? '');
  const [asked, setAsked] = useState<{ code: string; secret: string } | null>(returning);
  const lookup = useQuery({
    queryKey: ['public', 'lookup', asked],
    enabled: asked !== null,
    queryFn: async () => unwrap(await api.GET('/lookup/{code}', { params: { path: { code: asked!.code }, query: { secret: asked!.secret } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() && secret.trim()) setAsked({ code: code.trim(), secret: secret.trim() });
  };
  return (
    <section>
      <h1>{t('public.lookup.title')}</h1>
      <p>{t('public.lookup.intro')}</p>
      <form className="card public-form" onSubmit={submit}>
        <label htmlFor="lookup-code">
          {t('public.lookup.code')}
          <input id="lookup-code" value={code} autoComplete="off" onChange={(event) => setCode(event.target.value)} />
        </label>
        <label htmlFor="lookup-secret">
          {t('public.lookup.secret')}
          <input id="lookup-secret" value={secret} autoComplete="off" onChange={(event) => setSecret(event.target.value)} />
        </label>
        <button type="submit">{t('public.lookup.submit')}</button>
      </form>
      {asked && lookup.isFetching && !lookup.data && <p role="status" className="loading">{t('app.loading')}</p>}
      <ProblemView error={lookup.error} />
      {asked && lookup.data && (
        <>
          <h2>{lookup.data.dossierCode}</h2>
          <dl className="public-facts">
            <dt>{t('public.lookup.procedure')}</dt>
            <dd>{lookup.data.procedure.name ?? lookup.data.procedure.code}</dd>
            <dt>{t('public.lookup.status')}</dt>
            <dd>{lookup.data.status.label}</dd>
            <dt>{t('public.lookup.receivedAt')}</dt>
            <dd>{formatDateTime(lookup.data.receivedAt, language)}</dd>
            <dt>{t('public.lookup.appointment')}</dt>
            <dd>
              {formatDateTime(lookup.data.appointment, language)}
              {lookup.data.appointmentNote && <small> ({lookup.data.appointmentNote})</small>}
            </dd>
            <dt>{t('public.lookup.heldBy')}</dt>
            <dd>{lookup.data.heldBy.length === 0 ? t('public.lookup.nobody') : lookup.data.heldBy.map((agency) => agency.name ?? agency.agencyCode).join('; ')}</dd>
          </dl>
          <LookupPayments code={lookup.data.dossierCode} secret={asked.secret} />
          <Evaluation lookup={lookup.data} secret={asked.secret} />
        </>
      )}
    </section>
  );
}

function Evaluation({ lookup, secret }: { readonly lookup: Lookup; readonly secret: string }) {
  const { t, language } = useI18n();
  const headingId = useId();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState<'' | (typeof RATINGS)[number]>('');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const send = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/lookup/{code}/evaluation', { params: { path: { code: lookup.dossierCode } }, body: { secret, rating: rating as (typeof RATINGS)[number], ...(comment.trim() ? { comment: comment.trim() } : {}) } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['public', 'lookup'] }),
  });
  const { evaluation } = lookup;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!rating);
    if (rating && !send.isPending) send.mutate();
  };
  return (
    <section className="card public-evaluation" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('public.evaluation.title')}</h2>
      {send.isSuccess && (
        <p role="status" className="notice-ok">
          {t('public.evaluation.thanks')}
        </p>
      )}
      {evaluation.state === 'not-yet-open' && <p>{t('public.evaluation.notYetOpen')}</p>}
      {evaluation.state === 'closed' && <p>{t('public.evaluation.closed', { until: formatDate(evaluation.until, language) })}</p>}
      {evaluation.state === 'recorded' && evaluation.recorded && (
        <p>
          {t('public.evaluation.recorded', { rating: t(`public.rating.${evaluation.recorded.rating}`), at: formatDateTime(evaluation.recorded.at, language) })} ({t(`public.evaluation.source.${evaluation.recorded.source}`)})
        </p>
      )}
      {evaluation.state === 'open' && (
        <form onSubmit={submit} noValidate>
          <p>{t('public.evaluation.open', { until: formatDate(evaluation.until, language) })}</p>
          <fieldset className="public-radios" aria-describedby={missing ? 'evaluation-missing' : undefined}>
            <legend>{t('public.evaluation.rating')}</legend>
            {RATINGS.map((value) => (
              <label key={value}>
                <input type="radio" name="public-rating" value={value} checked={rating === value} onChange={() => setRating(value)} />
                {t(`public.rating.${value}`)}
              </label>
            ))}
          </fieldset>
          {missing && (
            <p id="evaluation-missing" role="alert" className="problem">
              {t('public.evaluation.chooseRating')}
            </p>
          )}
          <label htmlFor="public-comment">{t('public.evaluation.comment')}</label>
          <textarea id="public-comment" value={comment} maxLength={2000} onChange={(event) => setComment(event.target.value)} />
          <ProblemView error={send.error} />
          <button type="submit" disabled={send.isPending}>
            {t('public.evaluation.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
