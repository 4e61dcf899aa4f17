// One Decision 766 indicator as a person reads it: a bar against the unit's local target (a hand-made
// SVG, a few hundred bytes, where a charting library would add 50–100 KB compressed to the first
// load of this screen), and the same figures as text beside it, so nothing rests on the picture or
// on colour alone.
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n';
import { formatNumber, formatPercent } from '../../i18n/format';
import type { MessageKey } from '../../i18n/vi';

export interface Indicator {
  readonly id: string;
  readonly decision766: string | null;
  readonly unit: 'percent' | 'days';
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
  readonly target: { readonly target: number; readonly agencyCode: string; readonly source: string } | null;
  readonly meetsTarget: boolean | null;
}

const WIDTH = 320;
const BAR_TOP = 22;
const BAR_HEIGHT = 22;

export function IndicatorChart({ indicator }: { readonly indicator: Indicator }) {
  const { t, language } = useI18n();
  const altId = useId();
  const label = t(`head.indicator.${indicator.id}` as MessageKey);
  const show = (value: number | null) =>
    indicator.unit === 'percent' ? formatPercent(value, language) : value === null ? '—' : t('head.indicator.days', { value: formatNumber(value, language, 1) });
  const target = indicator.target ? t('head.indicator.targetLine', { value: show(indicator.target.target) }) : t('head.indicator.noTarget');
  const verdict =
    indicator.value === null ? t('head.indicator.noData') : indicator.meetsTarget === null ? t('head.indicator.noTarget') : indicator.meetsTarget ? t('head.indicator.meets') : t('head.indicator.misses');
  // Percentages on 0–100; days on a scale that holds both the value and the target.
  const scale = indicator.unit === 'percent' ? 100 : Math.max(indicator.value ?? 0, indicator.target?.target ?? 0, 1) * 1.25;
  const x = (value: number) => Math.max(0, Math.min(WIDTH, (value / scale) * WIDTH));
  const verdictClass = indicator.value === null || indicator.meetsTarget === null ? 'neutral' : indicator.meetsTarget ? 'meets' : 'misses';
  return (
    <figure className={`indicator ${verdictClass}`}>
      <figcaption>
        <h3>{label}</h3>
        {indicator.decision766 && <small>{t('head.indicator.item', { item: indicator.decision766 })}</small>}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} 50`} role="img" aria-labelledby={altId} className="indicator-bar">
        <rect x={0} y={BAR_TOP} width={WIDTH} height={BAR_HEIGHT} className="track" />
        {indicator.value !== null && <rect x={0} y={BAR_TOP} width={x(indicator.value)} height={BAR_HEIGHT} className="value" />}
        {indicator.target && (
          <g className="target">
            <line x1={x(indicator.target.target)} x2={x(indicator.target.target)} y1={14} y2={BAR_TOP + BAR_HEIGHT + 4} />
            <text x={Math.min(x(indicator.target.target), WIDTH - 2)} y={11} textAnchor={x(indicator.target.target) > WIDTH * 0.6 ? 'end' : 'start'}>
              {target}
            </text>
          </g>
        )}
      </svg>
      <p id={altId} className="indicator-alt">
        {t('head.indicator.alt', { label, value: show(indicator.value), target, verdict })}
      </p>
      <dl className="indicator-figures">
        <div>
          <dt>{t('head.indicator.value')}</dt>
          <dd>
            <strong>{show(indicator.value)}</strong>{' '}
            ({indicator.unit === 'percent'
              ? t('head.indicator.ratio', { numerator: formatNumber(indicator.numerator, language), denominator: formatNumber(indicator.denominator, language) })
              : t('head.indicator.ratioDays', { numerator: formatNumber(indicator.numerator, language), denominator: formatNumber(indicator.denominator, language) })})
          </dd>
        </div>
        <div>
          <dt>{t('head.indicator.target')}</dt>
          <dd title={indicator.target ? t('head.indicator.targetSource', { source: indicator.target.source, agency: indicator.target.agencyCode }) : undefined}>
            {indicator.target ? show(indicator.target.target) : t('head.indicator.noTarget')}
          </dd>
        </div>
        <div>
          <dt>{t('head.indicator.verdict')}</dt>
          <dd className={`verdict ${verdictClass}`}>{verdict}</dd>
        </div>
      </dl>
    </figure>
  );
}
