// Form 02 during processing (RequestSupplement): everything missing in one list, each with its
// reason, returned to the applicant through the one-stop centre; the legal clock pauses. A second
// request needs its reason (the law allows one).
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, initialStep, requiredErrors, StepField, TextField, useSubmission } from './dossier-form-kit';

interface Item {
  readonly description: string;
  readonly reason: string;
}

export default function RequestSupplementForm(props: ActionFormProps) {
  const t = useT();
  const [stepId, setStepId] = useState(initialStep(props));
  const [items, setItems] = useState<readonly Item[]>([{ description: '', reason: '' }]);
  const [another, setAnother] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const change = (index: number, patch: Partial<Item>) => setItems(items.map((item, at) => (at === index ? { ...item, ...patch } : item)));
  const send = () => {
    const found: Record<string, string> = requiredErrors(t, { stepId: { value: stepId, label: t('dossier.form.step') } });
    items.forEach((item, index) =>
      Object.assign(
        found,
        requiredErrors(t, { [`description.${index}`]: { value: item.description, label: t('dossier.form.missingDescription') }, [`reason.${index}`]: { value: item.reason, label: t('dossier.form.missingReason') } }),
      ),
    );
    setErrors(found);
    if (hasErrors(found)) return;
    void submit((key) =>
      api.POST('/dossiers/{code}/request-supplement', {
        params: commandParams(props.dossierCode, key),
        body: { stepId, missing: items.map((item) => ({ description: item.description, reason: item.reason })), ...(another.trim() ? { reasonForAnotherRequest: another } : {}) },
      }),
    );
  };
  return (
    <CommandForm title={t('dossier.action.request-supplement')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <StepField code={props.dossierCode} steps={props.action.steps ?? []} value={stepId} onChange={setStepId} error={errors.stepId} />
      <fieldset>
        <legend>{t('dossier.form.missing')}</legend>
        {items.map((item, index) => (
          // The rows have no identity but their place in the list.
          <fieldset key={index} className="missing-item">
            <legend>{t('dossier.form.missingItem', { n: index + 1 })}</legend>
            <TextField label={t('dossier.form.missingDescription')} required value={item.description} onChange={(value) => change(index, { description: value })} error={errors[`description.${index}`]} />
            <TextField label={t('dossier.form.missingReason')} required value={item.reason} onChange={(value) => change(index, { reason: value })} error={errors[`reason.${index}`]} />
            {items.length > 1 && (
              <button type="button" onClick={() => setItems(items.filter((_, at) => at !== index))}>
                {t('dossier.form.removeItem', { n: index + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" onClick={() => setItems([...items, { description: '', reason: '' }])}>
          {t('dossier.form.addItem')}
        </button>
      </fieldset>
      <TextField label={t('dossier.form.anotherRequestReason')} multiline value={another} onChange={setAnother} hint={t('dossier.form.anotherRequestHint')} />
    </CommandForm>
  );
}
