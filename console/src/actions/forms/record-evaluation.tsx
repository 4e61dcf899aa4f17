// A paper evaluation form the centre collected (phiếu đánh giá giấy), entered with its reference.
// The applicant evaluates online themselves (the public lookup page); staff never evaluate on their
// behalf, only enter the paper form they filled in (docs/rules.md#one-evaluation).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, Field, FieldError, type FieldErrors, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

const RATINGS = ['very-satisfied', 'satisfied', 'not-satisfied'] as const;

export default function RecordEvaluationForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const t = useT();
  const [rating, setRating] = useState<'' | (typeof RATINGS)[number]>('');
  const [reference, setReference] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const keyFor = useIdempotencyKey();
  const send = useMutation({
    mutationFn: async () => {
      if (!rating) throw new Error('no rating');
      const body = { rating, source: 'paper-form' as const, paperFormReference: reference.trim(), ...(comment.trim() ? { comment: comment.trim() } : {}) };
      return unwrap(await api.POST('/dossiers/{code}/record-evaluation', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: onDone,
  });
  const submit = () => {
    const found: FieldErrors = {
      ...(rating ? {} : { 'evaluation-rating-very-satisfied': 'reception.invalid.chooseOne' }),
      ...(reference.trim() ? {} : { 'evaluation-paper-reference': 'reception.invalid.required' }),
    };
    setErrors(found);
    if (Object.keys(found).length === 0) send.mutate();
  };
  return (
    <CommandForm
      title="reception.evaluation.title"
      intro="reception.evaluation.intro"
      submitLabel="reception.form.submit"
      pending={send.isPending}
      errors={errors}
      labels={{ 'evaluation-rating-very-satisfied': t('reception.evaluation.rating'), 'evaluation-paper-reference': t('reception.evaluation.paperFormReference') }}
      error={send.error}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <Field id="evaluation-paper-reference" label={t('reception.evaluation.paperFormReference')} hint={t('reception.evaluation.paperFormReferenceHint')} errors={errors}>
        <input
          id="evaluation-paper-reference"
          value={reference}
          maxLength={100}
          aria-describedby="evaluation-paper-reference-hint"
          aria-invalid={errors['evaluation-paper-reference'] ? true : undefined}
          onChange={(event) => setReference(event.target.value)}
        />
      </Field>
      <fieldset aria-describedby={errors['evaluation-rating-very-satisfied'] ? 'evaluation-rating-very-satisfied-error' : undefined}>
        <legend>{t('reception.evaluation.rating')}</legend>
        <div className="reception-radios">
          {RATINGS.map((value) => (
            <label key={value}>
              <input type="radio" id={`evaluation-rating-${value}`} name="evaluation-rating" value={value} checked={rating === value} onChange={() => setRating(value)} />
              {t(`reception.evaluation.rating.${value}`)}
            </label>
          ))}
        </div>
        <FieldError id="evaluation-rating-very-satisfied" errors={errors} />
      </fieldset>
      <Field id="evaluation-comment" label={t('reception.evaluation.comment')} optional errors={{}}>
        <textarea id="evaluation-comment" value={comment} maxLength={2000} onChange={(event) => setComment(event.target.value)} />
      </Field>
    </CommandForm>
  );
}
