// The auditor's start: open any dossier's history by its code, or from the newest dossiers (auditors
// list every agency's, GET /dossiers), all of them, only the engine's own or only the mirrors of
// dossiers handled on a ministry's system (marked with their source).
import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import { statusText } from '../head/status';
import './auditor.css';

export default function AuditPage() {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [source, setSource] = useState<'all' | 'own' | 'mirrored'>('all');
  const recent = useInfiniteQuery({
    queryKey: ['dossiers', 'recent', source],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/dossiers', { params: { query: { limit: 25, ...(source === 'all' ? {} : { mirrored: source === 'mirrored' ? ('true' as const) : ('false' as const) }), ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.trim();
    if (trimmed) void navigate(`/audit/${encodeURIComponent(trimmed)}`);
  };
  const items = recent.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="audit">
      <h1>{t('auditor.find.title')}</h1>
      <form className="card audit-find" onSubmit={submit}>
        <label>
          {t('auditor.find.code')}
          <input value={code} onChange={(event) => setCode(event.target.value)} required aria-describedby="audit-code-hint" autoComplete="off" spellCheck={false} />
          <small id="audit-code-hint">{t('auditor.find.codeHint')}</small>
        </label>
        <div className="actions-row">
          <button type="submit" className="primary">
            {t('auditor.find.open')}
          </button>
        </div>
      </form>
      <h2>{t('auditor.recent.title')}</h2>
      <label className="audit-source">
        {t('interagency.filter.source')}{' '}
        <select value={source} onChange={(event) => setSource(event.target.value as typeof source)}>
          {(['all', 'own', 'mirrored'] as const).map((value) => (
            <option key={value} value={value}>
              {t(`interagency.filter.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <ProblemView error={recent.error} />
      {recent.isPending && <p className="loading" role="status">{t('app.loading')}</p>}
      {recent.data && items.length === 0 && <p>{t('auditor.recent.none')}</p>}
      {items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('auditor.recent.code')}</th>
              <th scope="col">{t('auditor.recent.procedure')}</th>
              <th scope="col">{t('auditor.recent.agency')}</th>
              <th scope="col">{t('auditor.recent.status')}</th>
              <th scope="col">{t('auditor.recent.receivedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.dossierCode}>
                <th scope="row">
                  <Link to={`/audit/${item.dossierCode}`}>{item.dossierCode}</Link>
                  {item.mirroredFrom && (
                    <>
                      {' '}
                      <span className="badge mirrored">{t('interagency.mirror.marker', { system: item.mirroredFrom })}</span>
                    </>
                  )}
                </th>
                <td>{item.procedureCode}</td>
                <td>{item.agencyCode}</td>
                <td>{statusText(t, item.status)}</td>
                <td>{formatDateTime(item.receivedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {recent.hasNextPage && (
        <div className="actions-row">
          <button type="button" onClick={() => void recent.fetchNextPage()} disabled={recent.isFetchingNextPage}>
            {t('auditor.recent.more')}
          </button>
        </div>
      )}
    </section>
  );
}
