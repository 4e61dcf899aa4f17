// The form of each step a person takes on a feedback item (POST /feedback/{id}/<step>): what the
// step's command needs, checked for the required fields before sending, sent with one
// Idempotency-Key per submission (as the dossier's forms, without If-Match: the item's own alerts
// move its version while a form is open). The rules answer in the API; its refusal is shown as it came.
// The sender's reply entered by staff and the answer take files: sent as multipart, like the intake.
import { type ComponentType, useState } from 'react';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { CommandForm, type FieldErrors, hasErrors, requiredErrors, SelectField, TextField, useSubmission } from '../../actions/forms/dossier-form-kit';
import { AttachmentsField, feedbackFormData, feedbackWord, MAX_FEEDBACK_FILES, refusedFields } from './feedback-common';

export interface StepFormProps {
  readonly feedbackId: string;
  readonly onDone: (answer: unknown) => void;
  readonly onCancel: () => void;
}

/** The dossier forms' submission helper: one key per submission, kept across a retry of the same one. */
function useStep(props: StepFormProps) {
  return useSubmission(props);
}

function params(props: StepFormProps, key: string) {
  return { path: { id: props.feedbackId }, header: { 'idempotency-key': key } };
}

const CATEGORIES = ['regulation', 'procedure', 'staff-conduct'] as const;

