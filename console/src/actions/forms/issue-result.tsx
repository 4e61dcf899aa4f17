// Issue the result (IssueResult): the PDF the competent body signed and its số, ký hiệu, sent as
// multipart/form-data (api/routes/issue-result.ts). The API verifies the signature and the signer
// before storing anything; its refusal names the reason. On the local trial (npm start) the head may
// take a sample decision signed with the trial's keystore instead (docs/console.md#trial-signing).
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { ProblemView } from '../../components/problem-view';
import { useT } from '../../i18n/i18n';
import type { ActionFormProps } from '../types';
import { CommandForm, commandParams, type FieldErrors, hasErrors, requiredErrors, TextField, useSubmission } from './dossier-form-kit';

export default function IssueResultForm(props: ActionFormProps) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { submit, pending, error } = useSubmission(props);
  const session = useSignedIn();
  const [trialError, setTrialError] = useState<unknown>(null);
  const takeTrialSample = async () => {
    setTrialError(null);
    try {
      const blob = unwrap(await api.POST('/dossiers/{code}/trial-result', { params: { path: { code: props.dossierCode } }, parseAs: 'blob' })) as unknown as Blob;
      setFile(new File([blob], `${props.dossierCode}-ket-qua-mau.pdf`, { type: 'application/pdf' }));
    } catch (caught) {
      setTrialError(caught);
    }
  };
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
      {session.local && (
        <p>
          <button type="button" onClick={() => void takeTrialSample()}>
            {t('dossier.form.trialSample')}
          </button>
        </p>
      )}
      <ProblemView error={trialError} />
      {file && <p className="chosen-file">{t('dossier.form.chosenFile', { name: file.name })}</p>}
      <TextField label={t('dossier.form.reference')} required value={reference} onChange={setReference} error={errors.reference} />
    </CommandForm>
  );
}
