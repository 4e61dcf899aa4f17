// The outside systems' answers about this dossier's steps, as the engine's inbox keeps them
// (GET /dossiers/{code}/interagency-answers): for admins, auditors and the heads of the agencies
// taking part, read-only. Each with its status and, when a rule refused it, the code and message.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { systemName } from '../../components/system-name';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import { type MessageKey, vi } from '../../i18n/vi';
import { ScrollRegion } from './scroll-region';

/** Who may read the answers: the API's INTERAGENCY_ANSWER_READERS (api/routes/interagency-answers.ts). */
export const ANSWER_READERS: readonly string[] = ['admin', 'auditor', 'head'];

export function InteragencyAnswers({ code }: { readonly code: string }) {
  const { t, language } = useI18n();
  const answers = useQuery({ queryKey: ['dossier', code, 'interagency-answers'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}/interagency-answers', { params: { path: { code } } })) });
  const word = (prefix: string, value: string) => (`${prefix}.${value}` in vi ? t(`${prefix}.${value}` as MessageKey) : value);
  return (
    <section aria-labelledby="answers-heading" className="card">
      <h2 id="answers-heading">{t('interagency.answers')}</h2>
      {answers.isError && (
        <>
          <p>{t('interagency.answers.loadFailed')}</p>
          <ProblemView error={answers.error} />
        </>
      )}
      {answers.data && answers.data.items.length === 0 && <p>{t('interagency.answers.none')}</p>}
      {answers.data && answers.data.items.length > 0 && (
        <ScrollRegion label={t('interagency.answers')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('interagency.answers.receivedAt')}</th>
                <th scope="col">{t('interagency.answers.system')}</th>
                <th scope="col">{t('interagency.answers.step')}</th>
                <th scope="col">{t('interagency.answers.sequence')}</th>
                <th scope="col">{t('interagency.answers.kind')}</th>
                <th scope="col">{t('interagency.answers.via')}</th>
                <th scope="col">{t('interagency.answers.status')}</th>
                <th scope="col">{t('interagency.answers.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {answers.data.items.map((item) => (
                <tr key={`${item.system}:${item.answerId}`}>
                  <td>{formatDateTime(item.receivedAt, language)}</td>
                  <td>{systemName(t, item.system)}</td>
                  <td>
                    {item.stepId} #{item.run}
                  </td>
                  <td>{item.sequence}</td>
                  <td>{word('interagency.answers.kind', item.kind)}</td>
                  <td>{word('interagency.answers.via', item.via)}</td>
                  <td>
                    <span className={`badge ${item.status === 'applied' ? 'on-time' : item.status === 'refused' || item.status === 'duplicate-content' ? 'overdue' : 'due-soon'}`}>{word('interagency.answers.status', item.status)}</span>
                  </td>
                  <td>
                    {item.outcomeCode ? <span className="code">{item.outcomeCode}</span> : '—'}
                    {item.outcomeMessage && (
                      <>
                        <br />
                        <small>{item.outcomeMessage}</small>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
