// The dossier register (form 07, sổ theo dõi hồ sơ) of the head's receiving unit for a period, laid
// out to print on A4 landscape (register.css): the form's title and column headings, every dossier
// received in the period in reception order, and the keeper's signature block. The rows are the
// API's (GET /reports/register), read a page at a time until the last.
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { useSignedIn } from '../../auth/session';
import { ProblemView } from '../../components/problem-view';
import { useI18n } from '../../i18n/i18n';
import { PeriodFields, usePeriodChoice } from './period-fields';
import { formatDate, formatDateTime } from '../../i18n/format';
import { statusText } from './status';
import { type Period, presetPeriod } from './period';
import { useUnits } from './units';
import './register.css';

type RegisterPage = paths['/reports/register']['get']['responses'][200]['content']['application/json'];
type Entry = RegisterPage['entries'][number];

/** A register holds at most a year of one unit's dossiers; this many pages of 1000 is far beyond it. */
const MAX_PAGES = 100;

async function wholeRegister(period: Period, agency: string | undefined): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    // Without `format` the page is JSON (CSV and PDF are the downloads).
    const answer = unwrap(await api.GET('/reports/register', { params: { query: { from: period.from, to: period.to, limit: 1000, ...(agency ? { agency } : {}), ...(cursor ? { cursor } : {}) } } })) as RegisterPage;
    entries.push(...answer.entries);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return entries;
}

export default function RegisterPage() {
  const { t, language } = useI18n();
  const session = useSignedIn();
  const periodChoice = usePeriodChoice();
  const { today, period } = periodChoice;
  const [agency, setAgency] = useState(session.agency);
  const [selection, setSelection] = useState<{ period: Period; agency: string }>({ period: presetPeriod('month', today), agency: session.agency });
  const units = useUnits();
  const register = useQuery({
    queryKey: ['reports', 'register', selection],
    queryFn: () => wholeRegister(selection.period, selection.agency === session.agency ? undefined : selection.agency),
  });
  const unit = units.data?.find((candidate) => candidate.code === selection.agency);
  const when = (iso: string | null) => formatDateTime(iso, language);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSelection({ period, agency });
  };

  return (
    <section className="register">
      <h1 className="no-print">{t('head.register.title')}</h1>
      <form className="card report-filters no-print" onSubmit={submit} aria-label={t('head.dashboard.filters')}>
        <PeriodFields id="register" choice={periodChoice} />
        {session.role === 'auditor' && (
          <div className="oversight-field">
            <label htmlFor="register-unit">{t('head.period.unit')}</label>
            <select id="register-unit" value={agency} onChange={(event) => setAgency(event.target.value)}>
              {(units.data ?? []).map((candidate) => (
                <option key={candidate.code} value={candidate.code}>
                  {candidate.code} — {candidate.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="actions-row">
          <button type="submit" className="primary">
            {t('head.register.show')}
          </button>
          <button type="button" onClick={() => window.print()} disabled={!register.data}>
            {t('head.register.print')}
          </button>
        </div>
      </form>

      <ProblemView error={register.error} />
      {register.isPending && <p className="loading" role="status">{t('app.loading')}</p>}
      {register.data && (
        <article className="form-07" aria-labelledby="form-07-title">
          <header className="form-07-head">
            <p className="form-07-unit">{unit?.name ?? selection.agency}</p>
            <p className="form-07-number">{t('head.register.form')}</p>
          </header>
          <h2 id="form-07-title" className="form-07-title">{t('head.register.formTitle')}</h2>
          <p className="form-07-period">
            {t('head.register.period', { from: formatDate(selection.period.from, language), to: formatDate(selection.period.to, language) })} — {t('head.register.count', { n: register.data.length })}
          </p>
          {register.data.length === 0 ? (
            <p>{t('head.register.empty')}</p>
          ) : (
            <table className="form-07-table">
              <thead>
                <tr>
                  <th scope="col">{t('head.register.number')}</th>
                  <th scope="col">{t('head.register.code')}</th>
                  <th scope="col">{t('head.register.procedure')}</th>
                  <th scope="col">{t('head.register.applicant')}</th>
                  <th scope="col">{t('head.register.lead')}</th>
                  <th scope="col">{t('head.register.received')}</th>
                  <th scope="col">{t('head.register.transfers')}</th>
                  <th scope="col">{t('head.register.returned')}</th>
                  <th scope="col">{t('head.register.note')}</th>
                </tr>
              </thead>
              <tbody>
                {register.data.map((entry) => (
                  <tr key={`${entry.dossierCode}:${entry.number}`}>
                    <td>{entry.number}</td>
                    <th scope="row">{entry.dossierCode}</th>
                    <td>{entry.procedureName ?? entry.procedureCode}</td>
                    <td>{[entry.applicant.fullName, entry.applicant.address, entry.applicant.phone].filter(Boolean).join('; ')}</td>
                    <td>{entry.leadAgencyCode ?? ''}</td>
                    <td>
                      {when(entry.receivedAt)}; {t('head.register.appointment', { at: when(entry.appointmentAt) })}
                    </td>
                    <td>
                      {entry.transfers.map((transfer) => `${transfer.agencyCode}: ${when(transfer.sentAt)}${transfer.returnedAt ? ` → ${when(transfer.returnedAt)}` : ''}`).join('; ')}
                    </td>
                    <td>{entry.resultReturnedAt ? when(entry.resultReturnedAt) : ''}</td>
                    <td>{statusText(t, entry.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <footer className="form-07-signature">
            <p>
              <strong>{t('head.register.signer')}</strong>
            </p>
            <p>{t('head.register.signHint')}</p>
          </footer>
        </article>
      )}
    </section>
  );
}
