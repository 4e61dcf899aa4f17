// Form 02 at reception: everything missing or wrong, in one list, each with its reason (the law
// allows one request). A line may name a component of the procedure or another paper.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { blank, CommandForm, Field, type FieldErrors, invalidProps, useDossierProcedure, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

interface MissingLine {
  readonly componentId: string;
  readonly description: string;
  readonly reason: string;
}

const EMPTY: MissingLine = { componentId: '', description: '', reason: '' };

export default function RequestSupplementAtReceptionForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const t = useT();
  const { procedure, error: loadError } = useDossierProcedure(dossierCode);
  const [lines, setLines] = useState<MissingLine[]>([EMPTY]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const keyFor = useIdempotencyKey();
  const components = procedure?.components ?? [];

  const send = useMutation({
    mutationFn: async () => {
      const body = { missing: lines.map((line) => ({ ...(line.componentId ? { componentId: line.componentId } : {}), description: line.description.trim(), reason: line.reason.trim() })) };
      return unwrap(await api.POST('/dossiers/{code}/request-supplement-at-reception', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: onDone,
  });

  const labels: Record<string, string> = {};
  lines.forEach((_, index) => {
    labels[`missing-${index}-description`] = `${t('reception.supplement.item', { n: index + 1 })}: ${t('reception.supplement.description')}`;
    labels[`missing-${index}-reason`] = `${t('reception.supplement.item', { n: index + 1 })}: ${t('reception.form.reason')}`;
  });
  const submit = () => {
    const found: Record<string, 'reception.invalid.required'> = {};
    lines.forEach((line, index) => {
      if (blank(line.description)) found[`missing-${index}-description`] = 'reception.invalid.required';
      if (blank(line.reason)) found[`missing-${index}-reason`] = 'reception.invalid.required';
    });
    setErrors(found);
    if (Object.keys(found).length === 0) send.mutate();
  };
  const update = (index: number, change: Partial<MissingLine>) => setLines((current) => current.map((line, at) => (at === index ? { ...line, ...change } : line)));

  return (
    <CommandForm title="reception.supplement.title" intro="reception.supplement.intro" submitLabel="reception.form.submit" pending={send.isPending} errors={errors} labels={labels} error={send.error ?? loadError} onSubmit={submit} onCancel={onCancel}>
      {lines.map((line, index) => (
        <fieldset key={index} className="reception-missing">
          <legend>{t('reception.supplement.item', { n: index + 1 })}</legend>
          <label>
            {t('reception.supplement.component')}
            <select
              value={line.componentId}
              onChange={(event) => {
                const component = components.find((candidate) => candidate.id === event.target.value);
                update(index, { componentId: event.target.value, ...(component && blank(line.description) ? { description: component.name } : {}) });
              }}
            >
              <option value="">{t('reception.form.otherComponent')}</option>
              {components.map((component) => (
                <option key={component.id} value={component.id}>
                  {component.name}
                </option>
              ))}
            </select>
          </label>
          <Field id={`missing-${index}-description`} label={t('reception.supplement.description')} errors={errors}>
            <textarea id={`missing-${index}-description`} value={line.description} maxLength={1000} onChange={(event) => update(index, { description: event.target.value })} {...invalidProps(`missing-${index}-description`, errors)} />
          </Field>
          <Field id={`missing-${index}-reason`} label={t('reception.form.reason')} errors={errors}>
            <textarea id={`missing-${index}-reason`} value={line.reason} maxLength={1000} onChange={(event) => update(index, { reason: event.target.value })} {...invalidProps(`missing-${index}-reason`, errors)} />
          </Field>
          {lines.length > 1 && (
            <button type="button" onClick={() => setLines((current) => current.filter((_, at) => at !== index))}>
              {t('reception.form.removeRow', { n: index + 1 })}
            </button>
          )}
        </fieldset>
      ))}
      <div className="actions-row">
        <button type="button" onClick={() => setLines((current) => [...current, EMPTY])}>
          {t('reception.form.addRow')}
        </button>
      </div>
    </CommandForm>
  );
}
