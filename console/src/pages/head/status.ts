// A dossier status as the portal and the forms word it (head.status.* texts); a status this version
// of the console does not know shows as the API gives it.
import type { Translate } from '../../i18n/i18n';

const STATUSES = ['received', 'awaiting-supplement-at-reception', 'refused-at-reception', 'accepted', 'in-processing', 'awaiting-supplement', 'awaiting-financial-obligation', 'withdrawal-requested', 'stopped', 'result-ready', 'returned'] as const;
type Status = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export function statusText(t: Translate, status: unknown): string {
  if (isStatus(status)) return t(`head.status.${status}`);
  return typeof status === 'string' ? status : '—';
}
