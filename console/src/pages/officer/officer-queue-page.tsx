// The agency's work queue (/console/queue): the steps and acts in its hands, soonest due first, each
// marked overdue or due soon in words and colour, with its handler and since when; filtered by
// overdue, due soon and "mine". The whole queue is read (500 a page) and only the rows in view are
// drawn (@tanstack/react-virtual), so a thousand dossiers scroll smoothly on a commune's PC. A step
// an outside system holds is marked as waiting for it; the receiving centre's follow-up item of it
// (follow-up:<step>#<run>) is due and overdue as the API says, like any row.
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { DueBadge, dueState } from '../../components/due-badge';
import { ProblemView } from '../../components/problem-view';
import { systemName } from '../../components/system-name';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import './officer.css';

/** Pages read at most: 20 × 500 items, far beyond a unit's day. */
const MAX_PAGES = 20;
const ROW_HEIGHT = 52;

async function wholeQueue(agencyCode: string) {
  const items = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = unwrap(await api.GET('/agencies/{agencyCode}/queue', { params: { path: { agencyCode }, query: { limit: 500, ...(cursor ? { cursor } : {}) } } }));
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}

export default function OfficerQueuePage() {
  const { t, language } = useI18n();
  const session = useSignedIn();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [dueSoonOnly, setDueSoonOnly] = useState(false);
  const [mine, setMine] = useState(false);
  const queue = useQuery({ queryKey: ['queue', session.agency], queryFn: () => wholeQueue(session.agency), refetchInterval: 60_000 });
  const rows = useMemo(
    () => (queue.data ?? []).filter((item) => (!overdueOnly || item.overdue) && (!dueSoonOnly || (item.dueSoon && !item.overdue)) && (!mine || item.handlerUserId === session.user)),
    [queue.data, overdueOnly, dueSoonOnly, mine, session.user],
  );
  const scroller = useRef<HTMLDivElement>(null);
  // A new filter starts the list from its soonest due, not wherever the last one was scrolled to.
  useEffect(() => {
    scroller.current?.scrollTo(0, 0);
  }, [overdueOnly, dueSoonOnly, mine]);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  return (
    <section className="officer-queue">
      <h1>{t('officer.queue.title')}</h1>
      <p>{t('officer.queue.agency', { agency: session.agency })}</p>
      <fieldset className="queue-filters">
        <legend>{t('officer.queue.filters')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={overdueOnly} onChange={(event) => setOverdueOnly(event.target.checked)} />
          {t('officer.queue.overdueOnly')}
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={dueSoonOnly} onChange={(event) => setDueSoonOnly(event.target.checked)} />
          {t('officer.queue.dueSoonOnly')}
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={mine} onChange={(event) => setMine(event.target.checked)} />
          {t('officer.queue.mine')}
        </label>
      </fieldset>
      {queue.isPending && <p className="loading">{t('app.loading')}</p>}
      {queue.isError && (
        <>
          <p>{t('officer.queue.loadFailed')}</p>
          <ProblemView error={queue.error} />
        </>
      )}
      {queue.data && (
        <>
          <p role="status" className="queue-count">
            {t('officer.queue.count', { shown: rows.length, total: queue.data.length })}
          </p>
          {rows.length === 0 ? (
            <p>{queue.data.length === 0 ? t('officer.queue.empty') : t('officer.queue.emptyFiltered')}</p>
          ) : (
            <div ref={scroller} className="queue-scroll">
              <table aria-rowcount={rows.length + 1} aria-label={t('officer.queue.table')}>
                <thead>
                  <tr aria-rowindex={1}>
                    <th scope="col">{t('officer.queue.code')}</th>
                    <th scope="col">{t('officer.queue.task')}</th>
                    <th scope="col">{t('officer.queue.due')}</th>
                    <th scope="col">{t('officer.queue.state')}</th>
                    <th scope="col">{t('officer.queue.handler')}</th>
                    <th scope="col">{t('officer.queue.since')}</th>
                  </tr>
                </thead>
                <tbody>
                  {before > 0 && (
                    <tr aria-hidden="true" className="spacer">
                      <td colSpan={6} style={{ height: before }} />
                    </tr>
                  )}
                  {items.map((virtual) => {
                    const item = rows[virtual.index]!;
                    const state = dueState({ overdue: item.overdue, dueSoon: item.dueSoon, due: item.dueAt });
                    return (
                      <tr key={`${item.dossierCode}|${item.item}`} ref={virtualizer.measureElement} data-index={virtual.index} aria-rowindex={virtual.index + 2} className={`queue-row ${state}`}>
                        <td>
                          <Link to={`/dossiers/${item.dossierCode}`}>{item.dossierCode}</Link>
                        </td>
                        <td>
                          {item.task}
                          {item.heldBySystem && (
                            <>
                              {' '}
                              <span className="badge waiting">{t('interagency.queue.waiting', { system: systemName(t, item.heldBySystem) })}</span>
                            </>
                          )}
                        </td>
                        <td>{item.dueAt ? formatDateTime(item.dueAt, language) : t('officer.queue.noDue')}</td>
                        <td>
                          <DueBadge state={state} />
                        </td>
                        <td>{item.handlerUserId ?? t('officer.queue.unassigned')}</td>
                        <td>{formatDateTime(item.since, language)}</td>
                      </tr>
                    );
                  })}
                  {after > 0 && (
                    <tr aria-hidden="true" className="spacer">
                      <td colSpan={6} style={{ height: after }} />
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
