// What the feedback screens share, staff and public alike: a status, category, channel or clock in
// the person's language, an item's deadline state in words and colour, the sender's fields and the
// attachments input, and the API's refusal of a form turned into each field's own message.
import { useId } from 'react';
import { ApiProblem } from '../../api/client';
import { type Translate, useT } from '../../i18n/i18n';
import { type MessageKey, vi } from '../../i18n/vi';

/** The console's text for `feedback.<group>.<value>`, or the API's own word when it has none. */
export function feedbackWord(t: Translate, group: 'status' | 'category' | 'channel' | 'clock' | 'action', value: string | null | undefined): string {
  if (!value) return group === 'category' ? t('feedback.category.none') : '—';
  const key = `feedback.${group}.${value}`;
  return Object.hasOwn(vi, key) ? t(key as MessageKey) : value;
}

/** Overdue, due soon, on time, or no clock running: always in words as well as colour. */
export function FeedbackDue({ overdue, dueSoon, nextDueAt }: { readonly overdue: boolean; readonly dueSoon: boolean; readonly nextDueAt: string | null }) {
  const t = useT();
  if (overdue)
    return (
      <span className="badge overdue">
        <span aria-hidden="true">⚠ </span>
        {t('feedback.due.overdue')}
      </span>
    );
  if (dueSoon)
    return (
      <span className="badge due-soon">
        <span aria-hidden="true">◔ </span>
        {t('feedback.due.dueSoon')}
      </span>
    );
  if (nextDueAt) return <span className="badge on-time">{t('feedback.due.onTime')}</span>;
  return <span className="badge none">{t('feedback.due.none')}</span>;
}

/** The form's fields the API refused (`body.<field>`), each with the API's message. */
export function refusedFields(error: unknown): Readonly<Record<string, string>> {
  if (!(error instanceof ApiProblem)) return {};
  const fields: Record<string, string> = {};
  for (const fieldError of error.problem.errors ?? []) {
    const name = fieldError.field.replace(/^body\./, '');
    fields[name] ??= fieldError.message;
  }
  return fields;
}

/** A labelled input or text area whose error (the form's own check, or the API's) is read out with it. */
export function FeedbackField({
  name,
  label,
  value,
  onChange,
  error,
  hint,
  required,
  multiline,
  type = 'text',
  autoComplete,
}: {
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  readonly required?: boolean;
  readonly multiline?: boolean;
  readonly type?: string;
  readonly autoComplete?: string;
}) {
  const t = useT();
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name, value, required, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, autoComplete } as const;
  return (
    <div className="feedback-field">
      <label htmlFor={id}>
        {label}
        {required ? <abbr title={t('dossier.form.required')}> *</abbr> : <small> {t('dossier.form.optional')}</small>}
      </label>
      {multiline ? <textarea {...common} rows={6} onChange={(event) => onChange(event.target.value)} /> : <input {...common} type={type} onChange={(event) => onChange(event.target.value)} />}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

export const MAX_FEEDBACK_FILES = 5;

/** The attachments: up to five PDF, JPEG or PNG files (the API checks their bytes). */
export function AttachmentsField({ files, onChange, error }: { readonly files: readonly File[]; readonly onChange: (files: File[]) => void; readonly error?: string | undefined }) {
  const t = useT();
  const id = useId();
  return (
    <div className="feedback-field">
      <label htmlFor={id}>
        {t('feedback.field.attachments')} <small>{t('dossier.form.optional')}</small>
      </label>
      <input
        id={id}
        type="file"
        multiple
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange([...(event.target.files ?? [])])}
      />
      <small id={`${id}-hint`} className="hint">
        {t('feedback.field.attachmentsHint')}
      </small>
      {files.length > 0 && (
        <ul className="plain">
          {files.map((file) => (
            <li key={`${file.name}/${file.size}`}>{file.name}</li>
          ))}
        </ul>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** A multipart body: the text fields that are not empty, then the files as `attachment` parts (fields first, as the API reads them). */
export function feedbackFormData(fields: Readonly<Record<string, string>>, files: readonly File[]): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value.trim() !== '') form.append(name, value.trim());
  for (const file of files) form.append('attachment', file, file.name);
  return form;
}

/** The sender and what they sent, as the public form and staff intake both ask for them. */
export const EMPTY_SENDER = { fullName: '', email: '', phone: '', address: '', title: '', content: '', dossierCode: '' };
export type SenderValues = typeof EMPTY_SENDER;

export function SenderFields({ fields, set, errorOf }: { readonly fields: SenderValues; readonly set: (name: keyof SenderValues) => (value: string) => void; readonly errorOf: (name: string) => string | undefined }) {
  const t = useT();
  return (
    <>
      <div className="feedback-row">
        <FeedbackField name="fullName" label={t('feedback.field.fullName')} required autoComplete="name" value={fields.fullName} onChange={set('fullName')} error={errorOf('fullName')} />
        <FeedbackField name="phone" type="tel" label={t('feedback.field.phone')} autoComplete="tel" value={fields.phone} onChange={set('phone')} error={errorOf('phone')} />
        <FeedbackField name="email" type="email" label={t('feedback.field.email')} autoComplete="email" value={fields.email} onChange={set('email')} error={errorOf('email')} />
      </div>
      <FeedbackField name="address" label={t('feedback.field.address')} autoComplete="street-address" value={fields.address} onChange={set('address')} error={errorOf('address')} />
      <FeedbackField name="title" label={t('feedback.field.title')} required value={fields.title} onChange={set('title')} error={errorOf('title')} />
      <FeedbackField name="content" label={t('feedback.field.content')} required multiline value={fields.content} onChange={set('content')} error={errorOf('content')} />
      <FeedbackField name="dossierCode" label={t('feedback.field.dossierCode')} value={fields.dossierCode} onChange={set('dossierCode')} error={errorOf('dossierCode')} />
    </>
  );
}

