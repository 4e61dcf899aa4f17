// A dossier's page (/console/dossiers/:code), for every role that may read it: its summary, what the
// person may do now (ActionsPanel), its components and files, the documents issued, the control
// slip (form 06) with what outside systems did on their steps, the legal clock as a calendar, and
// its history; a mirror of a dossier handled on a ministry's system shows what its source pushed.
// Everything comes from the API; after a command the page reads it all again (docs/console.md#actions).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { DueBadge, dueState } from '../../components/due-badge';
import { ProblemView } from '../../components/problem-view';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/vi';
import { ActionsPanel, type CommandDone, doneMessage } from './actions-panel';
import { DueCalendar, type DueExplanation } from './due-calendar';
import { Registrations, StepsTable, WaitingBanner } from './external-steps';
import { ANSWER_READERS, InteragencyAnswers } from './interagency-answers';
import { MirrorNotice, MirrorSection } from './mirror-view';
import { ObligationsCard } from './obligations';
import { PaymentsCard } from './payments';
import { OpenFileButton } from './open-file';
import { ScrollRegion } from './scroll-region';
import './dossier.css';

interface CatalogueComponent {
  readonly id: string;
  readonly name: string;
  readonly form: string;
  readonly required?: boolean;
}
interface CatalogueProcedure {
  readonly code: string;
  readonly version: string;
  readonly name: string;
  readonly components?: readonly CatalogueComponent[];
}

const FORMS = new Set(['original', 'certified-copy', 'photocopy']);
const DOCUMENT_KINDS = new Set(['form-01', 'form-02', 'form-03', 'form-04', 'form-05', 'form-06', 'form-07', 'result', 'lateness-apology']);

