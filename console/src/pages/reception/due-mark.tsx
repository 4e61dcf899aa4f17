// A deadline's state in words and colour (colour is never the only sign): overdue, due soon, on
// time, or not yet counted (before acceptance).
import { useT } from '../../i18n/i18n';

export function DueMark({ dueAt, overdue, dueSoon }: { readonly dueAt: string | null; readonly overdue: boolean; readonly dueSoon: boolean }) {
  const t = useT();
  if (overdue) return <span className="badge overdue">{t('reception.due.overdue')}</span>;
  if (dueSoon) return <span className="badge due-soon">{t('reception.due.dueSoon')}</span>;
  if (dueAt) return <span className="badge on-time">{t('reception.due.onTime')}</span>;
  return <span>{t('reception.due.none')}</span>;
}
