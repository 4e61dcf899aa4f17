// Receiving a dossier at the counter (tiếp nhận): the procedure from the catalogue with the papers
// it requires (each with its form and whether it can be reused from data), the applicant and how
// the dossier came; POST /dossiers, then the new dossier's page, where it is accepted, sent back
// for a supplement or refused.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/vi';
import { blank, CommandForm, Field, type FieldErrors, invalidProps, useIdempotencyKey, useProcedures } from '../../actions/forms/reception-shared';
import { vietnamDay } from '../../i18n/vietnam-day.js';
import './reception.css';

type Kind = 'citizen' | 'organisation';
type Notice = 'email' | 'sms' | 'zalo';
const NOTICES: readonly Notice[] = ['email', 'sms', 'zalo'];
const IDENTITY = /^[0-9A-Z-]{6,20}$/;
const PHONE = /^\+?[0-9 .-]{8,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOCALITY = /^\d{2,5}$/;

interface Person {
  fullName: string;
  identityNumber: string;
  phone: string;
  email: string;
}
const NOBODY: Person = { fullName: '', identityNumber: '', phone: '', email: '' };

export default function ReceivePage() {
  const { t } = useI18n();
  const session = useSignedIn();
  const navigate = useNavigate();
  // The versions in force today in Vietnam, one per procedure, as the API picks them.
  const procedures = useProcedures(vietnamDay());
  const [procedureCode, setProcedureCode] = useState('');
  const [kind, setKind] = useState<Kind>('citizen');
  const [applicant, setApplicant] = useState<Person>(NOBODY);
  const [address, setAddress] = useState('');
  const [hasRepresentative, setHasRepresentative] = useState(false);
  const [representative, setRepresentative] = useState<Person>(NOBODY);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [channel, setChannel] = useState<'counter' | 'post'>('counter');
  const [locality, setLocality] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const keyFor = useIdempotencyKey();
  useEffect(() => {
    document.title = `${t('reception.receive.title')} — ${t('app.name')}`;
  }, [t]);

  const inForce = useMemo(() => [...(procedures.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi')), [procedures.data]);
  const procedure = inForce.find((candidate) => candidate.code === procedureCode);

  const receive = useMutation({
    mutationFn: async () => {
      const optional = (name: string, value: string) => (blank(value) ? {} : { [name]: value.trim() });
      const body = {
        agencyCode: session.agency,
        procedureCode,
        channel,
        applicant: {
          kind,
          fullName: applicant.fullName.trim(),
          identityNumber: applicant.identityNumber.trim(),
          ...optional('phone', applicant.phone),
          ...optional('email', applicant.email),
          ...optional('address', address),
          ...(hasRepresentative
            ? { representative: { fullName: representative.fullName.trim(), ...optional('identityNumber', representative.identityNumber), ...optional('phone', representative.phone), ...optional('email', representative.email) } }
            : {}),
          ...(notices.length > 0 ? { notices: { channels: notices } } : {}),
        },
        ...optional('locality', locality),
      };
      return unwrap(await api.POST('/dossiers', { params: { header: { 'idempotency-key': keyFor(body) } }, body }));
    },
    onSuccess: (answer) => navigate(`/dossiers/${answer.dossierCode}`),
  });

  const labels: Record<string, string> = {
    'receive-procedure': t('reception.receive.procedure'),
    'receive-full-name': t(`reception.receive.fullName.${kind}`),
    'receive-identity': t(`reception.receive.identityNumber.${kind}`),
    'receive-phone': t('reception.receive.phone'),
    'receive-email': t('reception.receive.email'),
    'receive-representative-full-name': t('reception.receive.representative.fullName'),
    'receive-representative-identity': t('reception.receive.representative.identityNumber'),
    'receive-representative-phone': t('reception.receive.representative.phone'),
    'receive-representative-email': t('reception.receive.representative.email'),
    'receive-locality': t('reception.receive.locality'),
  };
  const submit = () => {
    const found: Record<string, MessageKey> = {};
    if (!procedure) found['receive-procedure'] = 'reception.invalid.chooseOne';
    if (blank(applicant.fullName)) found['receive-full-name'] = 'reception.invalid.required';
    if (blank(applicant.identityNumber)) found['receive-identity'] = 'reception.invalid.required';
    else if (!IDENTITY.test(applicant.identityNumber.trim())) found['receive-identity'] = 'reception.invalid.identity';
    if (!blank(applicant.phone) && !PHONE.test(applicant.phone.trim())) found['receive-phone'] = 'reception.invalid.phone';
    if (!blank(applicant.email) && !EMAIL.test(applicant.email.trim())) found['receive-email'] = 'reception.invalid.email';
    if (hasRepresentative) {
      if (blank(representative.fullName)) found['receive-representative-full-name'] = 'reception.invalid.required';
      if (!blank(representative.identityNumber) && !IDENTITY.test(representative.identityNumber.trim())) found['receive-representative-identity'] = 'reception.invalid.identity';
      if (!blank(representative.phone) && !PHONE.test(representative.phone.trim())) found['receive-representative-phone'] = 'reception.invalid.phone';
      if (!blank(representative.email) && !EMAIL.test(representative.email.trim())) found['receive-representative-email'] = 'reception.invalid.email';
    }
    if (!blank(locality) && !LOCALITY.test(locality.trim())) found['receive-locality'] = 'reception.invalid.locality';
    setErrors(found);
    if (Object.keys(found).length === 0) receive.mutate();
  };

  const input = (id: string, label: string, value: string, set: (value: string) => void, options: { hint?: string; optional?: boolean; type?: string; upper?: boolean } = {}) => (
    <Field id={id} label={label} errors={errors} {...(options.hint ? { hint: options.hint } : {})} {...(options.optional ? { optional: true } : {})}>
      <input id={id} type={options.type ?? 'text'} value={value} autoComplete="off" onChange={(event) => set(options.upper ? event.target.value.toUpperCase() : event.target.value)} {...invalidProps(id, errors, options.hint !== undefined)} />
    </Field>
  );

  return (
    <section>
      <h1>{t('reception.receive.title')}</h1>
      <CommandForm title="reception.receive.formTitle" submitLabel="reception.receive.submit" pending={receive.isPending} errors={errors} labels={labels} error={receive.error ?? procedures.error} onSubmit={submit} onCancel={() => navigate('/reception')}>
        <Field id="receive-procedure" label={t('reception.receive.procedure')} errors={errors}>
          <select id="receive-procedure" value={procedureCode} onChange={(event) => setProcedureCode(event.target.value)} {...invalidProps('receive-procedure', errors)}>
            <option value="">{t('reception.receive.chooseProcedure')}</option>
            {inForce.map((candidate) => (
              <option key={candidate.code} value={candidate.code}>
                {candidate.name} ({candidate.code})
              </option>
            ))}
          </select>
        </Field>
        {procedures.data && inForce.length === 0 && <p>{t('reception.receive.noProcedure')}</p>}
        {procedure && (
          <>
            <p>{t('reception.receive.procedureFacts', { code: procedure.code, version: procedure.version, field: procedure.field })}</p>
            <h3>{t('reception.receive.components')}</h3>
            <div className="reception-table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('reception.receive.componentName')}</th>
                    <th scope="col">{t('reception.receive.componentForm')}</th>
                    <th scope="col">{t('reception.receive.componentCount')}</th>
                    <th scope="col">{t('reception.receive.componentRequired')}</th>
                    <th scope="col">{t('reception.receive.componentReusable')}</th>
                  </tr>
                </thead>
                <tbody>
                  {procedure.components.map((component) => (
                    <tr key={component.id}>
                      <th scope="row">{component.name}</th>
                      <td>{t(`reception.form.${component.form}`)}</td>
                      <td>{component.count ?? 1}</td>
                      <td>{component.required === false ? t('reception.receive.no') : t('reception.receive.yes')}</td>
                      <td>{component.reusableFromData ? t('reception.receive.yes') : t('reception.receive.no')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}

        <fieldset>
          <legend>{t('reception.receive.applicant')}</legend>
          <fieldset>
            <legend>{t('reception.receive.kind')}</legend>
            <div className="reception-radios">
              {(['citizen', 'organisation'] as const).map((value) => (
                <label key={value}>
                  <input type="radio" name="receive-kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
                  {t(`reception.receive.kind.${value}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="reception-row">
            {input('receive-full-name', t(`reception.receive.fullName.${kind}`), applicant.fullName, (fullName) => setApplicant({ ...applicant, fullName }))}
            {input('receive-identity', t(`reception.receive.identityNumber.${kind}`), applicant.identityNumber, (identityNumber) => setApplicant({ ...applicant, identityNumber }), { hint: t('reception.receive.identityHint'), upper: true })}
          </div>
          <div className="reception-row">
            {input('receive-phone', t('reception.receive.phone'), applicant.phone, (phone) => setApplicant({ ...applicant, phone }), { optional: true, type: 'tel' })}
            {input('receive-email', t('reception.receive.email'), applicant.email, (email) => setApplicant({ ...applicant, email }), { optional: true, type: 'email' })}
          </div>
          <Field id="receive-address" label={t('reception.receive.address')} optional errors={errors}>
            <textarea id="receive-address" value={address} maxLength={500} onChange={(event) => setAddress(event.target.value)} />
          </Field>
          <fieldset>
            <legend>{t('reception.receive.notices')}</legend>
            <small>{t('reception.receive.notices.hint')}</small>
            <div className="reception-radios">
              {NOTICES.map((notice) => (
                <label key={notice}>
                  <input type="checkbox" checked={notices.includes(notice)} onChange={(event) => setNotices((current) => (event.target.checked ? [...current, notice] : current.filter((chosen) => chosen !== notice)))} />
                  {t(`reception.receive.notices.${notice}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="checkbox">
            <input type="checkbox" checked={hasRepresentative} onChange={(event) => setHasRepresentative(event.target.checked)} />
            {t('reception.receive.hasRepresentative')}
          </label>
          {hasRepresentative && (
            <fieldset>
              <legend>{t('reception.receive.representative')}</legend>
              <div className="reception-row">
                {input('receive-representative-full-name', t('reception.receive.representative.fullName'), representative.fullName, (fullName) => setRepresentative({ ...representative, fullName }))}
                {input('receive-representative-identity', t('reception.receive.representative.identityNumber'), representative.identityNumber, (identityNumber) => setRepresentative({ ...representative, identityNumber }), { optional: true, upper: true })}
              </div>
              <div className="reception-row">
                {input('receive-representative-phone', t('reception.receive.representative.phone'), representative.phone, (phone) => setRepresentative({ ...representative, phone }), { optional: true, type: 'tel' })}
                {input('receive-representative-email', t('reception.receive.representative.email'), representative.email, (email) => setRepresentative({ ...representative, email }), { optional: true, type: 'email' })}
              </div>
            </fieldset>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('reception.receive.channel')}</legend>
          <div className="reception-radios">
            {(['counter', 'post'] as const).map((value) => (
              <label key={value}>
                <input type="radio" name="receive-channel" value={value} checked={channel === value} onChange={() => setChannel(value)} />
                {t(`reception.receive.channel.${value}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {input('receive-locality', t('reception.receive.locality'), locality, setLocality, { optional: true, hint: t('reception.receive.localityHint') })}
        <p>{t('reception.receive.next')}</p>
      </CommandForm>
    </section>
  );
}
