// The competent body decides on the applicant's withdrawal request (DecideWithdrawal): approve
// (processing stops, form 05) or decline, with the reason.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, requiredErrors, SelectField, TextField, useSubmission } from './dossier-form-kit';

export default function DecideWithdrawalForm(props: ActionFormProps) {
  const t = useT();
  const [approved, setApproved] = useState('true');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { reason: { value: reason, label: t('dossier.form.reason') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/decide-withdrawal', { params: commandParams(props.dossierCode, key), body: { approved: approved === 'true', reason } }));
  };
  return (
    <CommandForm title={t('dossier.action.decide-withdrawal')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <SelectField
        label={t('dossier.form.decision')}
        required
        value={approved}
        onChange={setApproved}
        options={[
          { value: 'true', label: t('dossier.form.approveWithdrawal') },
          { value: 'false', label: t('dossier.form.declineWithdrawal') },
        ]}
      />
      <TextField label={t('dossier.form.reason')} required multiline value={reason} onChange={setReason} error={errors.reason} />
    </CommandForm>
  );
}
