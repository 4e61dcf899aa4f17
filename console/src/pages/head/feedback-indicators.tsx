// The head's feedback figures beside the dossier indicators: Decision 766's 5.1 (feedback by
// category), 5.2 (handled on time) and 5.3 (satisfaction with the handling) of the unit over the
// chosen period, as GET /reports/feedback counts them (docs/feedback.md#the-766-indicators).
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { formatNumber } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/vi';

export function FeedbackIndicators({ from, to, unit }: { readonly from: string; readonly to: string; readonly unit: string }) {
  const { t, language } = useI18n();
  const report = useQuery({
    queryKey: ['reports', 'feedback', from, to, unit],
    queryFn: async () => unwrap(await api.GET('/reports/feedback', { params: { query: { from, to, unit } } })),
  });
  return (
    <section aria-labelledby="feedback-report-title">
      <h2 id="feedback-report-title">{t('feedback.report.title')}</h2>
      {report.isError && <p>{t('feedback.report.loadFailed')}</p>}
      <ProblemView error={report.error} />
      {report.data && (
        <>
          <p>{t('feedback.report.received', { n: formatNumber(report.data.counts.received, language) })}</p>
          <table className="counts">
            <thead>
              <tr>
                <th scope="col">{t('feedback.report.indicator')}</th>
                <th scope="col">{t('feedback.report.value')}</th>
                <th scope="col">{t('feedback.report.basis')}</th>
              </tr>
            </thead>
            <tbody>
              {report.data.indicators.map((indicator) => (
                <tr key={indicator.id}>
                  <th scope="row">
                    {indicator.decision766} — {t(`feedback.report.${indicator.id}` as MessageKey)}
                  </th>
                  <td>{indicator.value === null ? t('feedback.report.notApplicable') : `${formatNumber(indicator.value, language, 2)} %`}</td>
                  <td>{t('feedback.report.basisValue', { numerator: indicator.numerator, denominator: indicator.denominator })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
