// The accountability explanation (giải trình) of the agency responsible for an overdue dossier, to
// its head (RecordLatenessExplanation): the reason only.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, requiredErrors, TextField, useSubmission } from './dossier-form-kit';

export default function RecordLatenessExplanationForm(props: ActionFormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { reason: { value: reason, label: t('dossier.form.explanation') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/record-lateness-explanation', { params: commandParams(props.dossierCode, key), body: { reason } }));
  };
  return (
    <CommandForm title={t('dossier.action.record-lateness-explanation')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <TextField label={t('dossier.form.explanation')} required multiline value={reason} onChange={setReason} error={errors.reason} />
    </CommandForm>
  );
}
