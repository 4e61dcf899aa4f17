// The one-stop desk's work (Bộ phận Một cửa): dossiers received and not yet accepted (online
// submissions marked as such), supplements awaited, payments awaited, results to return, from the
// agency's work queue (GET /agencies/{agencyCode}/queue), soonest due first as the API orders it.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { ProblemView } from '../../components/problem-view';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import type { MessageKey } from '../../i18n/vi';
import { DueMark } from './due-mark';
import './reception.css';

const KINDS = ['check-dossier', 'await-supplement', 'await-payment', 'return-result'] as const;

export default function ReceptionQueuePage() {
  const { t, language } = useI18n();
  const session = useSignedIn();
  const [kind, setKind] = useState<'' | (typeof KINDS)[number]>('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  useEffect(() => {
    document.title = `${t('reception.queue.title')} — ${t('app.name')}`;
  }, [t]);

  const queue = useInfiniteQuery({
    queryKey: ['queue', session.agency, kind, overdueOnly],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/agencies/{agencyCode}/queue', {
          params: { path: { agencyCode: session.agency }, query: { ...(kind ? { kind } : {}), ...(overdueOnly ? { overdue: 'true' as const } : {}), limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
  // How the dossiers waiting to be checked came: an online submission is checked without the applicant.
  const received = useQuery({
    queryKey: ['dossiers', 'received', session.agency],
    queryFn: async () => unwrap(await api.GET('/dossiers', { params: { query: { agency: session.agency, status: 'received', limit: 200 } } })).items,
    refetchInterval: 30_000,
  });
  const channelOf = new Map((received.data ?? []).map((item) => [item.dossierCode, item.channel]));
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="reception-queue-title">
      <h1 id="reception-queue-title">{t('reception.queue.title')}</h1>
      <p>{t('reception.queue.intro')}</p>
      <div className="reception-filters">
        <label>
          {t('reception.queue.show')}
          <select value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
            <option value="">{t('reception.queue.kind.all')}</option>
            {KINDS.map((value) => (
              <option key={value} value={value}>
                {t(`reception.queue.kind.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={overdueOnly} onChange={(event) => setOverdueOnly(event.target.checked)} />
          {t('reception.queue.overdueOnly')}
        </label>
        <Link to="/reception/new" className="reception-new">
          {t('reception.queue.receiveNew')}
        </Link>
      </div>
      <ProblemView error={queue.error} />
      {queue.isPending ? (
        <p role="status">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('reception.queue.empty')}</p>
      ) : (
        <div className="reception-table-wrap">
          <table>
            <caption className="visually-hidden">{t('reception.queue.caption', { n: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reception.queue.code')}</th>
                <th scope="col">{t('reception.queue.task')}</th>
                <th scope="col">{t('reception.queue.channel')}</th>
                <th scope="col">{t('reception.queue.since')}</th>
                <th scope="col">{t('reception.queue.dueAt')}</th>
                <th scope="col">{t('reception.queue.dueState')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const channel = channelOf.get(item.dossierCode);
                return (
                  <tr key={`${item.dossierCode}/${item.item}`}>
                    <th scope="row">
                      <Link to={`/dossiers/${item.dossierCode}`}>{item.dossierCode}</Link>
                    </th>
                    <td>{(KINDS as readonly string[]).includes(item.kind) ? t(`reception.queue.kind.${item.kind}` as MessageKey) : item.task}</td>
                    <td>{channel === 'online' ? <span className="reception-online">{t('reception.queue.onlineMark')}</span> : channel ? t(`reception.channel.${channel}` as MessageKey) : '—'}</td>
                    <td>{formatDateTime(item.since, language)}</td>
                    <td>{formatDateTime(item.dueAt, language)}</td>
                    <td>
                      <DueMark dueAt={item.dueAt} overdue={item.overdue} dueSoon={item.dueSoon} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {queue.hasNextPage && (
        <div className="actions-row">
          <button type="button" onClick={() => void queue.fetchNextPage()} disabled={queue.isFetchingNextPage}>
            {t('reception.queue.more')}
          </button>
        </div>
      )}
    </section>
  );
}
