// A feedback item's page (/console/feedback/:id) for the staff who handle it: what was sent and by
// whom, its attachments, the four clocks with their due times, the information exchanged, the answer
// with its signed document, the steps the person may take now (GET /feedback/{id}/actions: the
// rules' own answer) and the history. Everything comes from the API; after a step the page reads it
// all again.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { ProblemView } from '../../components/problem-view';
import { formatDateTime } from '../../i18n/format';
import { type Translate, useI18n } from '../../i18n/i18n';
import { OpenFileButton } from '../dossier/open-file';
import { FeedbackDue, feedbackWord } from './feedback-common';
import { type Done, FeedbackActions } from './feedback-actions-panel';
import '../dossier/dossier.css';
import './feedback.css';

const CLOCKS = [
  ['refuse', 'refuse'],
  ['info-request', 'infoRequest'],
  ['answer', 'answer'],
  ['publish', 'publish'],
] as const;

function doneText(t: Translate, done: Done): string {
  return t('feedback.actions.done', { action: feedbackWord(t, 'action', done.command), status: feedbackWord(t, 'status', done.status) });
}

export default function FeedbackItemPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<Done | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const path = { params: { path: { id } } };
  const item = useQuery({
    queryKey: ['feedback', id, 'item'],
    queryFn: async () => unwrap(await api.GET('/feedback/{id}', path)),
    // The signed answer is issued a few seconds after the head answers: look until it is there.
    refetchInterval: (query) => (query.state.data?.answer && !query.state.data.answer.document ? 1500 : false),
  });
  const events = useQuery({ queryKey: ['feedback', id, 'events', item.data?.streamVersion], enabled: item.data !== undefined, queryFn: async () => unwrap(await api.GET('/feedback/{id}/events', path)) });
  useEffect(() => {
    document.title = `${t('feedback.item.title', { id })} — ${t('app.name')}`;
  }, [t, id]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const onDone = (next: Done) => {
    setDone(next);
    void queryClient.invalidateQueries({ queryKey: ['feedback'] });
  };

  if (item.isPending) return <p className="loading">{t('app.loading')}</p>;
  if (item.isError) {
    return (
      <section>
        <h1>{t('feedback.item.title', { id })}</h1>
        <p>{t('feedback.item.loadFailed')}</p>
        <ProblemView error={item.error} />
      </section>
    );
  }
  const view = item.data;
  const date = (value: string | null | undefined) => formatDateTime(value, language);
  const running = view.due.next !== null;
  return (
    <article className="feedback-page">
      <h1>{t('feedback.item.title', { id })}</h1>
      <p className="dossier-badges">
        <span className="badge status">{feedbackWord(t, 'status', view.status)}</span> {running && <FeedbackDue overdue={view.overdue} dueSoon={view.dueSoon} nextDueAt={view.due.next} />}
      </p>
      {done && (
        <p ref={doneRef} tabIndex={-1} role="status" className="notice-ok">
          {doneText(t, done)}
        </p>
      )}
      <div className="dossier-layout">
        <section aria-labelledby="feedback-sent-heading" className="card">
          <h2 id="feedback-sent-heading">{t('feedback.item.sent')}</h2>
          <dl className="facts">
            <dt>{t('feedback.item.subject')}</dt>
            <dd>{view.title}</dd>
            <dt>{t('feedback.item.status')}</dt>
            <dd>{feedbackWord(t, 'status', view.status)}</dd>
            <dt>{t('feedback.item.nationalLabel')}</dt>
            <dd lang="vi">{view.nationalLabel}</dd>
            <dt>{t('feedback.item.category')}</dt>
            <dd>{feedbackWord(t, 'category', view.category)}</dd>
            <dt>{t('feedback.item.sender')}</dt>
            <dd>{view.submitter.fullName}</dd>
            {view.submitter.email && (
              <>
                <dt>{t('feedback.item.email')}</dt>
                <dd>{view.submitter.email}</dd>
              </>
            )}
            {view.submitter.phone && (
              <>
                <dt>{t('feedback.item.phone')}</dt>
                <dd>{view.submitter.phone}</dd>
              </>
            )}
            {view.submitter.address && (
              <>
                <dt>{t('feedback.item.address')}</dt>
                <dd>{view.submitter.address}</dd>
              </>
            )}
            <dt>{t('feedback.item.channel')}</dt>
            <dd>{feedbackWord(t, 'channel', view.channel)}</dd>
            <dt>{t('feedback.item.sentAt')}</dt>
            <dd>{date(view.sentAt)}</dd>
            <dt>{t('feedback.item.receivedAt')}</dt>
            <dd>{date(view.receivedAt)}</dd>
            <dt>{t('feedback.item.unit')}</dt>
            <dd>{view.receivingAgencyCode}</dd>
            {view.agencyCode !== view.receivingAgencyCode && (
              <>
                <dt>{t('feedback.item.currentUnit')}</dt>
                <dd>{view.agencyCode}</dd>
              </>
            )}
            {view.dossierCode && (
              <>
                <dt>{t('feedback.item.dossier')}</dt>
                <dd>{view.dossierCode}</dd>
              </>
            )}
            {view.followUpOf && (
              <>
                <dt>{t('feedback.item.followUpOf')}</dt>
                <dd>{view.followUpOf}</dd>
              </>
            )}
            {view.externalId && (
              <>
                <dt>{t('feedback.item.externalId')}</dt>
                <dd>{view.externalId}</dd>
              </>
            )}
            {(view.likes > 0 || view.dislikes > 0) && (
              <>
                <dt>{t('feedback.item.reactions')}</dt>
                <dd>{t('feedback.item.reactionsValue', { likes: view.likes, dislikes: view.dislikes })}</dd>
              </>
            )}
          </dl>
          <h3>{t('feedback.item.content')}</h3>
          <p className="feedback-text">{view.content}</p>
          <h3>{t('feedback.item.attachments')}</h3>
          {view.attachments.length === 0 ? (
            <p>{t('feedback.item.noAttachments')}</p>
          ) : (
            <ul className="plain">
              {view.attachments.map((file) => (
                <li key={file.sha256}>
                  <OpenFileButton href={`/feedback/${id}/files/${file.sha256}`} token={session.token} label={t('feedback.item.download', { name: file.name ?? file.mediaType })} download={file.name ?? `${id}-${file.sha256.slice(0, 12)}`} />
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="feedback-actions-heading" className="card actions-card">
          <h2 id="feedback-actions-heading">{t('feedback.actions')}</h2>
          <FeedbackActions feedbackId={id} onDone={onDone} />
        </section>
      </div>

      <section aria-labelledby="feedback-clocks-heading" className="card">
        <h2 id="feedback-clocks-heading">{t('feedback.item.clocks')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('feedback.item.clock')}</th>
              <th scope="col">{t('feedback.item.dueAt')}</th>
              <th scope="col">{t('feedback.item.clockState')}</th>
            </tr>
          </thead>
          <tbody>
            {CLOCKS.map(([clock, field]) => {
              const due = view.due[field];
              const next = view.due.nextClock === clock;
              const alerts = view.alerts[clock] ?? [];
              return (
                <tr key={clock}>
                  <th scope="row">{feedbackWord(t, 'clock', clock)}</th>
                  <td>{date(due)}</td>
                  <td>
                    {next ? (
                      <>
                        <FeedbackDue overdue={view.overdue} dueSoon={view.dueSoon} nextDueAt={due} /> <small>{t('feedback.item.clockNext')}</small>
                      </>
                    ) : due ? (
                      t('feedback.item.clockClosed')
                    ) : (
                      '—'
                    )}
                    {alerts.length > 0 && (
                      <>
                        <br />
                        <small>{t('feedback.item.alerts', { alerts: alerts.map((alert) => (alert === 'overdue' ? t('feedback.due.overdue') : t('feedback.due.dueSoon'))).join(', ') })}</small>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {view.onTime !== null && (
          <p>
            {t('feedback.item.onTime')}: <strong>{view.onTime ? t('feedback.item.onTime.true') : t('feedback.item.onTime.false')}</strong>
          </p>
        )}
      </section>

      {view.information.length > 0 && (
        <section aria-labelledby="feedback-information-heading" className="card">
          <h2 id="feedback-information-heading">{t('feedback.item.information')}</h2>
          <ul className="feedback-exchange">
            {view.information.map((exchange) => (
              <li key={`${exchange.askedAt}/${exchange.repliedAt ?? ''}`}>
                {exchange.question && <p className="feedback-text">{t('feedback.item.asked', { at: date(exchange.askedAt), question: exchange.question })}</p>}
                {exchange.reply !== null ? <p className="feedback-text">{t('feedback.item.replied', { at: date(exchange.repliedAt), reply: exchange.reply })}</p> : <p>{t('feedback.item.notReplied')}</p>}
                {exchange.channel && exchange.channel !== 'online-form' && <p>{t('feedback.item.repliedVia', { channel: feedbackWord(t, 'channel', exchange.channel) })}</p>}
                {exchange.attachments.length > 0 && (
                  <ul className="plain">
                    {exchange.attachments.map((file) => (
                      <li key={file.sha256}>
                        <OpenFileButton href={`/feedback/${id}/files/${file.sha256}`} token={session.token} label={t('feedback.item.download', { name: file.name ?? file.mediaType })} download={file.name ?? `${id}-${file.sha256.slice(0, 12)}`} />
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {(view.answer || view.refusal || view.transferredTo) && (
        <section aria-labelledby="feedback-answer-heading" className="card">
          <h2 id="feedback-answer-heading">{t('feedback.item.answer')}</h2>
          {view.refusal && (
            <dl className="facts">
              <dt>{t('feedback.item.refusal')}</dt>
              <dd className="feedback-text">{view.refusal.reason}</dd>
              {view.refusal.legalBasis && (
                <>
                  <dt>{t('feedback.item.legalBasis')}</dt>
                  <dd>{view.refusal.legalBasis}</dd>
                </>
              )}
            </dl>
          )}
          {view.transferredTo && (
            <p>
              {t('feedback.item.transferredTo')}: {view.transferredTo.name ?? view.transferredTo.agencyCode} ({date(view.transferredTo.at)})
            </p>
          )}
          {view.answer && (
            <>
              <p className="feedback-text">{view.answer.text}</p>
              <dl className="facts">
                <dt>{t('feedback.item.signer')}</dt>
                <dd>{view.answer.signer}</dd>
                <dt>{t('feedback.item.answerAt')}</dt>
                <dd>{date(view.answer.at)}</dd>
                {view.answer.legalBasis && (
                  <>
                    <dt>{t('feedback.item.legalBasis')}</dt>
                    <dd>{view.answer.legalBasis}</dd>
                  </>
                )}
                {view.publishedAt && (
                  <>
                    <dt>{t('feedback.item.publishedAt')}</dt>
                    <dd>{date(view.publishedAt)}</dd>
                  </>
                )}
                <dt>{t('feedback.item.answerDocument')}</dt>
                <dd>{view.answer.document ? <OpenFileButton href={`/feedback/${id}/answer.pdf`} token={session.token} label={t('feedback.item.openAnswer')} /> : <span role="status">{t('feedback.item.answerPending')}</span>}</dd>
              </dl>
              {view.answer.attachments.length > 0 && (
                <>
                  <h3>{t('feedback.item.answerAttachments')}</h3>
                  <ul className="plain">
                    {view.answer.attachments.map((file) => (
                      <li key={file.sha256}>
                        <OpenFileButton href={`/feedback/${id}/files/${file.sha256}`} token={session.token} label={t('feedback.item.download', { name: file.name ?? file.mediaType })} download={file.name ?? `${id}-${file.sha256.slice(0, 12)}`} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {view.answerDetails && !view.answerDetails.publish && <p>{t('feedback.item.answerPrivate')}</p>}
            </>
          )}
        </section>
      )}

      <section aria-labelledby="feedback-history-heading" className="card">
        <h2 id="feedback-history-heading">{t('feedback.item.history')}</h2>
        <ProblemView error={events.error} />
        {events.data && (
          <div className="table-scroll">
            <table className="history">
              <thead>
                <tr>
                  <th scope="col">{t('feedback.item.history.when')}</th>
                  <th scope="col">{t('feedback.item.history.who')}</th>
                  <th scope="col">{t('feedback.item.history.what')}</th>
                </tr>
              </thead>
              <tbody>
                {events.data.events.map((event) => (
                  <tr key={event.version}>
                    <td>{date(event.occurredAt)}</td>
                    <td>{event.actor ? event.actor.userId : t('feedback.item.history.system')}</td>
                    <td>{event.label[language]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
