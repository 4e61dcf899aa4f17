// A unit's procedures in force today (GET /public/units/{agencyCode}/procedures), no sign-in.
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { formatDate } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';

export default function ProceduresPage() {
  const { t, language } = useI18n();
  const { agencyCode = '' } = useParams();
  const catalogue = useQuery({
    queryKey: ['public', 'procedures', agencyCode],
    queryFn: async () => unwrap(await api.GET('/public/units/{agencyCode}/procedures', { params: { path: { agencyCode } } })),
  });
  const data = catalogue.data;
  return (
    <section>
      <h1>{data ? t('public.procedures.title', { unit: data.unit.name }) : t('public.procedures.titleNoUnit')}</h1>
      {catalogue.isPending && <p role="status" className="loading">{t('app.loading')}</p>}
      <ProblemView error={catalogue.error} />
      {data && (
        <>
          <p>{t('public.procedures.day', { day: formatDate(data.day, language) })}</p>
          {data.procedures.length === 0 ? (
            <p>{t('public.procedures.none')}</p>
          ) : (
            <table className="public-table">
              <thead>
                <tr>
                  <th scope="col">{t('public.procedures.code')}</th>
                  <th scope="col">{t('public.procedures.name')}</th>
                  <th scope="col">{t('public.procedures.field')}</th>
                  <th scope="col">{t('public.procedures.timeLimit')}</th>
                  <th scope="col">{t('public.procedures.online')}</th>
                </tr>
              </thead>
              <tbody>
                {data.procedures.map((procedure) => (
                  <tr key={procedure.code}>
                    <td>{procedure.code}</td>
                    <td>
                      <Link to={`/cong-khai/don-vi/${agencyCode}/thu-tuc/${procedure.code}`}>{procedure.name}</Link>
                    </td>
                    <td>{procedure.field}</td>
                    <td>{procedure.timeLimit.label}</td>
                    <td>{t(`public.online.${procedure.online.level}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
