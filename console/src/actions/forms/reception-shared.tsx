// What the reception forms share: the procedure a dossier follows (its components), one
// Idempotency-Key per submission, the frame of a command form (title, errors found before sending,
// the API's refusal, send and cancel), and the table of components received with their form.
// No rule lives here: the API decides; these only ask for what each command's body needs.
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { api, newIdempotencyKey, unwrap } from '../../api/client';
import { ProblemView } from '../../components/problem-view';
import { vietnamDay } from '../../i18n/vietnam-day.js';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/vi';

export const COMPONENT_FORMS = ['original', 'certified-copy', 'photocopy'] as const;
export type ComponentForm = (typeof COMPONENT_FORMS)[number];

/** A paper of a procedure as GET /catalogue/procedures gives it (domain/catalogue/procedure.ts). */
export interface CatalogueComponent {
  readonly id: string;
  readonly name: string;
  readonly form: ComponentForm;
  readonly count?: number;
  readonly required?: boolean;
  readonly reusableFromData?: boolean;
}

/** A procedure version as GET /catalogue/procedures gives it: what the reception screens show of it. */
export interface CatalogueProcedure {
  readonly code: string;
  readonly version: string;
  readonly name: string;
  readonly field: string;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string | null;
  readonly components: readonly CatalogueComponent[];
}

/** Today in Vietnam, YYYY-MM-DD. */
/**
 * The catalogue's procedure versions (read once per visit: it changes by decision, not by the minute):
 * all of them, or with `inForceOn` (YYYY-MM-DD) the one of each procedure in force that day, as the
 * API picks it (GET /catalogue/procedures?inForceOn=).
 */
export function useProcedures(inForceOn?: string) {
  return useQuery({
    queryKey: ['catalogue', 'procedures', inForceOn ?? 'all'],
    queryFn: async () => unwrap(await api.GET('/catalogue/procedures', { params: { query: inForceOn === undefined ? {} : { inForceOn } } })).procedures as CatalogueProcedure[],
    staleTime: 10 * 60_000,
  });
}

/** The dossier's summary (GET /dossiers/{code}). */
export function useDossier(dossierCode: string) {
  return useQuery({
    queryKey: ['reception', 'dossier', dossierCode],
    queryFn: async () => unwrap(await api.GET('/dossiers/{code}', { params: { path: { code: dossierCode } } })),
  });
}

/** The procedure version a dossier follows: the one acceptance pinned, else the one the API says was in force the day it was received. */
export function useDossierProcedure(dossierCode: string) {
  const dossier = useDossier(dossierCode);
  const procedures = useProcedures();
  const inForce = useProcedures(dossier.data ? vietnamDay(new Date(dossier.data.receivedAt)) : undefined);
  const loaded = dossier.data && procedures.data && inForce.data;
  const data = loaded ? pickVersion(procedures.data!, inForce.data!, dossier.data!.procedureCode, dossier.data!.procedureVersion) : undefined;
  return { procedure: data, dossier: dossier.data, isLoading: dossier.isLoading || procedures.isLoading || inForce.isLoading, error: dossier.error ?? procedures.error ?? inForce.error };
}

function pickVersion(procedures: readonly CatalogueProcedure[], inForce: readonly CatalogueProcedure[], code: string, version: string | null): CatalogueProcedure | undefined {
  const versions = procedures.filter((procedure) => procedure.code === code);
  return (version ? versions.find((procedure) => procedure.version === version) : undefined) ?? inForce.find((procedure) => procedure.code === code) ?? versions[versions.length - 1];
}

/**
 * One Idempotency-Key per submission: the same key for the same body while the form is open (a
 * double click, a retry after a lost answer are recorded once, and so is each upload of a form
 * that sends several requests), a fresh one when the person changed what is sent.
 */
export function useIdempotencyKey() {
  const keys = useRef(new Map<string, string>());
  return (body: unknown): string => {
    const text = JSON.stringify(body);
    let key = keys.current.get(text);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(text, key);
    }
    return key;
  };
}

/** Errors found before sending, by the id of the field at fault. */
export type FieldErrors = Readonly<Record<string, MessageKey>>;

interface CommandFormProps {
  readonly title: MessageKey;
  readonly intro?: MessageKey;
  readonly submitLabel: MessageKey;
  readonly pending: boolean;
  readonly errors: FieldErrors;
  /** The API's refusal or a failure, shown with its rule. */
  readonly error: unknown;
  readonly onSubmit: () => void;
  readonly onCancel: () => void;
  readonly children: ReactNode;
  /** The labels of the fields, for the summary of errors (by field id). */
  readonly labels: Readonly<Record<string, string>>;
}

