// The period a report covers, as the dashboard and the register both ask for it: a preset (this
// month, quarter, year) or a custom from–to, each day a day in Vietnam. The preset's days come from
// period.ts; choosing a day by hand makes the period custom.
import { useState } from 'react';
import { useT } from '../../i18n/i18n';
import { type Period, type Preset, presetPeriod, vietnamToday } from './period';

/** The period chosen so far, its preset, and how to change them. */
export function usePeriodChoice(initial: Preset = 'month') {
  const today = vietnamToday();
  const [preset, setPreset] = useState<Preset>(initial);
  const [period, setPeriod] = useState<Period>(presetPeriod(initial === 'custom' ? 'month' : initial, today));
  const choosePreset = (next: Preset) => {
    setPreset(next);
    if (next !== 'custom') setPeriod(presetPeriod(next, today));
  };
  const chooseDays = (next: Period) => {
    setPreset('custom');
    setPeriod(next);
  };
  return { today, preset, period, choosePreset, chooseDays };
}

/** The preset, from and to fields of a report's filter form; `id` keeps the labels of two forms apart. */
export function PeriodFields({ id, choice }: { readonly id: string; readonly choice: ReturnType<typeof usePeriodChoice> }) {
  const t = useT();
  const { today, preset, period, choosePreset, chooseDays } = choice;
  return (
    <>
      <div className="oversight-field">
        <label htmlFor={`${id}-preset`}>{t('head.period.preset')}</label>
        <select id={`${id}-preset`} value={preset} onChange={(event) => choosePreset(event.target.value as Preset)}>
          <option value="month">{t('head.period.month')}</option>
          <option value="quarter">{t('head.period.quarter')}</option>
          <option value="year">{t('head.period.year')}</option>
          <option value="custom">{t('head.period.custom')}</option>
        </select>
      </div>
      <label>
        {t('head.period.from')}
        <input type="date" required value={period.from} max={today} onChange={(event) => chooseDays({ ...period, from: event.target.value })} />
      </label>
      <label>
        {t('head.period.to')}
        <input type="date" required value={period.to} onChange={(event) => chooseDays({ ...period, to: event.target.value })} />
      </label>
    </>
  );
}