function ClassifyForm(props: StepFormProps) {
  const t = useT();
  const [category, setCategory] = useState('');
  const [dossierCode, setDossierCode] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useStep(props);
  const send = () => {
    const found = requiredErrors(t, { category: { value: category, label: t('feedback.form.category') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) =>
      api.POST('/feedback/{id}/classify', {
        params: params(props, key),
        body: { category: category as (typeof CATEGORIES)[number], ...(dossierCode.trim() ? { dossierCode: dossierCode.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    );
  };
  return (
    <CommandForm title={t('feedback.action.classify')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <SelectField label={t('feedback.form.category')} required value={category} onChange={setCategory} error={errors.category} options={[{ value: '', label: '—' }, ...CATEGORIES.map((value) => ({ value, label: feedbackWord(t, 'category', value) }))]} />
      <TextField label={t('feedback.form.dossierCode')} hint={t('feedback.form.dossierCodeHint')} value={dossierCode} onChange={setDossierCode} />
      <TextField label={t('feedback.form.note')} multiline value={note} onChange={setNote} />
    </CommandForm>
  );
}

function AcceptForm(props: StepFormProps) {
  const t = useT();
  const { submit, pending, error } = useStep(props);
  return (
    <CommandForm title={t('feedback.action.accept')} onSubmit={() => void submit((key) => api.POST('/feedback/{id}/accept', { params: params(props, key), body: {} }))} onCancel={props.onCancel} pending={pending} error={error} invalid={false}>
      <p>{t('feedback.form.acceptIntro')}</p>
    </CommandForm>
  );
}

function TransferForm(props: StepFormProps) {
  const t = useT();
  const [toAgencyCode, setCode] = useState('');
  const [toAgencyName, setName] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useStep(props);
  const send = () => {
    const found = requiredErrors(t, { toAgencyCode: { value: toAgencyCode, label: t('feedback.form.toAgencyCode') }, reason: { value: reason, label: t('feedback.form.reason') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/feedback/{id}/transfer', { params: params(props, key), body: { toAgencyCode: toAgencyCode.trim(), reason: reason.trim(), ...(toAgencyName.trim() ? { toAgencyName: toAgencyName.trim() } : {}) } }));
  };
  return (
    <CommandForm title={t('feedback.action.transfer')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <TextField label={t('feedback.form.toAgencyCode')} required hint={t('feedback.form.toAgencyCodeHint')} value={toAgencyCode} onChange={setCode} error={errors.toAgencyCode} />
      <TextField label={t('feedback.form.toAgencyName')} value={toAgencyName} onChange={setName} />
      <TextField label={t('feedback.form.reason')} required multiline value={reason} onChange={setReason} error={errors.reason} />
    </CommandForm>
  );
}

function RefuseForm(props: StepFormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useStep(props);
  const send = () => {
    const found = requiredErrors(t, { reason: { value: reason, label: t('feedback.form.reason') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/feedback/{id}/refuse', { params: params(props, key), body: { reason: reason.trim(), ...(legalBasis.trim() ? { legalBasis: legalBasis.trim() } : {}) } }));
  };
  return (
    <CommandForm title={t('feedback.action.refuse')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <TextField label={t('feedback.form.reason')} required multiline value={reason} onChange={setReason} error={errors.reason} />
      <TextField label={t('feedback.form.legalBasis')} value={legalBasis} onChange={setLegalBasis} />
    </CommandForm>
  );
}

function RequestInformationForm(props: StepFormProps) {
  const t = useT();
  const [question, setQuestion] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useStep(props);
  const send = () => {
    const found = requiredErrors(t, { question: { value: question, label: t('feedback.form.question') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/feedback/{id}/request-information', { params: params(props, key), body: { question: question.trim() } }));
  };
  return (
    <CommandForm title={t('feedback.action.request-information')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <TextField label={t('feedback.form.question')} required multiline value={question} onChange={setQuestion} error={errors.question} />
    </CommandForm>
  );
}

function AnswerForm(props: StepFormProps) {
  const t = useT();
  const session = useSignedIn();
  const [answer, setAnswer] = useState('');
  const [signerName, setSignerName] = useState(session.name);
  const [signerTitle, setSignerTitle] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [publish, setPublish] = useState(true);
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useStep(props);
  const send = () => {
    const found: FieldErrors = {
      ...requiredErrors(t, {
        answer: { value: answer, label: t('feedback.form.answer') },
        signerName: { value: signerName, label: t('feedback.form.signerName') },
        signerTitle: { value: signerTitle, label: t('feedback.form.signerTitle') },
      }),
      ...(files.length > MAX_FEEDBACK_FILES ? { attachment: t('feedback.field.tooManyFiles') } : {}),
    };
    setErrors(found);
    if (hasErrors(found)) return;
    // With files, the multipart form names the signer's fields as the JSON body's path.
    const fields = { answer, 'signer.fullName': signerName, 'signer.title': signerTitle, legalBasis, publish: String(publish) };
    void submit((key) =>
      files.length > 0
        ? api.POST('/feedback/{id}/answer', { params: params(props, key), body: fields as never, bodySerializer: () => feedbackFormData(fields, files) })
        : api.POST('/feedback/{id}/answer', {
            params: params(props, key),
            body: { answer: answer.trim(), signer: { fullName: signerName.trim(), title: signerTitle.trim() }, publish, ...(legalBasis.trim() ? { legalBasis: legalBasis.trim() } : {}) },
          }),
    );
  };
  return (
    <CommandForm title={t('feedback.action.answer')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <p>{t('feedback.form.answerIntro')}</p>
      <TextField label={t('feedback.form.answer')} required multiline value={answer} onChange={setAnswer} error={errors.answer} />
      <TextField label={t('feedback.form.legalBasis')} value={legalBasis} onChange={setLegalBasis} />
      <TextField label={t('feedback.form.signerName')} required value={signerName} onChange={setSignerName} error={errors.signerName} />
      <TextField label={t('feedback.form.signerTitle')} required value={signerTitle} onChange={setSignerTitle} error={errors.signerTitle} />
      <label className="checkbox">
        <input type="checkbox" checked={publish} onChange={(event) => setPublish(event.target.checked)} aria-describedby="feedback-publish-hint" />
        {t('feedback.form.publish')}
      </label>
      <small id="feedback-publish-hint" className="hint">
        {t('feedback.form.publishHint')}
      </small>
      <AttachmentsField files={files} onChange={setFiles} error={errors.attachment ?? refusedFields(error).attachment} />
    </CommandForm>
  );
}

const REPLY_CHANNELS = ['paper', 'phone', 'email', 'in-person'] as const;

/** The sender's reply to a request for information that came on paper, by phone, e-mail or in person. */
function ProvideInformationForm(props: StepFormProps) {
  const t = useT();
  const [channel, setChannel] = useState('');
  const [content, setContent] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useStep(props);
  const refused = refusedFields(error);
  const send = () => {
    const found: FieldErrors = {
      ...requiredErrors(t, { channel: { value: channel, label: t('feedback.form.replyChannel') }, content: { value: content, label: t('feedback.form.reply') } }),
      ...(files.length > MAX_FEEDBACK_FILES ? { attachment: t('feedback.field.tooManyFiles') } : {}),
    };
    setErrors(found);
    if (hasErrors(found)) return;
    const fields = { channel, content };
    void submit((key) => api.POST('/feedback/{id}/provide-information', { params: params(props, key), body: fields as never, bodySerializer: () => feedbackFormData(fields, files) }));
  };
  return (
    <CommandForm title={t('feedback.action.provide-information')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <p>{t('feedback.form.provideIntro')}</p>
      <SelectField label={t('feedback.form.replyChannel')} required value={channel} onChange={setChannel} error={errors.channel ?? refused.channel} options={[{ value: '', label: '—' }, ...REPLY_CHANNELS.map((value) => ({ value, label: feedbackWord(t, 'channel', value) }))]} />
      <TextField label={t('feedback.form.reply')} required multiline value={content} onChange={setContent} error={errors.content ?? refused.content} />
      <AttachmentsField files={files} onChange={setFiles} error={errors.attachment ?? refused.attachment} />
    </CommandForm>
  );
}

function PublishForm(props: StepFormProps) {
  const t = useT();
  const [url, setUrl] = useState('');
  const { submit, pending, error } = useStep(props);
  return (
    <CommandForm title={t('feedback.action.publish')} onSubmit={() => void submit((key) => api.POST('/feedback/{id}/publish', { params: params(props, key), body: url.trim() ? { url: url.trim() } : {} }))} onCancel={props.onCancel} pending={pending} error={error} invalid={false}>
      <p>{t('feedback.form.publishIntro')}</p>
      <TextField label={t('feedback.form.url')} type="url" value={url} onChange={setUrl} />
    </CommandForm>
  );
}

/** Each step's form, by the route the API names it by (GET /feedback/{id}/actions). */
export const STEP_FORMS: Readonly<Record<string, ComponentType<StepFormProps>>> = {
  classify: ClassifyForm,
  accept: AcceptForm,
  transfer: TransferForm,
  refuse: RefuseForm,
  'request-information': RequestInformationForm,
  'provide-information': ProvideInformationForm,
  answer: AnswerForm,
  publish: PublishForm,
};
