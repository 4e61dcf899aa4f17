// Notify a tax or fee to pay (RequestFinancialObligation): the notice's number and amount; the
// legal clock stops until reception records the payment.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, initialStep, requiredErrors, StepField, TextField, useSubmission } from './dossier-form-kit';

export default function RequestFinancialObligationForm(props: ActionFormProps) {
  const t = useT();
  const [stepId, setStepId] = useState(initialStep(props));
  const [noticeNumber, setNoticeNumber] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { stepId: { value: stepId, label: t('dossier.form.step') }, noticeNumber: { value: noticeNumber, label: t('dossier.form.noticeNumber') }, amount: { value: amount, label: t('dossier.form.amount') } });
    const digits = amount.replace(/[.\s]/g, '');
    if (!found.amount && (!/^\d+$/.test(digits) || Number(digits) <= 0 || !Number.isSafeInteger(Number(digits)))) found.amount = t('dossier.form.amountInvalid');
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) => api.POST('/dossiers/{code}/request-financial-obligation', { params: commandParams(props.dossierCode, key), body: { stepId, noticeNumber: noticeNumber.trim(), amountVnd: Number(digits) } }));
  };
  return (
    <CommandForm title={t('dossier.action.request-financial-obligation')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <StepField code={props.dossierCode} steps={props.action.steps ?? []} value={stepId} onChange={setStepId} error={errors.stepId} />
      <TextField label={t('dossier.form.noticeNumber')} required value={noticeNumber} onChange={setNoticeNumber} error={errors.noticeNumber} />
      <TextField label={t('dossier.form.amount')} required inputMode="numeric" value={amount} onChange={setAmount} error={errors.amount} />
    </CommandForm>
  );
}