/** The frame of a command's form: Enter submits; the errors and the refusal take the focus when they appear. */
export function CommandForm({ title, intro, submitLabel, pending, errors, error, onSubmit, onCancel, children, labels }: CommandFormProps) {
  const t = useT();
  const headingId = useId();
  const summary = useRef<HTMLDivElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  const errorIds = Object.keys(errors);
  useEffect(() => {
    if (errorIds.length > 0) summary.current?.focus();
  }, [errors]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (error) problem.current?.focus();
  }, [error]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onSubmit();
  };
  return (
    <form className="card reception-form" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h2 id={headingId}>{t(title)}</h2>
      {intro && <p>{t(intro)}</p>}
      {errorIds.length > 0 && (
        <div className="problem" role="alert" tabIndex={-1} ref={summary}>
          <strong>{t('reception.invalid.summary')}</strong>
          <ul>
            {errorIds.map((id) => (
              <li key={id}>
                <a href={`#${id}`}>{labels[id] ?? id}</a>: {t(errors[id]!)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {children}
      <div tabIndex={-1} ref={problem}>
        <ProblemView error={error} />
      </div>
      <div className="actions-row">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? t('reception.form.sending') : t(submitLabel)}
        </button>
        <button type="button" onClick={onCancel} disabled={pending}>
          {t('reception.form.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A field's error, tied to its input by aria-describedby. */
export function FieldError({ id, errors }: { readonly id: string; readonly errors: FieldErrors }) {
  const t = useT();
  const key = errors[id];
  return key ? (
    <small id={`${id}-error`} className="field-error">
      {t(key)}
    </small>
  ) : null;
}

/** The props that tie an input to its error (and its hint, when it has one). */
export function invalidProps(id: string, errors: FieldErrors, hint = false) {
  const describedBy = [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(errors[id] ? { 'aria-invalid': true as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) };
}

/**
 * A labelled field: the label names the control alone; its hint and its error follow it, tied by
 * aria-describedby (pass `invalidProps(id, errors, hint !== undefined)` to the control).
 */
export function Field({ id, label, hint, optional, errors, children }: { readonly id: string; readonly label: string; readonly hint?: string; readonly optional?: boolean; readonly errors: FieldErrors; readonly children: ReactNode }) {
  const t = useT();
  return (
    <div className="reception-field">
      <label htmlFor={id}>
        {label}
        {optional && ` (${t('reception.receive.optional')})`}
      </label>
      {hint && <small id={`${id}-hint`}>{hint}</small>}
      {children}
      <FieldError id={id} errors={errors} />
    </div>
  );
}

/** A component as a form ticks it: received or not, and in which form. */
export interface ComponentChoice {
  readonly received: boolean;
  readonly form: ComponentForm;
  readonly scan?: File | null;
}

/**
 * The procedure's components, each with "received" and its form (prefilled from the catalogue), and
 * optionally a scan to attach. Keyboard: one checkbox, one select (and one file input) per row.
 */
export function ComponentChoices({
  components,
  choices,
  onChange,
  withScans = false,
  idPrefix,
}: {
  readonly components: readonly CatalogueComponent[];
  readonly choices: Readonly<Record<string, ComponentChoice>>;
  readonly onChange: (componentId: string, choice: ComponentChoice) => void;
  readonly withScans?: boolean;
  readonly idPrefix: string;
}) {
  const t = useT();
  return (
    <table className="reception-components">
      <caption className="visually-hidden">{t('reception.receive.components')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reception.receive.componentName')}</th>
          <th scope="col">{t('reception.form.received')}</th>
          <th scope="col">{t('reception.receive.componentForm')}</th>
          {withScans && <th scope="col">{t('reception.form.scan')}</th>}
        </tr>
      </thead>
      <tbody>
        {components.map((component) => {
          const choice = choices[component.id] ?? { received: false, form: component.form };
          return (
            <tr key={component.id}>
              <th scope="row">
                {component.name}
                {component.required !== false && <small className="reception-required"> ({t('reception.receive.componentRequired')})</small>}
                {component.reusableFromData && <small> · {t('reception.receive.componentReusable')}</small>}
              </th>
              <td>
                <label className="checkbox">
                  <input type="checkbox" id={`${idPrefix}-${component.id}-received`} checked={choice.received} onChange={(event) => onChange(component.id, { ...choice, received: event.target.checked })} />
                  <span className="visually-hidden">{t('reception.form.receivedOf', { name: component.name })}</span>
                </label>
              </td>
              <td>
                <label>
                  <span className="visually-hidden">{t('reception.form.formOf', { name: component.name })}</span>
                  <select value={choice.form} disabled={!choice.received} onChange={(event) => onChange(component.id, { ...choice, form: event.target.value as ComponentForm })}>
                    {COMPONENT_FORMS.map((form) => (
                      <option key={form} value={form}>
                        {t(`reception.form.${form}`)}
                      </option>
                    ))}
                  </select>
                </label>
              </td>
              {withScans && (
                <td>
                  <label>
                    <span className="visually-hidden">{t('reception.form.scanOf', { name: component.name })}</span>
                    <input type="file" accept="application/pdf,image/jpeg,image/png" disabled={!choice.received} onChange={(event) => onChange(component.id, { ...choice, scan: event.target.files?.[0] ?? null })} />
                  </label>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Free-text fields the API trims and requires: blank is missing. */
export const blank = (value: string) => value.trim().length === 0;
