// The applicant asks to withdraw the dossier: reception records the request and its reason; the
// competent body decides (decide-withdrawal).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { blank, CommandForm, Field, type FieldErrors, invalidProps, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

export default function RequestWithdrawalForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const keyFor = useIdempotencyKey();
  const send = useMutation({
    mutationFn: async () => {
      const body = { reason: reason.trim() };
      return unwrap(await api.POST('/dossiers/{code}/request-withdrawal', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: onDone,
  });
  const submit = () => {
    const found: FieldErrors = blank(reason) ? { 'withdrawal-reason': 'reception.invalid.required' } : {};
    setErrors(found);
    if (Object.keys(found).length === 0) send.mutate();
  };
  return (
    <CommandForm title="reception.withdrawal.title" submitLabel="reception.form.submit" pending={send.isPending} errors={errors} labels={{ 'withdrawal-reason': t('reception.form.reason') }} error={send.error} onSubmit={submit} onCancel={onCancel}>
      <Field id="withdrawal-reason" label={t('reception.form.reason')} errors={errors}>
        <textarea id="withdrawal-reason" value={reason} maxLength={2000} onChange={(event) => setReason(event.target.value)} {...invalidProps('withdrawal-reason', errors)} />
      </Field>
    </CommandForm>
  );
}
