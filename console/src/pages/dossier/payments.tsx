// The dossier's payment requests as the API answers them (GET /dossiers/{code} `obligations.requests`):
// what the applicant was asked to pay online (the fees and charges, or a financial obligation's
// notice), the platform's reference, whether it is paid, the platform's transaction and the receipt
// the platform issued. Nothing when no payment was requested. The console decides nothing here: the
// statuses are the dossier's (docs/rules.md#payment-requests-and-online-payments).
import { formatDateTime, formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/i18n';
import { OpenFileButton } from './open-file';
import { ScrollRegion } from './scroll-region';

export interface PaymentRequestRow {
  readonly reference: string;
  readonly purpose: 'fees' | 'obligation';
  readonly amountVnd: number;
  readonly items: readonly { readonly name: string; readonly amountVnd: number }[];
  readonly noticeNumber: string | null;
  readonly note: string | null;
  readonly requestedAt: string;
  readonly status: 'pending' | 'paid' | 'settled-otherwise' | 'cancelled';
  readonly paidAt: string | null;
  readonly transactionId: string | null;
  /** Paid online when no longer to be paid: the money is owed back (docs/rules.md#payment-requests-and-online-payments). */
  readonly refundDue: 'dossier-closed' | 'settled-otherwise' | null;
}

interface PlatformPaymentRow {
  readonly platformPayment: { readonly reference: string; readonly transactionId: string; readonly bankCode?: string } | null;
  readonly receiptFile: { readonly sha256: string } | null;
}

export function PaymentsCard({ code, requests, payments, token }: { readonly code: string; readonly requests: readonly PaymentRequestRow[]; readonly payments: readonly PlatformPaymentRow[]; readonly token: string }) {
  const { t, language } = useI18n();
  if (requests.length === 0) return null;
  const paymentOf = (request: PaymentRequestRow) => payments.find((payment) => payment.platformPayment?.reference === request.reference);
  return (
    <section aria-labelledby="payments-heading" className="card">
      <h2 id="payments-heading">{t('dossier.payments')}</h2>
      <ScrollRegion label={t('dossier.payments.table')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dossier.payments.reference')}</th>
              <th scope="col">{t('dossier.payments.what')}</th>
              <th scope="col">{t('dossier.payments.amount')}</th>
              <th scope="col">{t('dossier.payments.requestedAt')}</th>
              <th scope="col">{t('dossier.payments.status')}</th>
              <th scope="col">{t('dossier.payments.transaction')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => {
              const payment = paymentOf(request);
              return (
                <tr key={request.reference}>
                  <td>
                    <code>{request.reference}</code>
                  </td>
                  <td>
                    {request.purpose === 'fees' ? t('dossier.payments.fees') : t('dossier.payments.obligation', { number: request.noticeNumber ?? '' })}
                    <ul className="plain">
                      {request.items.map((item) => (
                        <li key={item.name}>
                          {item.name}: {formatMoney(item.amountVnd, language)}
                        </li>
                      ))}
                    </ul>
                    {request.note && <p>{request.note}</p>}
                  </td>
                  <td>{formatMoney(request.amountVnd, language)}</td>
                  <td>{formatDateTime(request.requestedAt, language)}</td>
                  <td>
                    {t(`dossier.payments.status.${request.status}`)}
                    {request.refundDue && <p className="notice-wait">{t(`dossier.payments.refundDue.${request.refundDue}`)}</p>}
                  </td>
                  <td>
                    {request.transactionId ? (
                      <>
                        {t('dossier.payments.paid', { transaction: request.transactionId, at: formatDateTime(request.paidAt, language) })}
                        {payment?.platformPayment?.bankCode && <> {t('dossier.payments.bank', { bank: payment.platformPayment.bankCode })}</>}{' '}
                        {payment?.receiptFile && <OpenFileButton href={`/dossiers/${encodeURIComponent(code)}/files/${payment.receiptFile.sha256}`} token={token} label={t('dossier.payments.receipt', { reference: request.reference })} />}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
