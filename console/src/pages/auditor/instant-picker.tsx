// Choosing an instant in a dossier's life: just after one of its events (to the millisecond the
// event bears, so two events in the same second stay apart), or any date and time in Vietnam time.
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import { vietnamInstant } from '../head/period';

export interface TimelineEvent {
  readonly streamVersion: number;
  readonly occurredAt: string;
  readonly label: { readonly en: string; readonly vi: string };
}

/** `v<version>` for just after an event, `custom` for the date and time field. */
export interface InstantChoice {
  readonly option: string;
  readonly custom: string;
}

export function instantOf(choice: InstantChoice, events: readonly TimelineEvent[]): string | undefined {
  if (choice.option === 'custom') return vietnamInstant(choice.custom);
  const version = Number(choice.option.slice(1));
  return events.find((event) => event.streamVersion === version)?.occurredAt;
}

export function InstantPicker({ label, events, value, onChange }: { readonly label: string; readonly events: readonly TimelineEvent[]; readonly value: InstantChoice; readonly onChange: (next: InstantChoice) => void }) {
  const { t, language } = useI18n();
  const selectId = useId();
  const customId = useId();
  return (
    <>
      <div className="oversight-field">
        <label htmlFor={selectId}>{label}</label>
        <select id={selectId} value={value.option} onChange={(event) => onChange({ ...value, option: event.target.value })}>
          {events.map((event) => (
            <option key={event.streamVersion} value={`v${event.streamVersion}`}>
              {t('auditor.instant.afterEvent', { version: event.streamVersion, label: event.label[language], at: formatDateTime(event.occurredAt, language) })}
            </option>
          ))}
          <option value="custom">{t('auditor.instant.custom')}</option>
        </select>
      </div>
      {value.option === 'custom' && (
        <label htmlFor={customId}>
          {t('auditor.instant.customValue', { what: label })}
          <input id={customId} type="datetime-local" step={1} required value={value.custom} onChange={(event) => onChange({ ...value, custom: event.target.value })} />
        </label>
      )}
    </>
  );
}
