// The citizen follows their feedback with its id and lookup secret (/console/cong-khai/phan-anh/tra-cuu;
// GET /lookup/feedback/{id}): its status as the national PAKN system labels it, the unit's question
// and the form to answer it (POST /lookup/feedback/{id}/information), the refusal or transfer, and the
// answer once it is theirs to read, with the signed document. The secret stays in the page, never
// in its address.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { formatDateTime } from '../../i18n/format';
import { useI18n, useT } from '../../i18n/i18n';
import { AttachmentsField, FeedbackField, feedbackFormData, feedbackWord, MAX_FEEDBACK_FILES, refusedFields } from '../feedback/feedback-common';
import '../feedback/feedback.css';

interface Asked {
  readonly id: string;
  readonly secret: string;
}

export default function FeedbackLookupPage() {
  const { t, language } = useI18n();
  const [search] = useSearchParams();
  const [id, setId] = useState(search.get('ma') ?? '');
  const [secret, setSecret] = useState('');
  const [asked, setAsked] = useState<Asked | null>(null);
  const [provided, setProvided] = useState(false);
  useEffect(() => {
    document.title = `${t('feedback.lookup.title')} — ${t('public.name')}`;
  }, [t]);
  const lookup = useQuery({
    queryKey: ['public', 'feedback', asked],
    enabled: asked !== null,
    retry: false,
    queryFn: async () => unwrap(await api.GET('/lookup/feedback/{id}', { params: { path: { id: asked!.id }, query: { secret: asked!.secret } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProvided(false);
    if (id.trim() && secret.trim()) setAsked({ id: id.trim(), secret: secret.trim() });
  };
  const item = asked ? lookup.data : undefined;
  const date = (value: string | null | undefined) => formatDateTime(value, language);
  return (
    <section aria-labelledby="feedback-lookup-title">
      <h1 id="feedback-lookup-title">{t('feedback.lookup.title')}</h1>
      <p>{t('feedback.lookup.intro')}</p>
      <form className="card public-form" onSubmit={submit}>
        <label htmlFor="feedback-lookup-id">
          {t('feedback.field.id')}
          <input id="feedback-lookup-id" value={id} autoComplete="off" onChange={(event) => setId(event.target.value)} />
        </label>
        <label htmlFor="feedback-lookup-secret">
          {t('feedback.field.secret')}
          <input id="feedback-lookup-secret" value={secret} autoComplete="off" onChange={(event) => setSecret(event.target.value)} />
        </label>
        <button type="submit">{t('feedback.lookup.submit')}</button>
      </form>
      {asked && lookup.isFetching && !lookup.data && (
        <p role="status" className="loading">
          {t('app.loading')}
        </p>
      )}
      <ProblemView error={asked ? lookup.error : null} />
      {asked && item && (
        <>
          <h2>{item.title}</h2>
          <dl className="public-facts">
            <dt>{t('feedback.field.id')}</dt>
            <dd>{item.feedbackId}</dd>
            <dt>{t('feedback.lookup.status')}</dt>
            <dd>
              <span lang="vi">{item.nationalLabel}</span> ({feedbackWord(t, 'status', item.status)})
            </dd>
            <dt>{t('feedback.item.sentAt')}</dt>
            <dd>{date(item.sentAt)}</dd>
            <dt>{t('feedback.item.receivedAt')}</dt>
            <dd>{date(item.receivedAt)}</dd>
            <dt>{t('feedback.lookup.unit')}</dt>
            <dd>{item.agencyCode}</dd>
          </dl>
          {provided && (
            <p role="status" className="notice-ok">
              {t('feedback.lookup.provided')}
            </p>
          )}
          {item.question && <ProvideInformation asked={asked} question={item.question} onProvided={() => setProvided(true)} />}
          {item.refusal && (
            <p>
              <strong>{t('feedback.lookup.refused', { reason: item.refusal.reason })}</strong>
            </p>
          )}
          {item.transferredTo && <p>{t('feedback.lookup.transferred', { body: item.transferredTo.name ?? item.transferredTo.agencyCode })}</p>}
          <section className="card" aria-labelledby="feedback-lookup-answer">
            <h2 id="feedback-lookup-answer">{t('feedback.lookup.answer')}</h2>
            {item.answer ? (
              <>
                <p className="feedback-text">{item.answer.text}</p>
                <dl className="public-facts">
                  <dt>{t('feedback.item.signer')}</dt>
                  <dd>{item.answer.signer}</dd>
                  <dt>{t('feedback.item.answerAt')}</dt>
                  <dd>{date(item.answer.at)}</dd>
                  {item.answer.legalBasis && (
                    <>
                      <dt>{t('feedback.item.legalBasis')}</dt>
                      <dd>{item.answer.legalBasis}</dd>
                    </>
                  )}
                  {item.publishedAt && (
                    <>
                      <dt>{t('feedback.item.publishedAt')}</dt>
                      <dd>{date(item.publishedAt)}</dd>
                    </>
                  )}
                </dl>
                {item.answer.document && <AnswerDownload asked={asked} />}
                {item.answer.attachments.length > 0 && (
                  <>
                    <h3>{t('feedback.lookup.answerAttachments')}</h3>
                    <ul className="plain">
                      {item.answer.attachments.map((file) => (
                        <li key={file.sha256}>
                          <AnswerDownload asked={asked} file={file} />
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            ) : (
              <p>{t('feedback.lookup.noAnswer')}</p>
            )}
          </section>
        </>
      )}
    </section>
  );
}

/** The signed answer, or a file it encloses, fetched with the secret and saved from the page (the secret never in a link). */
function AnswerDownload({ asked, file }: { readonly asked: Asked; readonly file?: { readonly sha256: string; readonly name: string | null; readonly mediaType: string } }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const path = file ? `files/${file.sha256}` : 'answer.pdf';
      const response = await fetch(`/lookup/feedback/${encodeURIComponent(asked.id)}/${path}?secret=${encodeURIComponent(asked.secret)}`);
      if (!response.ok) throw new Error(String(response.status));
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = file ? (file.name ?? `tra-loi-${asked.id}-${file.sha256.slice(0, 12)}`) : `tra-loi-${asked.id}.pdf`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button type="button" onClick={() => void download()} disabled={busy}>
        {file ? t('feedback.lookup.downloadFile', { name: file.name ?? file.mediaType }) : t('feedback.lookup.downloadAnswer')}
      </button>
      {failed && (
        <span role="alert" className="field-error">
          {' '}
          {t('feedback.lookup.downloadFailed')}
        </span>
      )}
    </p>
  );
}

/** The unit's question and the sender's answer to it, with files. */
function ProvideInformation({ asked, question, onProvided }: { readonly asked: Asked; readonly question: string; readonly onProvided: () => void }) {
  const t = useT();
  const headingId = useId();
  const queryClient = useQueryClient();
  const [content, setContent] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState<Readonly<Record<string, string>>>({});
  const send = useMutation({
    mutationFn: async () => {
      const body = { secret: asked.secret, content };
      return unwrap(await api.POST('/lookup/feedback/{id}/information', { params: { path: { id: asked.id } }, body: body as never, bodySerializer: () => feedbackFormData(body, files) }));
    },
    onSuccess: () => {
      onProvided();
      return queryClient.invalidateQueries({ queryKey: ['public', 'feedback'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!content.trim()) found.content = t('feedback.field.required', { field: t('feedback.lookup.provide').toLowerCase() });
    if (files.length > MAX_FEEDBACK_FILES) found.attachment = t('feedback.field.tooManyFiles');
    setMissing(found);
    if (Object.keys(found).length === 0 && !send.isPending) send.mutate();
  };
  const refused = refusedFields(send.error);
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('feedback.lookup.question')}</h2>
      <p className="feedback-text">{question}</p>
      {!send.isSuccess && (
        <form className="feedback-form" onSubmit={submit} noValidate>
          <FeedbackField name="content" label={t('feedback.lookup.provide')} required multiline value={content} onChange={setContent} error={missing.content ?? refused.content} />
          <AttachmentsField files={files} onChange={setFiles} error={missing.attachment ?? refused.attachment} />
          <ProblemView error={send.error} />
          <button type="submit" className="primary" disabled={send.isPending}>
            {t('feedback.lookup.provideSubmit')}
          </button>
        </form>
      )}
    </section>
  );
}
