// The dossier's financial obligations as the API answers them (GET /dossiers/{code} `obligations`):
// each notice (number, amount, last day to pay, the notice's file) and each payment recorded (receipt
// number, amount, when paid, the receipt's file), the tax system's electronic files opened like the
// others. Nothing when the dossier was never asked to pay.
import { formatDate, formatDateTime, formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import { OpenFileButton } from './open-file';

interface File {
  readonly sha256: string;
  readonly name?: string;
}
export interface Obligations {
  readonly notices: readonly { readonly stepId: string; readonly noticeNumber: string; readonly amountVnd: number; readonly dueDate: string | null; readonly requestedAt: string; readonly noticeFile: File | null }[];
  readonly payments: readonly { readonly receiptNumber: string; readonly amountVnd: number; readonly paidAt: string; readonly receiptFile: File | null }[];
}

export function ObligationsCard({ code, obligations, token }: { readonly code: string; readonly obligations: Obligations; readonly token: string }) {
  const { t, language } = useI18n();
  if (obligations.notices.length === 0 && obligations.payments.length === 0) return null;
  const href = (file: File) => `/dossiers/${encodeURIComponent(code)}/files/${file.sha256}`;
  return (
    <section aria-labelledby="obligations-heading" className="card">
      <h2 id="obligations-heading">{t('interagency.obligations')}</h2>
      <ul className="plain">
        {obligations.notices.map((notice) => (
          <li key={`notice:${notice.noticeNumber}:${notice.requestedAt}`}>
            {t('interagency.obligations.notice', { number: notice.noticeNumber, amount: formatMoney(notice.amountVnd, language), at: formatDateTime(notice.requestedAt, language) })}
            {notice.dueDate && <> {t('interagency.obligations.notice.due', { date: formatDate(notice.dueDate, language) })}</>}{' '}
            {notice.noticeFile && <OpenFileButton href={href(notice.noticeFile)} token={token} label={t('interagency.obligations.notice.file', { number: notice.noticeNumber })} />}
          </li>
        ))}
        {obligations.payments.map((payment) => (
          <li key={`payment:${payment.receiptNumber}:${payment.paidAt}`}>
            {t('interagency.obligations.payment', { number: payment.receiptNumber, amount: formatMoney(payment.amountVnd, language), at: formatDateTime(payment.paidAt, language) })}{' '}
            {payment.receiptFile && <OpenFileButton href={href(payment.receiptFile)} token={token} label={t('interagency.obligations.payment.file', { number: payment.receiptNumber })} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
