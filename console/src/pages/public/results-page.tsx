// A unit's published Decision 766 results (GET /public/units/{agencyCode}/results): a month, quarter
// or year that has ended; aggregate figures only; no sign-in. The period is in the address (?ky=).
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { formatDate, formatNumber, formatPercent } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';

export default function ResultsPage() {
  const { t, language } = useI18n();
  const { agencyCode = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const period = search.get('ky') ?? undefined;
  const [typed, setTyped] = useState(period ?? '');
  const results = useQuery({
    queryKey: ['public', 'results', agencyCode, period ?? ''],
    queryFn: async () => unwrap(await api.GET('/public/units/{agencyCode}/results', { params: { path: { agencyCode }, query: period ? { period } : {} } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(typed.trim() ? { ky: typed.trim() } : {});
  };
  const data = results.data;
  return (
    <section>
      <h1>{data ? t('public.results.title', { unit: data.unit.name }) : t('public.results.titleNoUnit')}</h1>
      <form className="card public-form" onSubmit={submit}>
        <label htmlFor="results-period">
          {t('public.results.period')}
          <input id="results-period" value={typed} placeholder={data?.period.period ?? '2026-03'} aria-describedby="results-period-hint" onChange={(event) => setTyped(event.target.value)} />
        </label>
        <small id="results-period-hint">{t('public.results.periodHint')}</small>
        <button type="submit">{t('public.results.show')}</button>
      </form>
      {results.isPending && <p role="status" className="loading">{t('app.loading')}</p>}
      <ProblemView error={results.error} />
      {data && (
        <>
          <h2>
            {data.period.period}: {t('public.results.span', { from: formatDate(data.period.firstDay, language), to: formatDate(data.period.lastDay, language) })}
          </h2>
          <table className="public-table">
            <thead>
              <tr>
                <th scope="col">{t('public.results.indicator')}</th>
                <th scope="col">{t('public.results.item')}</th>
                <th scope="col">{t('public.results.value')}</th>
                <th scope="col">{t('public.results.basis')}</th>
              </tr>
            </thead>
            <tbody>
              {data.indicators.map((indicator) => (
                <tr key={indicator.id}>
                  <td>{indicator.label}</td>
                  <td>{indicator.decision766 ?? '—'}</td>
                  <td>{indicator.value === null ? t('public.results.notApplicable') : indicator.unit === 'percent' ? formatPercent(indicator.value, language) : formatNumber(indicator.value, language, 2)}</td>
                  <td>
                    {formatNumber(indicator.numerator, language, 2)} / {formatNumber(indicator.denominator, language)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('public.results.dossiers')}</h2>
          <dl className="public-facts">
            <dt>{t('public.results.accepted')}</dt>
            <dd>{data.dossiers.accepted}</dd>
            <dt>{t('public.results.acceptedOnline')}</dt>
            <dd>{data.dossiers.acceptedOnline}</dd>
            <dt>{t('public.results.resolved')}</dt>
            <dd>{data.dossiers.resolved}</dd>
            <dt>{t('public.results.resolvedOnTime')}</dt>
            <dd>{data.dossiers.resolvedEarly766 + data.dossiers.resolvedOnTime766}</dd>
            <dt>{t('public.results.resolvedLate')}</dt>
            <dd>{data.dossiers.resolvedLate766}</dd>
          </dl>
          <h2>{t('public.results.evaluations')}</h2>
          <dl className="public-facts">
            <dt>{t('public.results.verySatisfied')}</dt>
            <dd>{data.evaluations.verySatisfied}</dd>
            <dt>{t('public.results.satisfied')}</dt>
            <dd>{data.evaluations.satisfied}</dd>
            <dt>{t('public.results.notSatisfied')}</dt>
            <dd>{data.evaluations.notSatisfied}</dd>
          </dl>
          <p>{t('public.results.bySource', { online: data.evaluations.bySource.online, paper: data.evaluations.bySource.paperForm, staff: data.evaluations.bySource.staffRecorded })}</p>
          <p>
            <small>{t('public.results.note')}</small>
          </p>
        </>
      )}
    </section>
  );
}
