// The unit's feedback and complaints (/console/feedback), for reception, officers and heads: the items
// the unit holds with their status, the national PAKN system's label, category, channel, the next
// clock to run out and whether it has, filtered as the person chooses. The API orders and filters
// (GET /feedback); the screen computes nothing.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { ProblemView } from '../../components/problem-view';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import { FeedbackDue, feedbackWord } from './feedback-common';
import './feedback.css';

const STATUSES = ['waiting-to-receive', 'in-processing', 'awaiting-information', 'answered-awaiting-publication', 'answered-not-published', 'published', 'refused', 'transferred-out'] as const;
const CATEGORIES = ['regulation', 'procedure', 'staff-conduct'] as const;
const CHANNELS = ['online-form', 'paper', 'phone', 'email', 'in-person', 'national-pakn'] as const;
/** Who enters an item received on paper, by phone or e-mail (the API refuses the others). */
export const INTAKE_ROLES: readonly string[] = ['reception', 'head'];

export default function FeedbackQueuePage() {
  const { t, language } = useI18n();
  const session = useSignedIn();
  const [show, setShow] = useState<'open' | 'done' | 'all'>('open');
  const [status, setStatus] = useState<'' | (typeof STATUSES)[number]>('');
  const [category, setCategory] = useState<'' | (typeof CATEGORIES)[number]>('');
  const [channel, setChannel] = useState<'' | (typeof CHANNELS)[number]>('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  useEffect(() => {
    document.title = `${t('feedback.queue.title')} — ${t('app.name')}`;
  }, [t]);

  const query = {
    ...(show === 'all' ? {} : { open: show === 'open' ? ('true' as const) : ('false' as const) }),
    ...(status ? { status } : {}),
    ...(category ? { category } : {}),
    ...(channel ? { channel } : {}),
    ...(overdueOnly ? { overdue: 'true' as const } : {}),
    limit: 200,
  };
  const list = useQuery({
    queryKey: ['feedback', 'list', session.agency, query],
    queryFn: async () => unwrap(await api.GET('/feedback', { params: { query } })),
    refetchInterval: 30_000,
  });
  const items = list.data?.items ?? [];

  return (
    <section aria-labelledby="feedback-queue-title">
      <h1 id="feedback-queue-title">{t('feedback.queue.title')}</h1>
      <p>{t('feedback.queue.intro')}</p>
      <form className="feedback-filters" aria-label={t('feedback.queue.filters')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('feedback.queue.show')}
          <select value={show} onChange={(event) => setShow(event.target.value as typeof show)}>
            <option value="open">{t('feedback.queue.show.open')}</option>
            <option value="done">{t('feedback.queue.show.done')}</option>
            <option value="all">{t('feedback.queue.show.all')}</option>
          </select>
        </label>
        <label>
          {t('feedback.queue.status')}
          <select value={status} onChange={(event) => setStatus(event.target.value as typeof status)}>
            <option value="">{t('feedback.queue.any')}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {feedbackWord(t, 'status', value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('feedback.queue.category')}
          <select value={category} onChange={(event) => setCategory(event.target.value as typeof category)}>
            <option value="">{t('feedback.queue.any')}</option>
            {CATEGORIES.map((value) => (
              <option key={value} value={value}>
                {feedbackWord(t, 'category', value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('feedback.queue.channel')}
          <select value={channel} onChange={(event) => setChannel(event.target.value as typeof channel)}>
            <option value="">{t('feedback.queue.any')}</option>
            {CHANNELS.map((value) => (
              <option key={value} value={value}>
                {feedbackWord(t, 'channel', value)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={overdueOnly} onChange={(event) => setOverdueOnly(event.target.checked)} />
          {t('feedback.queue.overdueOnly')}
        </label>
        {INTAKE_ROLES.includes(session.role) && (
          <Link to="/feedback/new" className="feedback-new">
            {t('feedback.queue.enterNew')}
          </Link>
        )}
      </form>
      {list.isError && <p>{t('feedback.queue.loadFailed')}</p>}
      <ProblemView error={list.error} />
      {list.isPending ? (
        <p role="status">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('feedback.queue.empty')}</p>
      ) : (
        <div className="feedback-table-wrap">
          <table>
            <caption className="visually-hidden">{t('feedback.queue.caption', { n: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('feedback.queue.id')}</th>
                <th scope="col">{t('feedback.queue.titleColumn')}</th>
                <th scope="col">{t('feedback.queue.status')}</th>
                <th scope="col">{t('feedback.queue.nationalLabel')}</th>
                <th scope="col">{t('feedback.queue.category')}</th>
                <th scope="col">{t('feedback.queue.channel')}</th>
                <th scope="col">{t('feedback.queue.sentAt')}</th>
                <th scope="col">{t('feedback.queue.nextDue')}</th>
                <th scope="col">{t('feedback.queue.dueState')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.feedbackId}>
                  <th scope="row">
                    <Link to={`/feedback/${item.feedbackId}`}>{item.feedbackId}</Link>
                  </th>
                  <td>{item.title}</td>
                  <td>{feedbackWord(t, 'status', item.status)}</td>
                  <td lang="vi">{item.nationalLabel}</td>
                  <td>{feedbackWord(t, 'category', item.category)}</td>
                  <td>{feedbackWord(t, 'channel', item.channel)}</td>
                  <td>{formatDateTime(item.sentAt, language)}</td>
                  <td>
                    {item.nextDueAt ? (
                      <>
                        {formatDateTime(item.nextDueAt, language)}
                        <br />
                        <small>{feedbackWord(t, 'clock', item.nextClock)}</small>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <FeedbackDue overdue={item.overdue} dueSoon={item.dueSoon} nextDueAt={item.nextDueAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
