// A dossier's status as a person reads it (the national portal's words, domain/dossier/state.ts), in
// the console's language; an unknown status shows as the API wrote it rather than vanish.
import { useT } from '../i18n/i18n';
import { type MessageKey, vi } from '../i18n/vi';

export function statusKey(status: string): MessageKey | null {
  const key = `dossier.status.${status}`;
  return key in vi ? (key as MessageKey) : null;
}

export function StatusBadge({ status }: { readonly status: string }) {
  const t = useT();
  const key = statusKey(status);
  return <span className={`badge status status-${status}`}>{key ? t(key) : status}</span>;
}
