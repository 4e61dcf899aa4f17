// The head's apology for lateness to the applicant (IssueLatenessApology), once the appointment has
// passed: the reason and, while the result is not ready, a new appointment (it never moves the due time).
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, DateTimeField, type FieldErrors, hasErrors, requiredErrors, TextField, useSubmission, vietnamInstant } from './dossier-form-kit';

export default function IssueLatenessApologyForm(props: ActionFormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('09:00');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { reason: { value: reason, label: t('dossier.form.reason') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/issue-lateness-apology', { params: commandParams(props.dossierCode, key), body: { reason, ...(date ? { newAppointment: vietnamInstant(date, time) } : {}) } }));
  };
  return (
    <CommandForm title={t('dossier.action.issue-lateness-apology')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <TextField label={t('dossier.form.reason')} required multiline value={reason} onChange={setReason} error={errors.reason} />
      <DateTimeField label={t('dossier.form.newAppointmentOptional')} date={date} time={time} onDate={setDate} onTime={setTime} timeLabel={t('dossier.form.newAppointmentTime')} />
    </CommandForm>
  );
}
