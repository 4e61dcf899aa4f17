// Accept a complete dossier (form 01): each component ticked as received with its form, prefilled
// from the procedure; scans attached per component when the person adds them. After acceptance the
// form shows the receipt's lookup secret (the API gives it once), the appointment and form 01 to
// print, and hands back to the page (onDone) when the person closes it.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import type { ActionFormProps } from '../types';
import { type ComponentChoice, ComponentChoices, CommandForm, useDossierProcedure, useIdempotencyKey } from './reception-shared';
import '../../pages/reception/reception.css';

type AcceptAnswer = { dossierCode: string; status: string; streamVersion: number; lookupSecret?: string };

export default function AcceptForm({ dossierCode, onDone, onCancel }: ActionFormProps) {
  const { t } = useI18n();
  const { procedure, isLoading, error: loadError } = useDossierProcedure(dossierCode);
  const [choices, setChoices] = useState<Record<string, ComponentChoice>>({});
  const keyFor = useIdempotencyKey();
  const uploaded = useRef(new Set<string>());

  useEffect(() => {
    if (!procedure) return;
    setChoices(Object.fromEntries(procedure.components.map((component) => [component.id, { received: component.required !== false, form: component.form, scan: null }])));
  }, [procedure]);

  const accept = useMutation({
    mutationFn: async (): Promise<AcceptAnswer> => {
      // The scans first (once each, even if the acceptance is sent again), then the acceptance.
      for (const [componentId, choice] of Object.entries(choices)) {
        const scan = choice.scan;
        const mark = `${componentId}/${scan?.name}/${scan?.size}/${scan?.lastModified}`;
        if (!choice.received || !scan || uploaded.current.has(mark)) continue;
        unwrap(
          await api.POST('/dossiers/{code}/components/{componentId}/files', {
            params: { path: { code: dossierCode, componentId }, header: { 'idempotency-key': keyFor({ componentId, mark }) } },
            body: { file: '' },
            bodySerializer: () => {
              const form = new FormData();
              form.append('file', scan, scan.name);
              return form;
            },
          }),
        );
        uploaded.current.add(mark);
      }
      const body = { components: Object.entries(choices).filter(([, choice]) => choice.received).map(([componentId, choice]) => ({ componentId, form: choice.form })) };
      return unwrap(await api.POST('/dossiers/{code}/accept', { params: { path: { code: dossierCode }, header: { 'idempotency-key': keyFor(body) } }, body }));
    },
  });

  if (accept.data) return <Receipt dossierCode={dossierCode} answer={accept.data} onClose={() => onDone(accept.data)} />;
  if (isLoading) return <p role="status">{t('reception.form.loading')}</p>;
  const labels = Object.fromEntries((procedure?.components ?? []).map((component) => [component.id, component.name]));
  return (
    <CommandForm title="reception.accept.title" intro="reception.accept.intro" submitLabel="reception.accept.submit" pending={accept.isPending} errors={{}} labels={labels} error={accept.error ?? loadError} onSubmit={() => accept.mutate()} onCancel={onCancel}>
      {procedure && <ComponentChoices idPrefix="accept" components={procedure.components} choices={choices} withScans onChange={(componentId, choice) => setChoices((current) => ({ ...current, [componentId]: choice }))} />}
      {accept.isPending && Object.values(choices).some((choice) => choice.scan) && <p role="status">{t('reception.form.uploading')}</p>}
    </CommandForm>
  );
}

/** After acceptance: the lookup secret, the appointment and form 01 as soon as the engine has made it. */
function Receipt({ dossierCode, answer, onClose }: { readonly dossierCode: string; readonly answer: AcceptAnswer; readonly onClose: () => void }) {
  const { t, language } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const dossier = useQuery({
    queryKey: ['reception', 'receipt', dossierCode, 'dossier'],
    queryFn: async () => unwrap(await api.GET('/dossiers/{code}', { params: { path: { code: dossierCode } } })),
  });
  // Form 01 is made by the dossier's workflow just after acceptance: look until it is there.
  const documents = useQuery({
    queryKey: ['reception', 'receipt', dossierCode, 'documents'],
    queryFn: async () => unwrap(await api.GET('/dossiers/{code}/documents', { params: { path: { code: dossierCode } } })).items,
    refetchInterval: (query) => (query.state.data?.some((document) => document.kind === 'form-01') ? false : 1000),
  });
  const form01 = documents.data?.find((document) => document.kind === 'form-01');
  return (
    <section className="card notice-ok reception-receipt" aria-labelledby="reception-receipt-heading">
      <h2 id="reception-receipt-heading" tabIndex={-1} ref={heading}>
        {t('reception.accept.done', { code: dossierCode })}
      </h2>
      <dl>
        {answer.lookupSecret && (
          <>
            <dt>{t('reception.accept.lookupSecret')}</dt>
            <dd>
              <strong className="reception-secret">{answer.lookupSecret}</strong>
              <br />
              <small>{t('reception.accept.lookupSecretHint')}</small>
            </dd>
          </>
        )}
        <dt>{t('reception.accept.appointment')}</dt>
        <dd>{formatDateTime(dossier.data?.appointment, language)}</dd>
        <dt>{t('reception.accept.form01')}</dt>
        <dd>
          {form01 ? (
            <>
              {t('reception.accept.documentNumber', { number: form01.number, at: formatDateTime(form01.issuedAt, language) })}
              <br />
              <OpenDocument sha256={form01.sha256} label={t('reception.accept.openPdf')} />
            </>
          ) : (
            <span role="status">{t('reception.accept.form01Waiting')}</span>
          )}
        </dd>
      </dl>
      <div className="actions-row">
        <button type="button" className="primary" onClick={onClose}>
          {t('reception.form.close')}
        </button>
      </div>
    </section>
  );
}

/** Opens a stored document (it needs the session's token, so not a bare link) in a new tab to print. */
export function OpenDocument({ sha256, label }: { readonly sha256: string; readonly label: string }) {
  const [error, setError] = useState<unknown>(null);
  const open = async () => {
    setError(null);
    // Opened before the download, in the click, so no pop-up blocker stops it.
    const tab = window.open('', '_blank');
    try {
      const blob = unwrap(await api.GET('/documents/{sha256}', { params: { path: { sha256 } }, parseAs: 'blob' })) as unknown as Blob;
      const url = URL.createObjectURL(blob);
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    } catch (failure) {
      tab?.close();
      setError(failure);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void open()}>
        {label}
      </button>
      {error ? <span role="alert">{String((error as Error).message ?? error)}</span> : null}
    </>
  );
}
