// Refuse to resolve after appraisal (RefuseToResolve, form 03): the reasons, one per line, and the
// legal basis. Only the competent body's head signs it; the API says whether this person may.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, requiredErrors, TextField, useSubmission } from './dossier-form-kit';

export default function RefuseToResolveForm(props: ActionFormProps) {
  const t = useT();
  const [reasons, setReasons] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { reasons: { value: reasons, label: t('dossier.form.reasons') }, legalBasis: { value: legalBasis, label: t('dossier.form.legalBasis') } });
    setErrors(found);
    if (hasErrors(found)) return;
    const lines = reasons.split('\n').map((line) => line.trim()).filter(Boolean);
    void submit((key) => api.POST('/dossiers/{code}/refuse-to-resolve', { params: commandParams(props.dossierCode, key), body: { reasons: lines, legalBasis } }));
  };
  return (
    <CommandForm title={t('dossier.action.refuse-to-resolve')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <TextField label={t('dossier.form.reasons')} required multiline value={reasons} onChange={setReasons} error={errors.reasons} />
      <TextField label={t('dossier.form.legalBasis')} required value={legalBasis} onChange={setLegalBasis} error={errors.legalBasis} />
    </CommandForm>
  );
}
