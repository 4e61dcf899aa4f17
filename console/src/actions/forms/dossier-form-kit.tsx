// What every command form of the dossier helper shares: one Idempotency-Key per submission (kept
// across a retry of the same submission after a lost answer, renewed after a definite refusal so
// a corrected form is a new request), the API's refusal shown as it came (ProblemView), required
// fields checked before sending, and labelled inputs whose errors are read out with them.
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, api, newIdempotencyKey, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/vi';
import type { ActionFormProps } from '../types';

type Answer = { data?: unknown; error?: unknown; response: Response };

/** Field errors by field name, each already in the person's language. */
export type FieldErrors = Readonly<Record<string, string>>;

export function useSubmission(props: Pick<ActionFormProps, 'onDone'>) {
  const key = useRef(newIdempotencyKey());
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(send: (idempotencyKey: string) => Promise<Answer>) {
    setPending(true);
    setError(null);
    try {
      const data = unwrap(await send(key.current));
      key.current = newIdempotencyKey();
      props.onDone(data);
    } catch (caught) {
      // A refusal is final for this body: the next try (corrected) is a new request. A lost answer
      // or a server failure keeps the key, so sending again records the command once.
      if (caught instanceof ApiProblem && caught.problem.status !== undefined && caught.problem.status < 500) key.current = newIdempotencyKey();
      setError(caught);
    } finally {
      setPending(false);
    }
  }
  return { submit, pending, error };
}

/** The headers every command sends: its idempotency key. */
export function commandParams(code: string, idempotencyKey: string) {
  return { path: { code }, header: { 'idempotency-key': idempotencyKey } };
}

export function CommandForm({
  title,
  onSubmit,
  onCancel,
  pending,
  error,
  invalid,
  children,
}: {
  readonly title: string;
  readonly onSubmit: () => void;
  readonly onCancel: () => void;
  readonly pending: boolean;
  readonly error: unknown;
  readonly invalid: boolean;
  readonly children: ReactNode;
}) {
  const t = useT();
  const headingId = useId();
  const form = useRef<HTMLFormElement>(null);
  // The form opens in a dialog: the person starts typing in its first field.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, []);
  const handle = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onSubmit();
    // A field the form refused takes the focus, so the person hears its error and fixes it there
    // (the refused fields carry aria-invalid and point at their message with aria-describedby).
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };
  return (
    <form ref={form} className="command-form" onSubmit={handle} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {children}
      {invalid && (
        <p className="form-invalid" role="alert">
          {t('dossier.form.invalid')}
        </p>
      )}
      <ProblemView error={error} />
      <div className="actions-row">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? t('dossier.form.sending') : t('dossier.form.submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('dossier.form.cancel')}
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  readonly required?: boolean;
}

function useDescribed(hint: string | undefined, error: string | undefined) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

function LabelText({ label, required }: { readonly label: string; readonly required?: boolean | undefined }) {
  const t = useT();
  return (
    <span>
      {label}
      {required ? <abbr title={t('dossier.form.required')}> *</abbr> : <small> {t('dossier.form.optional')}</small>}
    </span>
  );
}

function Notes({ hint, error, hintId, errorId }: { hint?: string | undefined; error?: string | undefined; hintId?: string | undefined; errorId?: string | undefined }) {
  return (
    <>
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </>
  );
}

export function TextField({
  value,
  onChange,
  multiline,
  type = 'text',
  inputMode,
  ...field
}: FieldProps & { readonly value: string; readonly onChange: (value: string) => void; readonly multiline?: boolean; readonly type?: string; readonly inputMode?: 'numeric' | 'text' }) {
  const { hintId, errorId, describedBy } = useDescribed(field.hint, field.error);
  const common = { value, required: field.required, 'aria-invalid': field.error ? true : undefined, 'aria-describedby': describedBy } as const;
  return (
    <label>
      <LabelText label={field.label} required={field.required} />
      {multiline ? <textarea {...common} onChange={(event) => onChange(event.target.value)} /> : <input {...common} type={type} inputMode={inputMode} onChange={(event) => onChange(event.target.value)} />}
      <Notes hint={field.hint} error={field.error} hintId={hintId} errorId={errorId} />
    </label>
  );
}

export function SelectField({ value, onChange, options, ...field }: FieldProps & { readonly value: string; readonly onChange: (value: string) => void; readonly options: readonly { readonly value: string; readonly label: string }[] }) {
  const { hintId, errorId, describedBy } = useDescribed(field.hint, field.error);
  return (
    <label>
      <LabelText label={field.label} required={field.required} />
      <select value={value} required={field.required} aria-invalid={field.error ? true : undefined} aria-describedby={describedBy} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <Notes hint={field.hint} error={field.error} hintId={hintId} errorId={errorId} />
    </label>
  );
}

/** A day and a time in Vietnam, sent as an instant with its +07:00 offset. */
export function DateTimeField({ date, time, onDate, onTime, timeLabel, ...field }: FieldProps & { readonly date: string; readonly time: string; readonly onDate: (value: string) => void; readonly onTime: (value: string) => void; readonly timeLabel: string }) {
  const { hintId, errorId, describedBy } = useDescribed(field.hint, field.error);
  return (
    <div className="date-time">
      <label>
        <LabelText label={field.label} required={field.required} />
        <input type="date" value={date} required={field.required} aria-invalid={field.error ? true : undefined} aria-describedby={describedBy} onChange={(event) => onDate(event.target.value)} />
        <Notes hint={field.hint} error={field.error} hintId={hintId} errorId={errorId} />
      </label>
      <label>
        <span>{timeLabel}</span>
        <input type="time" value={time} onChange={(event) => onTime(event.target.value)} />
      </label>
    </div>
  );
}

export function vietnamInstant(date: string, time: string): string {
  return `${date}T${time || '17:00'}:00+07:00`;
}

/**
 * The step the command is for: chosen among the steps the API offered when there are several, each
 * named by its task as the queue and the control slip name it (the step's id beside it), so a person
 * need not know the route's internal ids.
 */
export function StepField({ code, steps, value, onChange, error }: { readonly code: string; readonly steps: readonly string[]; readonly value: string; readonly onChange: (value: string) => void; readonly error?: string | undefined }) {
  const t = useT();
  // The dossier page reads the summary, whose steps are the control slip's rows; the form shares its answer.
  const slip = useQuery({ queryKey: ['dossier', code, 'summary'], queryFn: async () => unwrap(await api.GET('/dossiers/{code}', { params: { path: { code } } })) });
  const nameOf = (stepId: string) => {
    const task = slip.data?.steps.findLast((row) => row.stepId === stepId)?.task;
    return task ? `${task} (${stepId})` : stepId;
  };
  if (steps.length === 1) {
    return (
      <p className="step-chosen">
        {t('dossier.form.step')}: <strong>{nameOf(steps[0]!)}</strong>
      </p>
    );
  }
  return <SelectField label={t('dossier.form.step')} required value={value} onChange={onChange} error={error} options={[{ value: '', label: '—' }, ...steps.map((step) => ({ value: step, label: nameOf(step) }))]} />;
}

/** The first step offered, when there is only one: the form's starting choice. */
export function initialStep(props: ActionFormProps): string {
  const steps = props.action.steps ?? [];
  return steps.length === 1 ? steps[0]! : '';
}

/** "Please fill in <label>." for each required value that is empty. */
export function requiredErrors(t: (key: MessageKey, values?: Record<string, string>) => string, fields: Readonly<Record<string, { readonly value: string; readonly label: string }>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) if (field.value.trim() === '') errors[name] = t('dossier.form.fieldRequired', { field: field.label.toLowerCase() });
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
