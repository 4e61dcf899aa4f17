// Ask the applicant to pay online (RequestPayment): the procedure's fees and charges as the catalogue
// pinned at acceptance lists them, or the financial obligation pending on the dossier. The amount is
// the dossier's, never typed here; the rules refuse what cannot be asked (nothing to pay, asked
// already) with their reason (docs/rules.md#payment-requests-and-online-payments).
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, SelectField, TextField, useSubmission } from './dossier-form-kit';

export default function RequestPaymentForm(props: ActionFormProps) {
  const t = useT();
  const [purpose, setPurpose] = useState<'fees' | 'obligation'>('fees');
  const [note, setNote] = useState('');
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const body = { purpose, ...(note.trim() ? { note: note.trim() } : {}) };
    void submit((key) => api.POST('/dossiers/{code}/request-payment', { params: commandParams(props.dossierCode, key), body }));
  };
  return (
    <CommandForm title={t('dossier.requestPayment.title')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={false}>
      <SelectField
        label={t('dossier.requestPayment.purpose')}
        required
        hint={t('dossier.requestPayment.hint')}
        value={purpose}
        onChange={(value) => setPurpose(value as 'fees' | 'obligation')}
        options={[
          { value: 'fees', label: t('dossier.requestPayment.purpose.fees') },
          { value: 'obligation', label: t('dossier.requestPayment.purpose.obligation') },
        ]}
      />
      <TextField label={t('dossier.requestPayment.note')} multiline value={note} onChange={setNote} />
    </CommandForm>
  );
}
