// A payment of fees or of the financial obligation notified: amount, how it was paid (at the
// counter, by transfer, by post), the receipt's number. An online payment is not typed in here: the
// payment platform's confirmation records it (request one with request-payment).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { blank, CommandForm, Field, type FieldErrors, invalidProps, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

const METHODS = ['counter', 'bank-transfer', 'post'] as const;

export default function RecordPaymentForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const t = useT();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]>('counter');
  const [receiptNumber, setReceiptNumber] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const keyFor = useIdempotencyKey();
  // Amounts are typed as Vietnamese write them: 12.500.000 or 12500000.
  const amountVnd = Number(amount.replace(/[.\s,]/g, ''));
  const send = useMutation({
    mutationFn: async () => {
      const body = { amountVnd, method, receiptNumber: receiptNumber.trim() };
      return unwrap(await api.POST('/dossiers/{code}/record-payment', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: onDone,
  });
  const labels = { 'payment-amount': t('reception.payment.amount'), 'payment-receipt': t('reception.payment.receiptNumber') };
  const submit = () => {
    const found: Record<string, 'reception.invalid.amount' | 'reception.invalid.required'> = {};
    if (!/^[0-9][0-9.\s,]*$/.test(amount.trim()) || !Number.isSafeInteger(amountVnd) || amountVnd <= 0) found['payment-amount'] = 'reception.invalid.amount';
    if (blank(receiptNumber)) found['payment-receipt'] = 'reception.invalid.required';
    setErrors(found);
    if (Object.keys(found).length === 0) send.mutate();
  };
  return (
    <CommandForm title="reception.payment.title" submitLabel="reception.form.submit" pending={send.isPending} errors={errors} labels={labels} error={send.error} onSubmit={submit} onCancel={onCancel}>
      <Field id="payment-amount" label={t('reception.payment.amount')} errors={errors}>
        <input id="payment-amount" inputMode="numeric" autoComplete="off" value={amount} onChange={(event) => setAmount(event.target.value)} {...invalidProps('payment-amount', errors)} />
      </Field>
      <label>
        {t('reception.payment.method')}
        <select value={method} onChange={(event) => setMethod(event.target.value as (typeof METHODS)[number])}>
          {METHODS.map((value) => (
            <option key={value} value={value}>
              {t(`reception.payment.method.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <Field id="payment-receipt" label={t('reception.payment.receiptNumber')} errors={errors}>
        <input id="payment-receipt" value={receiptNumber} maxLength={100} onChange={(event) => setReceiptNumber(event.target.value)} {...invalidProps('payment-receipt', errors)} />
      </Field>
    </CommandForm>
  );
}
