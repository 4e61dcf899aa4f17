// Apologise and give a new appointment (IssueApology, form 04): the reason for the delay and the new
// appointment, a day and time in Vietnam. The rules decide whether it is still in time and later
// than the due time; their refusal is shown as it came.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, DateTimeField, type FieldErrors, hasErrors, requiredErrors, TextField, useSubmission, vietnamInstant } from './dossier-form-kit';

export default function IssueApologyForm(props: ActionFormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('09:00');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { reason: { value: reason, label: t('dossier.form.reason') }, newAppointment: { value: date, label: t('dossier.form.newAppointment') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/issue-apology', { params: commandParams(props.dossierCode, key), body: { reason, newAppointment: vietnamInstant(date, time) } }));
  };
  return (
    <CommandForm title={t('dossier.action.issue-apology')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <TextField label={t('dossier.form.reason')} required multiline value={reason} onChange={setReason} error={errors.reason} />
      <DateTimeField label={t('dossier.form.newAppointment')} required date={date} time={time} onDate={setDate} onTime={setTime} timeLabel={t('dossier.form.newAppointmentTime')} error={errors.newAppointment} />
    </CommandForm>
  );
}
