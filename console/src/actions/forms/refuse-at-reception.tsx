// Form 03: refusal at reception, with every reason and the legal basis.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { blank, CommandForm, Field, type FieldErrors, invalidProps, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

export default function RefuseAtReceptionForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const t = useT();
  const [reasons, setReasons] = useState<string[]>(['']);
  const [legalBasis, setLegalBasis] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const keyFor = useIdempotencyKey();
  const send = useMutation({
    mutationFn: async () => {
      const body = { reasons: reasons.map((reason) => reason.trim()), legalBasis: legalBasis.trim() };
      return unwrap(await api.POST('/dossiers/{code}/refuse-at-reception', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: onDone,
  });
  const labels: Record<string, string> = { 'refuse-legal-basis': t('reception.refuse.legalBasis') };
  reasons.forEach((_, index) => (labels[`refuse-reason-${index}`] = t('reception.refuse.reason', { n: index + 1 })));
  const submit = () => {
    const found: Record<string, 'reception.invalid.required'> = {};
    reasons.forEach((reason, index) => {
      if (blank(reason)) found[`refuse-reason-${index}`] = 'reception.invalid.required';
    });
    if (blank(legalBasis)) found['refuse-legal-basis'] = 'reception.invalid.required';
    setErrors(found);
    if (Object.keys(found).length === 0) send.mutate();
  };
  return (
    <CommandForm title="reception.refuse.title" submitLabel="reception.form.submit" pending={send.isPending} errors={errors} labels={labels} error={send.error} onSubmit={submit} onCancel={onCancel}>
      {reasons.map((reason, index) => (
        <div key={index}>
          <Field id={`refuse-reason-${index}`} label={t('reception.refuse.reason', { n: index + 1 })} errors={errors}>
            <textarea id={`refuse-reason-${index}`} value={reason} maxLength={1000} onChange={(event) => setReasons((current) => current.map((text, at) => (at === index ? event.target.value : text)))} {...invalidProps(`refuse-reason-${index}`, errors)} />
          </Field>
          {reasons.length > 1 && (
            <button type="button" onClick={() => setReasons((current) => current.filter((_, at) => at !== index))}>
              {t('reception.form.removeRow', { n: index + 1 })}
            </button>
          )}
        </div>
      ))}
      <div className="actions-row">
        <button type="button" onClick={() => setReasons((current) => [...current, ''])}>
          {t('reception.form.addRow')}
        </button>
      </div>
      <Field id="refuse-legal-basis" label={t('reception.refuse.legalBasis')} hint={t('reception.refuse.legalBasisHint')} errors={errors}>
        <input id="refuse-legal-basis" value={legalBasis} maxLength={500} onChange={(event) => setLegalBasis(event.target.value)} {...invalidProps('refuse-legal-basis', errors, true)} />
      </Field>
    </CommandForm>
  );
}
