// Ask another body's opinion with a deadline (ConsultBody): the consultation's id, the body, the
// question and the reply-by time; the legal clock keeps running.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, DateTimeField, type FieldErrors, hasErrors, initialStep, requiredErrors, StepField, TextField, useSubmission, vietnamInstant } from './dossier-form-kit';

export default function ConsultForm(props: ActionFormProps) {
  const t = useT();
  const [stepId, setStepId] = useState(initialStep(props));
  const [consultationId, setConsultationId] = useState('');
  const [bodyAgencyCode, setBody] = useState('');
  const [question, setQuestion] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('17:00');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, {
      stepId: { value: stepId, label: t('dossier.form.step') },
      consultationId: { value: consultationId, label: t('dossier.form.consultationId') },
      bodyAgencyCode: { value: bodyAgencyCode, label: t('dossier.form.bodyAgency') },
      question: { value: question, label: t('dossier.form.question') },
      replyBy: { value: date, label: t('dossier.form.replyBy') },
    });
    if (!found.consultationId && !/^[a-z0-9-]{1,50}$/.test(consultationId)) found.consultationId = t('dossier.form.consultationIdInvalid');
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) =>
      api.POST('/dossiers/{code}/consult', { params: commandParams(props.dossierCode, key), body: { stepId, consultationId, bodyAgencyCode: bodyAgencyCode.trim(), question, replyBy: vietnamInstant(date, time) } }),
    );
  };
  return (
    <CommandForm title={t('dossier.action.consult')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <StepField code={props.dossierCode} steps={props.action.steps ?? []} value={stepId} onChange={setStepId} error={errors.stepId} />
      <TextField label={t('dossier.form.consultationId')} required value={consultationId} onChange={setConsultationId} error={errors.consultationId} hint={t('dossier.form.consultationIdHint')} />
      <TextField label={t('dossier.form.bodyAgency')} required value={bodyAgencyCode} onChange={setBody} error={errors.bodyAgencyCode} hint={t('dossier.form.bodyAgencyHint')} />
      <TextField label={t('dossier.form.question')} required multiline value={question} onChange={setQuestion} error={errors.question} />
      <DateTimeField label={t('dossier.form.replyBy')} required date={date} time={time} onDate={setDate} onTime={setTime} timeLabel={t('dossier.form.time')} error={errors.replyBy} />
    </CommandForm>
  );
}
