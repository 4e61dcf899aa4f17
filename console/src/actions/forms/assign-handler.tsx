// Assign an officer to a step (AssignHandler): the head of the step's agency names the handler.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, initialStep, requiredErrors, StepField, TextField, useSubmission } from './dossier-form-kit';

export default function AssignHandlerForm(props: ActionFormProps) {
  const t = useT();
  const [stepId, setStepId] = useState(initialStep(props));
  const [handlerUserId, setHandler] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { stepId: { value: stepId, label: t('dossier.form.step') }, handlerUserId: { value: handlerUserId, label: t('dossier.form.handler') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/assign-handler', { params: commandParams(props.dossierCode, key), body: { stepId, handlerUserId: handlerUserId.trim() } }));
  };
  return (
    <CommandForm title={t('dossier.action.assign-handler')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <StepField code={props.dossierCode} steps={props.action.steps ?? []} value={stepId} onChange={setStepId} error={errors.stepId} />
      <TextField label={t('dossier.form.handler')} required value={handlerUserId} onChange={setHandler} error={errors.handlerUserId} hint={t('signIn.userHint')} />
    </CommandForm>
  );
}