export default function DossierPage() {
  const { code = '' } = useParams();
  const { t, language } = useI18n();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<CommandDone | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const path = { params: { path: { code } } };

  const summary = useQuery({ queryKey: ['dossier', code, 'summary'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}', path)) });
  const events = useQuery({ queryKey: ['dossier', code, 'events'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}/events', { params: { path: { code }, query: { limit: 1000 } } })) });
  const files = useQuery({ queryKey: ['dossier', code, 'files'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}/files', path)) });
  const documents = useQuery({ queryKey: ['dossier', code, 'documents'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}/documents', path)) });
  const accepted = summary.data?.acceptedAt != null;
  const mirrored = summary.data?.mirror != null;
  const explanation = useQuery({
    queryKey: ['dossier', code, 'due-explanation'],
    // A mirror's legal clock runs in its source system: the engine explains only its own dossiers' clocks.
    enabled: accepted && summary.data?.mirror == null,
    queryFn: async () => unwrap(await api.GET('/dossiers/{code}/due-explanation', { params: { path: { code }, query: {} } })) as DueExplanation,
  });
  const procedures = useQuery({ queryKey: ['catalogue', 'procedures'], staleTime: 10 * 60_000, queryFn: async () => unwrap(await api.GET('/catalogue/procedures')).procedures as CatalogueProcedure[] });

  const onDone = (next: CommandDone) => {
    setDone(next);
    void queryClient.invalidateQueries({ queryKey: ['dossier', code] });
    void queryClient.invalidateQueries({ queryKey: ['queue'] });
  };
  // After a command, the focus goes to what it did, so a screen reader says it and Tab goes on from there.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  if (summary.isPending) return <p className="loading">{t('app.loading')}</p>;
  if (summary.isError) {
    return (
      <section>
        <h1>{t('dossier.title', { code })}</h1>
        <p>{t('dossier.loadFailed')}</p>
        <ProblemView error={summary.error} />
      </section>
    );
  }
  const dossier = summary.data;
  const procedure = procedures.data?.find((entry) => entry.code === dossier.procedureCode && entry.version === dossier.procedureVersion) ?? procedures.data?.filter((entry) => entry.code === dossier.procedureCode).at(-1);
  const date = (value: string | null) => formatDateTime(value, language);
  const agencies = dossier.currentAgencies.length > 0 ? dossier.currentAgencies.join(', ') : t('dossier.none');

  // What reception recorded of each paper: the form it came in, at acceptance and with supplements.
  const submitted = new Map<string, string>();
  for (const event of events.data?.events ?? []) {
    const data = event.data as { components?: readonly { componentId: string; form: string }[] } | null;
    if ((event.type === 'DossierAccepted' || event.type === 'SupplementProvided') && Array.isArray(data?.components)) for (const component of data.components) submitted.set(component.componentId, component.form);
  }
  const componentIds = [...new Set([...(procedure?.components ?? []).map((component) => component.id), ...submitted.keys(), ...(files.data?.items ?? []).map((file) => file.componentId)])];
  const nameOf = (id: string) => procedure?.components?.find((component) => component.id === id)?.name ?? files.data?.items.find((file) => file.componentId === id)?.componentName ?? id;

  return (
    <article className="dossier-page">
      <h1>{t('dossier.title', { code })}</h1>
      <p className="dossier-badges">
        <span className="visually-hidden">{t('dossier.status.label')}: </span>
        <StatusBadge status={dossier.status} /> {accepted && !dossier.closedAt && !mirrored && <DueBadge state={dueState({ overdue: dossier.overdue, dueSoon: dossier.dueSoon, due: dossier.due })} />}
        {dossier.mirroredFrom && <span className="badge mirrored">{t('interagency.mirror.marker', { system: dossier.mirroredFrom })}</span>}
      </p>
      {dossier.mirror && <MirrorNotice mirror={dossier.mirror} />}
      <WaitingBanner systems={dossier.heldBySystems} />
      {done && (
        <p ref={doneRef} tabIndex={-1} role="status" className="notice-ok">
          {doneMessage(t, done)}
        </p>
      )}

      <div className="dossier-layout">
        <section aria-labelledby="summary-heading" className="card">
          <h2 id="summary-heading">{t('dossier.summary')}</h2>
          <dl className="facts">
            <dt>{t('dossier.status.label')}</dt>
            <dd>
              <StatusBadge status={dossier.status} />
            </dd>
            <dt>{t('dossier.procedure')}</dt>
            <dd>
              {dossier.procedureCode}
              {procedure ? ` — ${procedure.name}` : ''}
              {dossier.procedureVersion ? ` (${dossier.procedureVersion})` : ''}
            </dd>
            <dt>{t('dossier.applicant')}</dt>
            <dd>
              {dossier.applicant.fullName} ({dossier.applicant.kind === 'organisation' ? t('dossier.applicant.organisation') : t('dossier.applicant.citizen')})
            </dd>
            <dt>{t('dossier.channel')}</dt>
            <dd>{['counter', 'online', 'post'].includes(dossier.channel) ? t(`dossier.channel.${dossier.channel}` as MessageKey) : dossier.channel}</dd>
            <dt>{t('dossier.receivedAt')}</dt>
            <dd>{date(dossier.receivedAt)}</dd>
            <dt>{t('dossier.acceptedAt')}</dt>
            <dd>{date(dossier.acceptedAt)}</dd>
            <dt>{t('dossier.appointment')}</dt>
            <dd>{date(dossier.appointment)}</dd>
            {dossier.appointmentInForce && dossier.appointmentInForce !== dossier.appointment && (
              <>
                <dt>{t('dossier.appointmentInForce')}</dt>
                <dd>{date(dossier.appointmentInForce)}</dd>
              </>
            )}
            <dt>{t('dossier.due')}</dt>
            <dd>{date(dossier.due)}</dd>
            {dossier.extendedDue && (
              <>
                <dt>{t('dossier.extendedDue')}</dt>
                <dd>{date(dossier.extendedDue)}</dd>
              </>
            )}
            <dt>{t('dossier.clockState')}</dt>
            <dd>{dossier.clockState && ['running', 'paused', 'stopped'].includes(dossier.clockState) ? t(`dossier.clock.${dossier.clockState}` as MessageKey) : (dossier.clockState ?? '—')}</dd>
            <dt>{t('dossier.currentAgencies')}</dt>
            <dd>{agencies}</dd>
            <dt>{t('dossier.competentAgency')}</dt>
            <dd>{dossier.competentAgencyCode ?? '—'}</dd>
            <dt>{t('dossier.supplementRequests')}</dt>
            <dd>{dossier.supplementRequests}</dd>
            <dt>{t('dossier.resultCode')}</dt>
            <dd>{dossier.resultCode ?? '—'}</dd>
            {dossier.registrations.length > 0 && (
              <>
                <dt>{t('interagency.registrations')}</dt>
                <dd>
                  <Registrations registrations={dossier.registrations} />
                </dd>
              </>
            )}
            {dossier.closedAt && (
              <>
                <dt>{t('dossier.closedAt')}</dt>
                <dd>{date(dossier.closedAt)}</dd>
              </>
            )}
          </dl>
        </section>

        <section aria-labelledby="actions-heading" className="card actions-card">
          <h2 id="actions-heading">{t('dossier.actions')}</h2>
          <ActionsPanel code={code} onDone={onDone} />
        </section>
      </div>

      {dossier.mirror && <MirrorSection mirror={dossier.mirror} />}

      {!dossier.mirror && (
        <>
          <section aria-labelledby="components-heading" className="card">
            <h2 id="components-heading">{t('dossier.components')}</h2>
            <ProblemView error={files.error} />
            {componentIds.length === 0 ? (
              <p>{t('dossier.noComponents')}</p>
            ) : (
              <ScrollRegion label={t('dossier.components')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('dossier.component')}</th>
                      <th scope="col">{t('dossier.componentForm')}</th>
                      <th scope="col">{t('dossier.files')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {componentIds.map((id) => {
                      const form = submitted.get(id);
                      const its = (files.data?.items ?? []).filter((file) => file.componentId === id);
                      return (
                        <tr key={id}>
                          <th scope="row">{nameOf(id)}</th>
                          <td>{form && FORMS.has(form) ? t(`dossier.componentForm.${form}` as MessageKey) : '—'}</td>
                          <td>
                            {its.length === 0 ? (
                              t('dossier.noFile')
                            ) : (
                              <ul className="plain">
                                {its.map((file) => (
                                  <li key={file.sha256}>
                                    <OpenFileButton href={file.href} token={session.token} label={t('dossier.download', { name: file.name ?? `${id} (${file.mediaType})` })} download={file.name ?? `${id}-${file.sha256.slice(0, 12)}`} />
                                    {file.approved && <small> · {t('dossier.fileApproved')}</small>}
                                    {file.replacedBy && <small> · {t('dossier.fileReplaced')}</small>}
                                  </li>
                                ))}
                              </ul>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
          </section>

          <section aria-labelledby="documents-heading" className="card">
            <h2 id="documents-heading">{t('dossier.documents')}</h2>
            <ProblemView error={documents.error} />
            {documents.data && documents.data.items.length === 0 && <p>{t('dossier.noDocuments')}</p>}
            {documents.data && documents.data.items.length > 0 && (
              <ScrollRegion label={t('dossier.documents')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('dossier.document.kind')}</th>
                      <th scope="col">{t('dossier.document.number')}</th>
                      <th scope="col">{t('dossier.document.issuedAt')}</th>
                      <th scope="col">{t('dossier.document.issuer')}</th>
                      <th scope="col">{t('dossier.document.signature')}</th>
                      <th scope="col">{t('dossier.document.file')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {documents.data.items.map((document) => {
                      const kind = DOCUMENT_KINDS.has(document.kind) ? t(`dossier.document.${document.kind}` as MessageKey) : document.kind;
                      return (
                        <tr key={document.documentId}>
                          <th scope="row">{kind}</th>
                          <td>{document.number}</td>
                          <td>{date(document.issuedAt)}</td>
                          <td>{document.issuerAgencyCode}</td>
                          <td>{document.signature.valid ? t('dossier.document.signatureValid') : <strong className="invalid">{t('dossier.document.signatureInvalid')}</strong>}</td>
                          <td>
                            <OpenFileButton href={document.href} token={session.token} label={t('dossier.open', { name: document.number })} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
          </section>

          <section aria-labelledby="clock-heading" className="card">
            <h2 id="clock-heading">{t('dossier.clock')}</h2>
            {!accepted ? <p>{t('dossier.clock.notStarted')}</p> : explanation.data ? <DueCalendar explanation={explanation.data} /> : <ProblemView error={explanation.error} />}
          </section>

          <ObligationsCard code={code} obligations={dossier.obligations} token={session.token} />
          <PaymentsCard code={code} requests={dossier.obligations.requests} payments={dossier.obligations.payments} token={session.token} />

          <section aria-labelledby="slip-heading" className="card">
            <h2 id="slip-heading">{t('dossier.slip')}</h2>
            {dossier.steps.length === 0 ? <p>{t('dossier.slip.none')}</p> : <StepsTable code={code} caption={t('dossier.slip')} steps={dossier.steps} token={session.token} />}
          </section>

          {ANSWER_READERS.includes(session.role) && dossier.steps.some((step) => step.system !== null) && <InteragencyAnswers code={code} />}
        </>
      )}

      <section aria-labelledby="history-heading" className="card">
        <h2 id="history-heading">{t('dossier.history')}</h2>
        <ProblemView error={events.error} />
        {events.data && (
          <ScrollRegion label={t('dossier.history')}>
            <table className="history">
              <thead>
                <tr>
                  <th scope="col">{t('dossier.history.when')}</th>
                  <th scope="col">{t('dossier.history.who')}</th>
                  <th scope="col">{t('dossier.history.what')}</th>
                </tr>
              </thead>
              <tbody>
                {events.data.events.map((event) => (
                  <tr key={event.eventId}>
                    <td>{date(event.occurredAt)}</td>
                    <td>{t('dossier.history.actor', { user: event.metadata.actor.userId, agency: event.metadata.actor.agencyCode })}</td>
                    <td>{event.label[language]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    </article>
  );
}
