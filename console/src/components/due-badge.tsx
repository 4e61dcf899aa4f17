// Whether a dossier or a step is overdue, due soon or on time, as the API computed it: always in words
// as well as colour, so colour is never the only signal (WCAG 1.4.1).
import { useT } from '../i18n/i18n';

export type DueState = 'overdue' | 'due-soon' | 'on-time' | 'none';

export function dueState(item: { readonly overdue: boolean; readonly dueSoon: boolean; readonly due?: string | null }): DueState {
  if (item.overdue) return 'overdue';
  if (item.dueSoon) return 'due-soon';
  return item.due === null ? 'none' : 'on-time';
}

const KEYS = { overdue: 'dossier.due.overdue', 'due-soon': 'dossier.due.dueSoon', 'on-time': 'dossier.due.onTime', none: 'dossier.due.none' } as const;

export function DueBadge({ state }: { readonly state: DueState }) {
  const t = useT();
  return (
    <span className={`badge ${state}`}>
      {state === 'overdue' || state === 'due-soon' ? <span aria-hidden="true">{state === 'overdue' ? '⚠ ' : '◔ '}</span> : null}
      {t(KEYS[state])}
    </span>
  );
}
