// A dossier's audit view (docs/console.md): its timeline with who did what and when, the dossier as it
// stood at a chosen instant and what changed between two, the hash chain's integrity, and a
// verification of each document it was issued. Everything is read from the API: the events
// (GET /dossiers/{code}/events), the fold at an instant (GET /dossiers/{code}/state), the chain
// (GET /dossiers/{code}/integrity), the documents and their verification (POST /verify).
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ProblemView } from '../../components/problem-view';
import { type Translate, useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import { ANSWER_READERS, InteragencyAnswers } from '../dossier/interagency-answers';
import { isStatus, statusText } from '../head/status';
import { useSignedIn } from '../../auth/session';
import { instantOf, type InstantChoice, InstantPicker } from './instant-picker';
import { diffStates, flatten } from './state-diff';
import './auditor.css';

type EventsPage = paths['/dossiers/{code}/events']['get']['responses'][200]['content']['application/json'];
type DossierEvent = EventsPage['events'][number];
type IssuedDocument = paths['/dossiers/{code}/documents']['get']['responses'][200]['content']['application/json']['items'][number];
type Verification = paths['/verify']['post']['responses'][200]['content']['application/json'];

const STAFF_ROLES = ['reception', 'officer', 'head', 'auditor', 'admin'] as const;
const KINDS = ['form-01', 'form-02', 'form-03', 'form-04', 'form-05', 'form-06', 'form-07', 'result', 'lateness-apology'] as const;

function roleName(t: Translate, role: string): string {
  if (role === 'system' || role === 'applicant' || role === 'interagency' || role === 'ministry-system') return t(`auditor.role.${role}`);
  const staff = STAFF_ROLES.find((known) => known === role);
  return staff ? t(`role.${staff}`) : role;
}

function kindName(t: Translate, kind: string): string {
  const known = KINDS.find((candidate) => candidate === kind);
  return known ? t(`auditor.kind.${known}`) : kind;
}

/** The status in words and as the API names it: "Mới đăng ký (received)". */
function statusName(t: Translate, status: unknown): string {
  return isStatus(status) ? `${statusText(t, status)} (${status})` : statusText(t, status);
}

async function allEvents(code: string): Promise<DossierEvent[]> {
  const events: DossierEvent[] = [];
  let after = 0;
  for (;;) {
    const page = unwrap(await api.GET('/dossiers/{code}/events', { params: { path: { code }, query: { after, limit: 1000 } } }));
    events.push(...page.events);
    if (page.nextAfter === null) return events;
    after = page.nextAfter;
  }
}

async function stateAt(code: string, at: string, since?: string) {
  return unwrap(await api.GET('/dossiers/{code}/state', { params: { path: { code }, query: { at, ...(since ? { since } : {}) } } }));
}

/** The fields an auditor compares: the fold, with the legal clock as it read then. */
const comparable = (answer: { state: unknown; clock: unknown }) => ({ ...(typeof answer.state === 'object' && answer.state !== null ? answer.state : {}), legalClock: answer.clock });

export default function AuditDossierPage() {
  const { code = '' } = useParams();
  const { t, language } = useI18n();
  const events = useQuery({ queryKey: ['audit', code, 'events'], queryFn: () => allEvents(code) });
  const integrity = useQuery({ queryKey: ['audit', code, 'integrity'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}/integrity', { params: { path: { code } } })) });
  const documents = useQuery({ queryKey: ['audit', code, 'documents'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}/documents', { params: { path: { code } } })).items });
  const timeline = events.data ?? [];
  const session = useSignedIn();
  // A route with a step an outside system carries out: the systems' answers, as the inbox keeps them.
  const external = timeline.some((event) => event.type === 'StepStarted' && typeof (event.data as { system?: unknown } | null)?.system === 'string');

  return (
    <section className="audit">
      <h1>{t('auditor.dossier.title', { code })}</h1>
      <p className="actions-row">
        <Link to="/audit">{t('auditor.dossier.back')}</Link>
        <Link to={`/dossiers/${code}`}>{t('auditor.dossier.page')}</Link>
      </p>

      <section className="audit-section" aria-labelledby="integrity-title">
        <h2 id="integrity-title">{t('auditor.integrity.title')}</h2>
        <ProblemView error={integrity.error} />
        {integrity.data &&
          (integrity.data.intact ? (
            <p className="integrity-ok" role="status">{t('auditor.integrity.intact', { n: integrity.data.events })}</p>
          ) : (
            <div className="integrity-broken" role="alert">
              <p>{t('auditor.integrity.broken', { version: integrity.data.brokenAt ?? '?' })}</p>
              {integrity.data.reason && <p>{integrity.data.reason}</p>}
            </div>
          ))}
        <button type="button" onClick={() => void integrity.refetch()} disabled={integrity.isFetching}>
          {t('auditor.integrity.check')}
        </button>
      </section>

      <section className="audit-section" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('auditor.timeline.title')}</h2>
        <ProblemView error={events.error} />
        {events.isPending && <p className="loading" role="status">{t('app.loading')}</p>}
        {timeline.length > 0 && (
          <table className="timeline">
            <thead>
              <tr>
                <th scope="col">{t('auditor.timeline.version')}</th>
                <th scope="col">{t('auditor.timeline.time')}</th>
                <th scope="col">{t('auditor.timeline.actor')}</th>
                <th scope="col">{t('auditor.timeline.command')}</th>
                <th scope="col">{t('auditor.timeline.event')}</th>
              </tr>
            </thead>
            <tbody>
              {timeline.map((event) => (
                <tr key={event.streamVersion}>
                  <th scope="row">{event.streamVersion}</th>
                  <td>{formatDateTime(event.occurredAt, language)}</td>
                  <td>{t('auditor.timeline.actorLine', { user: event.metadata.actor.userId, role: roleName(t, event.metadata.actor.role), agency: event.metadata.actor.agencyCode })}</td>
                  <td>
                    <code>{event.metadata.commandId}</code>
                  </td>
                  <td>
                    {event.label[language]} <code>{event.type}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {timeline.length > 0 && <StateAtInstant code={code} events={timeline} />}
      {timeline.length > 0 && <ChangesBetween code={code} events={timeline} />}

      {external && ANSWER_READERS.includes(session.role) && <InteragencyAnswers code={code} />}

      <section className="audit-section" aria-labelledby="documents-title">
        <h2 id="documents-title">{t('auditor.documents.title')}</h2>
        <ProblemView error={documents.error} />
        {documents.data && documents.data.length === 0 && <p>{t('auditor.documents.none')}</p>}
        {documents.data?.map((document) => <DocumentCard key={document.documentId} document={document} />)}
      </section>
    </section>
  );
}

function StateAtInstant({ code, events }: { readonly code: string; readonly events: readonly DossierEvent[] }) {
  const { t, language } = useI18n();
  const [choice, setChoice] = useState<InstantChoice>({ option: `v${events[events.length - 1]!.streamVersion}`, custom: '' });
  const [at, setAt] = useState<string | undefined>();
  const state = useQuery({ queryKey: ['audit', code, 'state', at], queryFn: () => stateAt(code, at!), enabled: at !== undefined });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAt(instantOf(choice, events));
  };
  const fields = state.data ? [...flatten(comparable(state.data))] : [];
  const status = state.data && typeof state.data.state === 'object' && state.data.state !== null ? (state.data.state as { status?: unknown }).status : undefined;
  return (
    <section className="audit-section" aria-labelledby="state-title">
      <h2 id="state-title">{t('auditor.state.title')}</h2>
      <form className="card instant-form" onSubmit={submit}>
        <InstantPicker label={t('auditor.state.at')} events={events} value={choice} onChange={setChoice} />
        <div className="actions-row">
          <button type="submit" className="primary">
            {t('auditor.state.show')}
          </button>
        </div>
      </form>
      <ProblemView error={state.error} />
      {state.data && (
        <>
          <p className="state-summary" role="status">
            {state.data.streamVersion === 0
              ? t('auditor.state.notYet', { at: formatDateTime(state.data.at, language) })
              : t('auditor.state.result', { at: formatDateTime(state.data.at, language), version: state.data.streamVersion, status: statusName(t, status) })}
          </p>
          <details>
            <summary>{t('auditor.state.fields')}</summary>
            <table className="state-fields">
              <thead>
                <tr>
                  <th scope="col">{t('auditor.state.field')}</th>
                  <th scope="col">{t('auditor.state.value')}</th>
                </tr>
              </thead>
              <tbody>
                {fields.map(([field, value]) => (
                  <tr key={field}>
                    <th scope="row">
                      <code>{field}</code>
                    </th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

function ChangesBetween({ code, events }: { readonly code: string; readonly events: readonly DossierEvent[] }) {
  const { t, language } = useI18n();
  const first = events[0]!.streamVersion;
  const last = events[events.length - 1]!.streamVersion;
  const [since, setSince] = useState<InstantChoice>({ option: `v${first}`, custom: '' });
  const [until, setUntil] = useState<InstantChoice>({ option: `v${last}`, custom: '' });
  const [range, setRange] = useState<{ since: string; at: string } | undefined>();
  const [reversed, setReversed] = useState(false);
  const diff = useQuery({
    queryKey: ['audit', code, 'diff', range],
    enabled: range !== undefined,
    queryFn: async () => {
      const [before, after] = await Promise.all([stateAt(code, range!.since), stateAt(code, range!.at, range!.since)]);
      return { before, after, fields: diffStates(comparable(before), comparable(after)) };
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = instantOf(since, events);
    const to = instantOf(until, events);
    if (!from || !to) return;
    const backwards = Date.parse(from) >= Date.parse(to);
    setReversed(backwards);
    setRange(backwards ? undefined : { since: from, at: to });
  };
  const changes = diff.data?.after.changes ?? [];
  return (
    <section className="audit-section" aria-labelledby="diff-title">
      <h2 id="diff-title">{t('auditor.diff.title')}</h2>
      <form className="card instant-form" onSubmit={submit}>
        <InstantPicker label={t('auditor.diff.since')} events={events} value={since} onChange={setSince} />
        <InstantPicker label={t('auditor.diff.until')} events={events} value={until} onChange={setUntil} />
        <div className="actions-row">
          <button type="submit" className="primary">
            {t('auditor.diff.show')}
          </button>
        </div>
      </form>
      {reversed && <p className="problem" role="alert">{t('auditor.diff.reversed')}</p>}
      <ProblemView error={diff.error} />
      {diff.data && (
        <>
          <p role="status">{t('auditor.diff.result', { since: formatDateTime(range?.since, language), at: formatDateTime(range?.at, language), n: changes.length, fields: diff.data.fields.length })}</p>
          {changes.length > 0 && (
            <>
              <h3>{t('auditor.diff.events')}</h3>
              <ol className="diff-events">
                {changes.map((change) => (
                  <li key={change.streamVersion}>
                    {formatDateTime(change.occurredAt, language)} — {change.label[language]} ({t('auditor.timeline.actorLine', { user: change.actor.userId, role: roleName(t, change.actor.role), agency: change.actor.agencyCode })})
                  </li>
                ))}
              </ol>
            </>
          )}
          <h3>{t('auditor.diff.fields')}</h3>
          {diff.data.fields.length === 0 ? (
            <p>{t('auditor.diff.none')}</p>
          ) : (
            <table className="state-fields diff">
              <thead>
                <tr>
                  <th scope="col">{t('auditor.state.field')}</th>
                  <th scope="col">{t('auditor.diff.before')}</th>
                  <th scope="col">{t('auditor.diff.after')}</th>
                </tr>
              </thead>
              <tbody>
                {diff.data.fields.map((field) => (
                  <tr key={field.field}>
                    <th scope="row">
                      <code>{field.field}</code>
                    </th>
                    <td className="diff-before">{field.before ?? t('auditor.diff.absent')}</td>
                    <td className="diff-after">{field.after ?? t('auditor.diff.absent')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** The document's bytes as issued, checked by the same verification anyone can run (POST /verify). */
async function verifyDocument(document: IssuedDocument): Promise<Verification> {
  const file = await api.GET('/documents/{sha256}', { params: { path: { sha256: document.sha256 } }, parseAs: 'arrayBuffer' });
  const bytes = unwrap(file) as unknown as ArrayBuffer;
  return unwrap(
    await api.POST('/verify', {
      body: bytes as never,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { 'content-type': 'application/pdf' },
    }),
  );
}

function DocumentCard({ document }: { readonly document: IssuedDocument }) {
  const { t, language } = useI18n();
  const verify = useMutation({ mutationFn: () => verifyDocument(document) });
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (verify.data || verify.error) result.current?.focus();
  }, [verify.data, verify.error]);
  const kind = kindName(t, document.kind);
  const report = verify.data;
  const verdict = report ? (report.valid ? t('auditor.verify.valid') : t('auditor.verify.invalid')) : '';
  return (
    <article className="card document-card" aria-labelledby={`doc-${document.sha256}`}>
      <h3 id={`doc-${document.sha256}`}>
        {kind} — {document.number}
      </h3>
      <dl className="document-facts">
        <div>
          <dt>{t('auditor.documents.issuedAt')}</dt>
          <dd>{formatDateTime(document.issuedAt, language)}</dd>
        </div>
        <div>
          <dt>{t('auditor.documents.issuer')}</dt>
          <dd>{document.issuerAgencyCode}</dd>
        </div>
      </dl>
      <div className="actions-row">
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
          {t('auditor.documents.verify', { number: document.number })}
        </button>
      </div>
      <div ref={result} tabIndex={-1} className={report ? `verification ${report.valid ? 'valid' : 'invalid'}` : undefined}>
        <ProblemView error={verify.error} />
        {report && (
          <>
            <h4>{t('auditor.verify.heading', { number: document.number, verdict })}</h4>
            <dl>
              <dt>{t('auditor.verify.signer')}</dt>
              <dd>{report.signer?.subject ?? t('auditor.verify.unsigned')}</dd>
              {report.signer && (
                <>
                  <dt>{t('auditor.verify.issuer')}</dt>
                  <dd>{report.signer.issuer}</dd>
                </>
              )}
              <dt>{t('auditor.verify.agency')}</dt>
              <dd>{report.signedByAgency?.agencyCode ?? t('auditor.verify.noAgency')}</dd>
              {report.signingTime && (
                <>
                  <dt>{t('auditor.verify.signingTime')}</dt>
                  <dd>{formatDateTime(report.signingTime, language)}</dd>
                </>
              )}
              <dt>{t('auditor.verify.record')}</dt>
              <dd>
                {report.issuedByThisEngine
                  ? t('auditor.verify.recordLine', { number: report.issuedByThisEngine.number, dossier: report.issuedByThisEngine.dossierCode, at: formatDateTime(report.issuedByThisEngine.issuedAt, language) })
                  : t('auditor.verify.notRecorded')}
              </dd>
            </dl>
            {report.reasons.length > 0 && (
              <>
                <p>{t('auditor.verify.reasons')}:</p>
                <ul>
                  {report.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </div>
    </article>
  );
}
