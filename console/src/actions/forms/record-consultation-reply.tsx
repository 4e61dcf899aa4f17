// Record the reply to a consultation (RecordConsultationReply): which open consultation, and the reply.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, requiredErrors, SelectField, TextField, useSubmission } from './dossier-form-kit';

export default function RecordConsultationReplyForm(props: ActionFormProps) {
  const t = useT();
  const open = props.action.consultations ?? [];
  const [consultationId, setConsultationId] = useState(open.length === 1 ? open[0]! : '');
  const [reply, setReply] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { consultationId: { value: consultationId, label: t('dossier.form.consultation') }, reply: { value: reply, label: t('dossier.form.reply') } });
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/record-consultation-reply', { params: commandParams(props.dossierCode, key), body: { consultationId, reply } }));
  };
  return (
    <CommandForm title={t('dossier.action.record-consultation-reply')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <SelectField label={t('dossier.form.consultation')} required value={consultationId} onChange={setConsultationId} error={errors.consultationId} options={[...(open.length === 1 ? [] : [{ value: '', label: '—' }]), ...open.map((id) => ({ value: id, label: id }))]} />
      <TextField label={t('dossier.form.reply')} required multiline value={reply} onChange={setReply} error={errors.reply} />
    </CommandForm>
  );
}
