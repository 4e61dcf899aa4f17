// The supplement the applicant brought: the components received now with their form, and a note.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { type ComponentChoice, ComponentChoices, CommandForm, Field, useDossierProcedure, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

export default function ProvideSupplementForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const t = useT();
  const { procedure, isLoading, error: loadError } = useDossierProcedure(dossierCode);
  const [choices, setChoices] = useState<Record<string, ComponentChoice>>({});
  const [note, setNote] = useState('');
  const keyFor = useIdempotencyKey();
  const send = useMutation({
    mutationFn: async () => {
      const components = (procedure?.components ?? []).flatMap((component) => {
        const choice = choices[component.id];
        return choice?.received ? [{ componentId: component.id, form: choice.form }] : [];
      });
      const body = { components, ...(note.trim() ? { note: note.trim() } : {}) };
      return unwrap(await api.POST('/dossiers/{code}/provide-supplement', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: onDone,
  });
  if (isLoading) return <p role="status">{t('reception.form.loading')}</p>;
  return (
    <CommandForm title="reception.provide.title" intro="reception.provide.intro" submitLabel="reception.form.submit" pending={send.isPending} errors={{}} labels={{}} error={send.error ?? loadError} onSubmit={() => send.mutate()} onCancel={onCancel}>
      {procedure && <ComponentChoices idPrefix="provide" components={procedure.components} choices={choices} onChange={(componentId, choice) => setChoices((current) => ({ ...current, [componentId]: choice }))} />}
      <Field id="provide-note" label={t('reception.form.note')} optional errors={{}}>
        <textarea id="provide-note" value={note} maxLength={1000} onChange={(event) => setNote(event.target.value)} />
      </Field>
    </CommandForm>
  );
}
