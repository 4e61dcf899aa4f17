// The result handed to the applicant: how, and whether they were told in advance (an early return
// needs it; the API judges whether it is early).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

const METHODS = ['counter', 'post', 'electronic'] as const;

export default function ReturnResultForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const t = useT();
  const [method, setMethod] = useState<(typeof METHODS)[number]>('counter');
  const [notified, setNotified] = useState(false);
  const keyFor = useIdempotencyKey();
  const send = useMutation({
    mutationFn: async () => {
      const body = { method, applicantNotifiedInAdvance: notified };
      return unwrap(await api.POST('/dossiers/{code}/return-result', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: onDone,
  });
  return (
    <CommandForm title="reception.return.title" submitLabel="reception.form.submit" pending={send.isPending} errors={{}} labels={{}} error={send.error} onSubmit={() => send.mutate()} onCancel={onCancel}>
      <fieldset>
        <legend>{t('reception.return.method')}</legend>
        <div className="reception-radios">
          {METHODS.map((value) => (
            <label key={value}>
              <input type="radio" name="return-method" value={value} checked={method === value} onChange={() => setMethod(value)} />
              {t(`reception.return.method.${value}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={notified} onChange={(event) => setNotified(event.target.checked)} />
        {t('reception.return.notified')}
      </label>
    </CommandForm>
  );
}
