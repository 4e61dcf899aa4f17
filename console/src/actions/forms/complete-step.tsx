// Complete a step (CompleteStep): the step, its outcome and an optional note; the next stage of the
// route begins when its stage is done.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, initialStep, requiredErrors, SelectField, StepField, TextField, useSubmission } from './dossier-form-kit';

export default function CompleteStepForm(props: ActionFormProps) {
  const t = useT();
  const [stepId, setStepId] = useState(initialStep(props));
  const [outcome, setOutcome] = useState<'approved' | 'not-approved'>('approved');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { stepId: { value: stepId, label: t('dossier.form.step') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/complete-step', { params: commandParams(props.dossierCode, key), body: { stepId, outcome, ...(note.trim() ? { note } : {}) } }));
  };
  return (
    <CommandForm title={t('dossier.action.complete-step')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <StepField code={props.dossierCode} steps={props.action.steps ?? []} value={stepId} onChange={setStepId} error={errors.stepId} />
      <SelectField
        label={t('dossier.form.outcome')}
        required
        value={outcome}
        onChange={(value) => setOutcome(value as typeof outcome)}
        options={[
          { value: 'approved', label: t('dossier.form.outcome.approved') },
          { value: 'not-approved', label: t('dossier.form.outcome.not-approved') },
        ]}
      />
      <TextField label={t('dossier.form.note')} multiline value={note} onChange={setNote} />
    </CommandForm>
  );
}
