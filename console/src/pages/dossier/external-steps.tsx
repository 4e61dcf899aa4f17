// What the dossier's page shows of the steps carried out in other agencies' systems
// (docs/console.md#steps-carried-out-in-other-systems-and-mirrored-dossiers): the banner while a
// system holds a step, the registrations the result carries, and the route's steps as the control
// slip (form 06) rows, with who carries each out, the hand-off and answer times, the system's last
// progress, its result file and registration. All as the API answers it (GET /dossiers/{code}).
import { systemName } from '../../components/system-name';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import { OpenFileButton } from './open-file';
import { ScrollRegion } from './scroll-region';

interface Registration {
  readonly system: string;
  readonly number: string;
  readonly book?: string;
}
export type StepRow = {
  readonly stepId: string;
  readonly run: number;
  readonly fromAgencyCode: string;
  readonly toAgencyCode: string;
  readonly task: string;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly finishedAt: string | null;
  readonly handlerUserId: string | null;
  readonly mark: 'early' | 'on-time' | 'late' | null;
  readonly system: string | null;
  readonly handedOffAt: string | null;
  readonly answeredAt: string | null;
  readonly externalReference: string | null;
  readonly progress: { readonly status: string; readonly at: string } | null;
  readonly resultFile: { readonly sha256: string; readonly mediaType: string; readonly name?: string } | null;
  readonly registration: Registration | null;
};

/** "Đang chờ <system> trả lời", one line per system holding a step now; nothing when none does. */
export function WaitingBanner({ systems }: { readonly systems: readonly string[] }) {
  const { t } = useI18n();
  if (systems.length === 0) return null;
  return (
    <div className="notice-wait" role="status">
      {systems.map((system) => (
        <strong key={system}>{t('interagency.waiting', { system: systemName(t, system) })}</strong>
      ))}
      <span>{t('interagency.waiting.detail')}</span>
    </div>
  );
}

function RegistrationText({ registration }: { readonly registration: Registration }) {
  const { t } = useI18n();
  const system = systemName(t, registration.system);
  return <>{registration.book ? t('interagency.registration.book', { system, number: registration.number, book: registration.book }) : t('interagency.registration', { system, number: registration.number })}</>;
}

/** The registrations on the result (civil status), as a list for the summary's facts. */
export function Registrations({ registrations }: { readonly registrations: readonly (Registration & { readonly stepId: string })[] }) {
  return (
    <ul className="plain">
      {registrations.map((registration) => (
        <li key={`${registration.stepId}:${registration.number}`}>
          <RegistrationText registration={registration} />
        </li>
      ))}
    </ul>
  );
}

/** The route's steps, each run a row of the control slip, with what an outside system said and returned. */
export function StepsTable({ code, caption, steps, token }: { readonly code: string; readonly caption: string; readonly steps: readonly StepRow[]; readonly token: string }) {
  const { t, language } = useI18n();
  const date = (value: string | null) => formatDateTime(value, language);
  return (
    <ScrollRegion label={caption}>
      <table className="steps">
        <thead>
          <tr>
            <th scope="col">{t('interagency.steps.task')}</th>
            <th scope="col">{t('dossier.slip.from')}</th>
            <th scope="col">{t('interagency.steps.body')}</th>
            <th scope="col">{t('interagency.steps.by')}</th>
            <th scope="col">{t('dossier.slip.received')}</th>
            <th scope="col">{t('dossier.slip.due')}</th>
            <th scope="col">{t('interagency.steps.handedOffAt')}</th>
            <th scope="col">{t('interagency.steps.progress')}</th>
            <th scope="col">{t('interagency.steps.answeredAt')}</th>
            <th scope="col">{t('dossier.slip.finished')}</th>
            <th scope="col">{t('interagency.steps.result')}</th>
            <th scope="col">{t('interagency.steps.mark')}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((row) => (
            <tr key={`${row.stepId}#${row.run}`}>
              <th scope="row">
                {row.task} <small>({row.stepId})</small>
              </th>
              <td>{row.fromAgencyCode}</td>
              <td>{row.toAgencyCode}</td>
              <td>
                {row.system ? systemName(t, row.system) : (row.handlerUserId ?? t('interagency.steps.byOfficers'))}
                {row.externalReference && (
                  <>
                    <br />
                    <small>{t('interagency.steps.reference', { reference: row.externalReference })}</small>
                  </>
                )}
              </td>
              <td>{date(row.receivedAt)}</td>
              <td>{date(row.dueAt)}</td>
              <td>{row.system ? date(row.handedOffAt) : '—'}</td>
              <td>{row.progress ? t('interagency.steps.progressAt', { status: row.progress.status, at: date(row.progress.at) }) : '—'}</td>
              <td>{row.system ? date(row.answeredAt) : '—'}</td>
              <td>{date(row.finishedAt)}</td>
              <td>
                {!row.resultFile && !row.registration && '—'}
                {row.resultFile && <OpenFileButton href={`/dossiers/${encodeURIComponent(code)}/files/${row.resultFile.sha256}`} token={token} label={t('interagency.steps.resultFile', { name: row.resultFile.name ?? row.stepId })} />}
                {row.registration && (
                  <div>
                    <RegistrationText registration={row.registration} />
                  </div>
                )}
              </td>
              <td>{row.mark ? <span className={`badge ${row.mark === 'late' ? 'overdue' : 'on-time'}`}>{t(`dossier.slip.mark.${row.mark}`)}</span> : t('dossier.slip.inProgress')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
