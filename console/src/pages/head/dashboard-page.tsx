// The head's Decision 766 dashboard (docs/console.md): the indicators of their unit, or of a unit
// below it, over a period and as of an instant, each against the unit's local target; and the
// dossiers that went overdue in the period with their apology and explanation. Every figure is the
// API's (GET /reports/indicators, GET /reports/lateness); the screen computes none.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { useSignedIn } from '../../auth/session';
import { ProblemView } from '../../components/problem-view';
import { useI18n } from '../../i18n/i18n';
import { PeriodFields, usePeriodChoice } from './period-fields';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format';
import type { MessageKey } from '../../i18n/vi';
import { FeedbackIndicators } from './feedback-indicators';
import { IndicatorChart } from './indicator-chart';
import { type Period, presetPeriod, vietnamInstant } from './period';
import { unitsWithin, useUnits } from './units';
import './head.css';

type IndicatorQuery = NonNullable<paths['/reports/indicators']['get']['parameters']['query']>;
/** Without `format` the report is JSON (the CSV alternative is for downloads). */
type IndicatorReport = paths['/reports/indicators']['get']['responses'][200]['content']['application/json'];

interface Selection extends Period {
  readonly asOf?: string;
  readonly agency?: string;
}

/** The counts shown beside the charts, in the order a head reads them; the mirrored ones (dossiers
 * handled on a ministry's system, docs/reports.md#mirrored-dossiers) sit under what they are part of;
 * the evaluations by source last (docs/reports.md#evaluations-by-source). */
const COUNTS = ['registered', 'carriedOver', 'accepted', 'acceptedOnline', 'acceptedMirrored', 'resolved', 'resolvedMirrored', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'inProgressWithinTime', 'inProgressOverdue', 'evaluationsOnline', 'evaluationsOnPaperForm', 'evaluationsStaffRecorded'] as const;

