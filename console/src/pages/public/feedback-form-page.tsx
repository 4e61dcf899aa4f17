// The citizen's feedback or complaint form, without an account (/console/cong-khai/phan-anh; POST
// /feedback, docs/citizens.md#sending-feedback-or-a-complaint): the unit it is for, the sender, what
// they have to say and up to five files. The answer is the item's id and its lookup secret, shown
// once, to keep: both are needed to follow it. A field the API refuses is marked with its message.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { useT } from '../../i18n/i18n';
import { AttachmentsField, EMPTY_SENDER, FeedbackField, feedbackFormData, MAX_FEEDBACK_FILES, refusedFields, SenderFields } from '../feedback/feedback-common';
import '../feedback/feedback.css';

export default function FeedbackFormPage() {
  const t = useT();
  const [search] = useSearchParams();
  const [agencyCode, setAgencyCode] = useState(search.get('don-vi') ?? '');
  const [fields, setFields] = useState(EMPTY_SENDER);
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState<Readonly<Record<string, string>>>({});
  const doneRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${t('feedback.public.title')} — ${t('public.name')}`;
  }, [t]);
  const send = useMutation({
    mutationFn: async () => {
      const body = { agencyCode, ...fields };
      return unwrap(await api.POST('/feedback', { body: body as never, bodySerializer: () => feedbackFormData(body, files) }));
    },
  });
  useEffect(() => {
    if (send.data) doneRef.current?.focus();
  }, [send.data]);

  const set = (name: keyof typeof EMPTY_SENDER) => (value: string) => setFields((current) => ({ ...current, [name]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!agencyCode.trim()) found.agencyCode = t('feedback.field.required', { field: t('feedback.field.agencyCode').toLowerCase() });
    for (const name of ['fullName', 'title', 'content'] as const) if (!fields[name].trim()) found[name] = t('feedback.field.required', { field: t(`feedback.field.${name}`).toLowerCase() });
    if (files.length > MAX_FEEDBACK_FILES) found.attachment = t('feedback.field.tooManyFiles');
    setMissing(found);
    if (Object.keys(found).length === 0 && !send.isPending) send.mutate(undefined, { onError: () => requestAnimationFrame(focusInvalid) });
    else requestAnimationFrame(focusInvalid);
  };

  if (send.data) {
    const received = send.data;
    return (
      <section className="card feedback-receipt" aria-labelledby="feedback-sent-title">
        <h1 id="feedback-sent-title" ref={doneRef} tabIndex={-1}>
          {t('feedback.public.sent')}
        </h1>
        <p>{t('feedback.public.keep')}</p>
        <dl>
          <dt>{t('feedback.field.id')}</dt>
          <dd className="feedback-secret">{received.feedbackId}</dd>
          <dt>{t('feedback.field.secret')}</dt>
          <dd className="feedback-secret">{received.lookupSecret}</dd>
          <dt>{t('feedback.lookup.status')}</dt>
          <dd lang="vi">{received.nationalLabel}</dd>
        </dl>
        <p>
          <Link to={`/cong-khai/phan-anh/tra-cuu?ma=${encodeURIComponent(received.feedbackId)}`}>{t('feedback.public.follow')}</Link>
        </p>
      </section>
    );
  }

  const refused = refusedFields(send.error);
  const errorOf = (name: string) => missing[name] ?? refused[name];
  return (
    <section aria-labelledby="feedback-form-title">
      <h1 id="feedback-form-title">{t('feedback.public.title')}</h1>
      <p>{t('feedback.public.intro')}</p>
      <p>
        <Link to="/cong-khai/phan-anh/tra-cuu">{t('feedback.public.followLink')}</Link>
      </p>
      <form className="card feedback-form" onSubmit={submit} noValidate>
        <FeedbackField name="agencyCode" label={t('feedback.field.agencyCode')} hint={t('feedback.field.agencyCodeHint')} required value={agencyCode} onChange={setAgencyCode} error={errorOf('agencyCode')} />
        <SenderFields fields={fields} set={set} errorOf={errorOf} />
        <AttachmentsField files={files} onChange={setFiles} error={errorOf('attachment')} />
        <ProblemView error={send.error} />
        <div className="actions-row">
          <button type="submit" className="primary" disabled={send.isPending}>
            {send.isPending ? t('feedback.public.sending') : t('feedback.public.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function focusInvalid() {
  document.querySelector<HTMLElement>('.feedback-form [aria-invalid="true"]')?.focus();
}
