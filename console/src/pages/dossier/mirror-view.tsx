// The page of a mirror of a dossier handled on a ministry's own system (docs/console.md#steps-carried-out-in-other-systems-and-mirrored-dossiers):
// the API's notice of where it is handled, the facts its source last pushed and its handling there
// (QuaTrinhXuLy). Read-only: the actions panel beside it shows the API's reason for each command.
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import { ScrollRegion } from './scroll-region';

export interface MirrorFacts {
  readonly system: string;
  readonly notice: { readonly en: string; readonly vi: string };
  readonly sourceUpdatedAt: string;
  readonly revisions: number;
  readonly procedureName: string | null;
  readonly handlingUnitName: string | null;
  readonly submittedAt: string;
  readonly acceptedAt: string | null;
  readonly appointmentAt: string | null;
  readonly refusedAt: string | null;
  readonly finishedAt: string | null;
  readonly returnedAt: string | null;
  readonly progress: readonly { readonly at: string; readonly unitName: string; readonly handlerName: string | null; readonly action: string; readonly status: number }[];
}

/** The notice that the dossier is handled elsewhere: shown at the top of its page. */
export function MirrorNotice({ mirror }: { readonly mirror: MirrorFacts }) {
  const { t, language } = useI18n();
  return (
    <div className="notice-wait" role="note">
      <strong>{t('interagency.mirror.title', { system: mirror.system })}</strong>
      <span>{mirror.notice[language]}</span>
    </div>
  );
}

export function MirrorSection({ mirror }: { readonly mirror: MirrorFacts }) {
  const { t, language } = useI18n();
  const date = (value: string | null) => formatDateTime(value, language);
  const facts: [string, string][] = [
    [t('interagency.mirror.procedureName'), mirror.procedureName ?? '—'],
    [t('interagency.mirror.handlingUnit'), mirror.handlingUnitName ?? '—'],
    [t('interagency.mirror.submittedAt'), date(mirror.submittedAt)],
    [t('interagency.mirror.acceptedAt'), date(mirror.acceptedAt)],
    [t('interagency.mirror.appointmentAt'), date(mirror.appointmentAt)],
    ...(mirror.refusedAt ? [[t('interagency.mirror.refusedAt'), date(mirror.refusedAt)] as [string, string]] : []),
    [t('interagency.mirror.finishedAt'), date(mirror.finishedAt)],
    [t('interagency.mirror.returnedAt'), date(mirror.returnedAt)],
    [t('interagency.mirror.sourceUpdatedAt'), date(mirror.sourceUpdatedAt)],
    [t('interagency.mirror.revisions'), String(mirror.revisions)],
  ];
  return (
    <section aria-labelledby="mirror-heading" className="card">
      <h2 id="mirror-heading">{t('interagency.mirror.facts')}</h2>
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>{t('interagency.mirror.progress')}</h3>
      <ScrollRegion label={t('interagency.mirror.progress')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('interagency.mirror.progress.at')}</th>
              <th scope="col">{t('interagency.mirror.progress.unit')}</th>
              <th scope="col">{t('interagency.mirror.progress.handler')}</th>
              <th scope="col">{t('interagency.mirror.progress.action')}</th>
            </tr>
          </thead>
          <tbody>
            {mirror.progress.map((row, index) => (
              <tr key={`${row.at}#${index}`}>
                <td>{date(row.at)}</td>
                <td>{row.unitName}</td>
                <td>{row.handlerName ?? '—'}</td>
                <td>{row.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
