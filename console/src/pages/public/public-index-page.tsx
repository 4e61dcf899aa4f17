// The public pages' start: a unit's procedures or results by its code, or the dossier lookup.
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useT } from '../../i18n/i18n';

export default function PublicIndexPage() {
  const t = useT();
  const navigate = useNavigate();
  const [unit, setUnit] = useState('');
  const go = (page: 'thu-tuc' | 'ket-qua') => (event?: FormEvent) => {
    event?.preventDefault();
    if (unit.trim()) void navigate(`/cong-khai/don-vi/${encodeURIComponent(unit.trim())}/${page}`);
  };
  return (
    <section>
      <h1>{t('public.nav')}</h1>
      <p>
        <Link to="/cong-khai/tra-cuu">{t('public.lookup.title')}</Link>
      </p>
      <form className="card public-form" onSubmit={go('thu-tuc')}>
        <label htmlFor="public-unit">
          {t('public.unit.label')}
          <input id="public-unit" value={unit} placeholder="000.01.01.H99" onChange={(event) => setUnit(event.target.value)} />
        </label>
        <button type="submit">{t('public.nav.procedures')}</button>
        <button type="button" onClick={() => go('ket-qua')()}>
          {t('public.nav.results')}
        </button>
      </form>
    </section>
  );
}
