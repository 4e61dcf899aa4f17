// Issue the result (IssueResult): the PDF the competent body signed and its số, ký hiệu, sent as
// multipart/form-data (api/routes/issue-result.ts). The API verifies the signature and the signer
// before storing anything; its refusal names the reason.
import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, requiredErrors, TextField, useSubmission } from './dossier-form-kit';

export default function IssueResultForm(props: ActionFormProps) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const send = () => {
    const found = requiredErrors(t, { file: { value: file ? file.name || 'file' : '', label: t('dossier.form.resultFile') }, reference: { value: reference, label: t('dossier.form.reference') } });
    setErrors(found);
    if (hasErrors(found) || !file) return;
    const form = new FormData();
    form.append('reference', reference.trim());
    form.append('file', file, file.name || 'ket-qua.pdf');
    void submit((key) => api.POST('/dossiers/{code}/issue-result', { params: commandParams(props.dossierCode, key), body: { reference: reference.trim(), file: file.name }, bodySerializer: () => form }));
  };
  return (
    <CommandForm title={t('dossier.action.issue-result')} onSubmit={send} onCancel={props.onCancel} pending={pending} error={error} invalid={hasErrors(errors)}>
      <label>
        <span>
          {t('dossier.form.resultFile')}
          <abbr title={t('dossier.form.required')}> *</abbr>
        </span>
        <input type="file" accept="application/pdf,.pdf" required aria-invalid={errors.file ? true : undefined} aria-describedby="issue-result-file-hint" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        <small id="issue-result-file-hint" className="hint">
          {t('dossier.form.resultFileHint')}
        </small>
        {errors.file && <span className="field-error">{errors.file}</span>}
      </label>
      <TextField label={t('dossier.form.reference')} required value={reference} onChange={setReference} error={errors.reference} />
    </CommandForm>
  );
}
