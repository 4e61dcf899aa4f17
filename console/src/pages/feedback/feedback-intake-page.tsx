// Reception (or the head) enters an item that came on paper, by phone, e-mail or in person
// (/console/feedback/new; POST /feedback-intake, Decision 31/2021/QĐ-TTg art. 43(2)): how it came,
// when the sender sent it (the clocks start there), the sender, the text and the scanned letter.
// The answer is the item's id and the lookup secret to give the sender.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem, api, newIdempotencyKey, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { useT } from '../../i18n/i18n';
import { DateTimeField, SelectField, vietnamInstant } from '../../actions/forms/dossier-form-kit';
import { AttachmentsField, EMPTY_SENDER, FeedbackField, feedbackFormData, feedbackWord, MAX_FEEDBACK_FILES, refusedFields, SenderFields } from './feedback-common';
import './feedback.css';

const CHANNELS = ['paper', 'phone', 'email', 'in-person'] as const;
const EMPTY = { ...EMPTY_SENDER, externalId: '' };

export default function FeedbackIntakePage() {
  const t = useT();
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('paper');
  const [sentDate, setSentDate] = useState('');
  const [sentTime, setSentTime] = useState('');
  const [fields, setFields] = useState(EMPTY);
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState<Readonly<Record<string, string>>>({});
  const key = useRef(newIdempotencyKey());
  const doneRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${t('feedback.intake.title')} — ${t('app.name')}`;
  }, [t]);

  const send = useMutation({
    mutationFn: async () => {
      const body = { ...fields, channel, ...(sentDate ? { sentAt: vietnamInstant(sentDate, sentTime || '08:00') } : {}) };
      return unwrap(
        await api.POST('/feedback-intake', {
          headers: { 'idempotency-key': key.current },
          body: body as never,
          bodySerializer: () => feedbackFormData(body, files),
        }),
      );
    },
    onError: (error) => {
      // A refusal is final for this body: the corrected form is a new request.
      if (error instanceof ApiProblem && (error.problem.status ?? 500) < 500) key.current = newIdempotencyKey();
    },
  });
  useEffect(() => {
    if (send.data) doneRef.current?.focus();
  }, [send.data]);

  const set = (name: keyof typeof EMPTY) => (value: string) => setFields((current) => ({ ...current, [name]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const name of ['fullName', 'title', 'content'] as const) if (!fields[name].trim()) found[name] = t('feedback.field.required', { field: t(`feedback.field.${name}`).toLowerCase() });
    if (files.length > MAX_FEEDBACK_FILES) found.attachment = t('feedback.field.tooManyFiles');
    setMissing(found);
    if (Object.keys(found).length === 0 && !send.isPending) send.mutate();
    else requestAnimationFrame(() => document.querySelector<HTMLElement>('.feedback-form [aria-invalid="true"]')?.focus());
  };

  if (send.data) {
    const received = send.data;
    return (
      <section className="card feedback-receipt">
        <h1 ref={doneRef} tabIndex={-1}>
          {t('feedback.intake.done', { id: received.feedbackId })}
        </h1>
        <p>
          {t('feedback.intake.giveSecret')} <strong className="feedback-secret">{received.lookupSecret}</strong>
        </p>
        <p className="actions-row">
          <Link to={`/feedback/${received.feedbackId}`}>{t('feedback.intake.open')}</Link>
          <button
            type="button"
            onClick={() => {
              key.current = newIdempotencyKey();
              setFields(EMPTY);
              setFiles([]);
              setSentDate('');
              setSentTime('');
              send.reset();
            }}
          >
            {t('feedback.intake.another')}
          </button>
        </p>
      </section>
    );
  }

  const refused = refusedFields(send.error);
  const errorOf = (name: string) => missing[name] ?? refused[name];
  return (
    <section aria-labelledby="feedback-intake-title">
      <h1 id="feedback-intake-title">{t('feedback.intake.title')}</h1>
      <p>{t('feedback.intake.intro')}</p>
      <form className="card feedback-form" onSubmit={submit} noValidate>
        <SelectField label={t('feedback.intake.channel')} required value={channel} onChange={(value) => setChannel(value as typeof channel)} options={CHANNELS.map((value) => ({ value, label: feedbackWord(t, 'channel', value) }))} error={errorOf('channel')} />
        <DateTimeField label={t('feedback.intake.sentAt')} hint={t('feedback.intake.sentAtHint')} timeLabel={t('feedback.intake.sentTime')} date={sentDate} time={sentTime} onDate={setSentDate} onTime={setSentTime} error={errorOf('sentAt')} />
        <SenderFields fields={fields} set={set} errorOf={errorOf} />
        <FeedbackField name="externalId" label={t('feedback.intake.externalId')} value={fields.externalId} onChange={set('externalId')} error={errorOf('externalId')} />
        <AttachmentsField files={files} onChange={setFiles} error={errorOf('attachment')} />
        <ProblemView error={send.error} />
        <div className="actions-row">
          <button type="submit" className="primary" disabled={send.isPending}>
            {send.isPending ? t('dossier.form.sending') : t('feedback.intake.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
