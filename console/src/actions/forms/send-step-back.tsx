// Send the dossier back to the previous stage for rework (SendStepBack), with the reason.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, initialStep, requiredErrors, StepField, TextField, useSubmission } from './dossier-form-kit';

export default function SendStepBackForm(props: ActionFormProps) {
  const t = useT();
  const [stepId, setStepId] = useState(initialStep(props));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { stepId: { value: stepId, label: t('dossier.form.step') }, reason: { value: reason, label: t('dossier.form.reason') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/send-step-back', { params: commandParams(props.dossierCode, key), body: { stepId, reason } }));
  };
  return (
    <CommandForm title={t('dossier.action.send-step-back')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <StepField code={props.dossierCode} steps={props.action.steps ?? []} value={stepId} onChange={setStepId} error={errors.stepId} />
      <TextField label={t('dossier.form.reason')} required multiline value={reason} onChange={setReason} error={errors.reason} />
    </CommandForm>
  );
}