export default function DashboardPage() {
  const { t, language } = useI18n();
  const session = useSignedIn();
  const periodChoice = usePeriodChoice();
  const { today, period } = periodChoice;
  const [asOfLocal, setAsOfLocal] = useState('');
  const [agency, setAgency] = useState(session.role === 'auditor' ? '' : session.agency);
  const [selection, setSelection] = useState<Selection>({ ...presetPeriod('month', today), ...(session.role === 'auditor' ? {} : { agency: session.agency }) });
  const units = useUnits();
  const choices = session.role === 'auditor' ? (units.data ?? []) : unitsWithin(units.data ?? [], session.agency);

  const query: IndicatorQuery = {
    from: selection.from,
    to: selection.to,
    ...(selection.asOf ? { asOf: selection.asOf } : {}),
    ...(selection.agency ? { agency: selection.agency } : {}),
  };
  const indicators = useQuery({
    queryKey: ['reports', 'indicators', query],
    queryFn: async () => unwrap(await api.GET('/reports/indicators', { params: { query } })) as IndicatorReport,
  });
  const lateness = useInfiniteQuery({
    queryKey: ['reports', 'lateness', query],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/reports/lateness', { params: { query: { from: query.from, to: query.to, ...(query.asOf ? { asOf: query.asOf } : {}), ...(query.agency ? { agency: query.agency } : {}), ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const asOf = vietnamInstant(asOfLocal);
    setSelection({ ...period, ...(asOf ? { asOf } : {}), ...(agency ? { agency } : {}) });
  };

  const report = indicators.data;
  const group = report?.groups[0];
  const unitName = (code: string | null | undefined) => (code ? (choices.find((unit) => unit.code === code)?.name ?? code) : t('head.period.allUnits'));
  const latePages = lateness.data?.pages ?? [];
  const lateGroups = latePages[0]?.groups ?? [];
  const lateDossiers = latePages.flatMap((page) => page.groups.flatMap((lateGroup) => lateGroup.dossiers.map((dossier) => ({ ...dossier, agencyCode: lateGroup.agencyCode }))));

  return (
    <section className="dashboard">
      <h1>{t('head.dashboard.title')}</h1>
      <form className="card report-filters" onSubmit={submit} aria-label={t('head.dashboard.filters')}>
        <PeriodFields id="report" choice={periodChoice} />
        <label>
          {t('head.period.asOf')}
          <input type="datetime-local" step={1} value={asOfLocal} onChange={(event) => setAsOfLocal(event.target.value)} aria-describedby="as-of-hint" />
          <small id="as-of-hint">{t('head.period.asOfHint')}</small>
        </label>
        {(choices.length > 1 || session.role === 'auditor') && (
          <div className="oversight-field">
            <label htmlFor="report-unit">{t('head.period.unit')}</label>
            <select id="report-unit" value={agency} onChange={(event) => setAgency(event.target.value)}>
              {session.role === 'auditor' && <option value="">{t('head.period.allUnits')}</option>}
              {choices.map((unit) => (
                <option key={unit.code} value={unit.code}>
                  {unit.code} — {unit.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="actions-row">
          <button type="submit" className="primary">
            {t('head.period.show')}
          </button>
        </div>
      </form>

      <ProblemView error={indicators.error} />
      {indicators.isPending && <p className="loading" role="status">{t('app.loading')}</p>}
      {report && (
        <>
          <p className="report-scope" role="status">
            {t('head.dashboard.figuresOf', { unit: unitName(report.agencyCode), from: formatDate(selection.from, language), to: formatDate(selection.to, language), end: formatDateTime(report.end, language) })}
          </p>
          {report.projection.pendingEvents > 0 && <p className="notice-pending">{t('head.dashboard.pending', { n: report.projection.pendingEvents })}</p>}
          <h2>{t('head.dashboard.indicators')}</h2>
          <div className="indicator-grid">
            {group?.indicators.map((indicator) => <IndicatorChart key={indicator.id} indicator={indicator} />)}
          </div>
          {group && (
            <>
              <h2>{t('head.dashboard.counts')}</h2>
              <table className="counts">
                <thead>
                  <tr>
                    <th scope="col">{t('head.count.name')}</th>
                    <th scope="col">{t('head.count.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  {COUNTS.filter((name) => name in group.counts).map((name) => (
                    <tr key={name}>
                      <th scope="row">{t(`head.count.${name}` as MessageKey)}</th>
                      <td>{formatNumber(group.counts[name] ?? 0, language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}

      {selection.agency && <FeedbackIndicators from={selection.from} to={selection.to} unit={selection.agency} />}

      <h2>{t('head.lateness.title')}</h2>
      <ProblemView error={lateness.error} />
      {lateness.data && lateGroups.length === 0 && <p>{t('head.lateness.none')}</p>}
      {lateGroups.length > 0 && (
        <>
          <table className="lateness-summary">
            <caption>{t('head.lateness.summary')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('head.lateness.agency')}</th>
                <th scope="col">{t('head.lateness.late')}</th>
                <th scope="col">{t('head.lateness.apologised')}</th>
                <th scope="col">{t('head.lateness.notApologised')}</th>
                <th scope="col">{t('head.lateness.explained')}</th>
                <th scope="col">{t('head.lateness.notExplained')}</th>
                <th scope="col">{t('head.lateness.explanationOverdue')}</th>
              </tr>
            </thead>
            <tbody>
              {lateGroups.map((lateGroup) => (
                <tr key={lateGroup.agencyCode}>
                  <th scope="row">{lateGroup.agencyCode}</th>
                  <td>{lateGroup.late}</td>
                  <td>{lateGroup.apologised}</td>
                  <td>{lateGroup.notApologised}</td>
                  <td>{lateGroup.explained}</td>
                  <td>{lateGroup.notExplained}</td>
                  <td>{lateGroup.explanationOverdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="lateness-list">
            <caption>{t('head.lateness.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('head.lateness.code')}</th>
                <th scope="col">{t('head.lateness.agency')}</th>
                <th scope="col">{t('head.lateness.overdueAt')}</th>
                <th scope="col">{t('head.lateness.apology')}</th>
                <th scope="col">{t('head.lateness.explanation')}</th>
                <th scope="col">{t('head.lateness.explanationDue')}</th>
              </tr>
            </thead>
            <tbody>
              {lateDossiers.map((dossier) => (
                <tr key={dossier.dossierCode}>
                  <th scope="row">
                    <Link to={`/dossiers/${dossier.dossierCode}`}>{dossier.dossierCode}</Link>
                  </th>
                  <td>{dossier.agencyCode}</td>
                  <td>{formatDateTime(dossier.overdueAt, language)}</td>
                  <td>{dossier.latenessApologyAt ? t('head.lateness.apologyAt', { at: formatDateTime(dossier.latenessApologyAt, language) }) : <span className="badge overdue">{t('head.lateness.notApologised')}</span>}</td>
                  <td>{dossier.latenessExplainedAt ? t('head.lateness.explainedAt', { at: formatDateTime(dossier.latenessExplainedAt, language) }) : <span className="badge overdue">{t('head.lateness.notExplained')}</span>}</td>
                  <td>{formatDateTime(dossier.explanationDueAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {lateness.hasNextPage && (
            <div className="actions-row">
              <button type="button" onClick={() => void lateness.fetchNextPage()} disabled={lateness.isFetchingNextPage}>
                {t('head.lateness.more')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
