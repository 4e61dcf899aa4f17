// One procedure of a unit (GET /public/units/{agencyCode}/procedures/{procedureCode}): what to bring,
// fees, time limit, legal basis, who resolves it and how to submit; no sign-in.
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { formatDate, formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';

export default function ProcedurePage() {
  const { t, language } = useI18n();
  const { agencyCode = '', procedureCode = '' } = useParams();
  const answer = useQuery({
    queryKey: ['public', 'procedure', agencyCode, procedureCode],
    queryFn: async () => unwrap(await api.GET('/public/units/{agencyCode}/procedures/{procedureCode}', { params: { path: { agencyCode, procedureCode } } })),
  });
  const procedure = answer.data?.procedure;
  return (
    <section>
      <p>
        <Link to={`/cong-khai/don-vi/${agencyCode}/thu-tuc`}>{t('public.procedure.back')}</Link>
      </p>
      <h1>{procedure ? procedure.name : procedureCode}</h1>
      {answer.isPending && <p role="status" className="loading">{t('app.loading')}</p>}
      <ProblemView error={answer.error} />
      {procedure && (
        <>
          <dl className="public-facts">
            <dt>{t('public.procedures.code')}</dt>
            <dd>{procedure.code}</dd>
            <dt>{t('public.procedures.field')}</dt>
            <dd>{procedure.field}</dd>
            <dt>{t('public.procedure.competent')}</dt>
            <dd>{procedure.competentAgencies.map((agency) => agency.name ?? agency.agencyCode).join('; ')}</dd>
            <dt>{t('public.procedures.timeLimit')}</dt>
            <dd>{procedure.timeLimit.label}</dd>
            <dt>{t('public.procedures.online')}</dt>
            <dd>{t(`public.online.${procedure.online.level}`)}</dd>
            <dt>{t('public.procedure.channels')}</dt>
            <dd>{procedure.channels.map((channel) => t(`public.procedure.channel.${channel}`)).join('; ')}</dd>
          </dl>
          <h2>{t('public.procedure.components')}</h2>
          <table className="public-table">
            <thead>
              <tr>
                <th scope="col">{t('public.procedure.component.name')}</th>
                <th scope="col">{t('public.procedure.component.form')}</th>
                <th scope="col">{t('public.procedure.component.count')}</th>
                <th scope="col">{t('public.procedure.component.required')}</th>
              </tr>
            </thead>
            <tbody>
              {procedure.components.map((component) => (
                <tr key={component.id}>
                  <td>{component.name}</td>
                  <td>{component.formLabel}</td>
                  <td>{component.count}</td>
                  <td>{component.required ? t('public.procedure.component.required') : t('public.procedure.component.optional')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('public.procedure.fees')}</h2>
          {procedure.fees.length === 0 ? (
            <p>{t('public.procedure.noFees')}</p>
          ) : (
            <ul>
              {procedure.fees.map((fee) => (
                <li key={fee.name}>
                  {fee.name}: {formatMoney(fee.amountVnd, language)}
                </li>
              ))}
            </ul>
          )}
          <h2>{t('public.procedure.legalBasis')}</h2>
          <p className="public-legal">{procedure.legalBasis}</p>
          <p>
            <small>{t('public.procedure.version', { version: procedure.version, from: formatDate(procedure.effectiveFrom, language) })}</small>
          </p>
        </>
      )}
    </section>
  );
}
