// The engine's port to an online payment platform (docs/integrations.md#online-payment): ask for a
// payment page for a request (init), ask what became of it (query), fetch its e-receipt (receipt).
// The adapter of the national platform v1.0.6 is integrations/payment/national-platform.ts; the
// loopback double (doubles/payment-platform-double.ts) speaks the same contract.

/** What a payment page is asked for: one payment request of a dossier, with its receipt data. */
export interface PaymentInit {
  /** MaThamChieu: the payment request's reference (PaymentRequested.reference). */
  readonly reference: string;
  readonly dossierCode: string;
  readonly amountVnd: number;
  readonly procedure: { readonly code: string; readonly name: string };
  readonly unit: { readonly code: string; readonly name: string };
  /** What the amount is made of, as the request recorded it. */
  readonly items: readonly { readonly name: string; readonly amountVnd: number; readonly kind?: 'fee' | 'charge' | 'obligation' }[];
  /** The payer as the receipt prints them: passed through, never stored or logged. */
  readonly payer?: { readonly name?: string; readonly address?: string };
  /** The citizen's address, as the platform asks for it (Ip). */
  readonly clientIp: string;
  readonly at: Date;
}

/** What the platform says of a transaction. */
export type PaymentStatus =
  | { readonly state: 'success'; readonly transactionId: string; readonly bankCode: string; readonly amountVnd: number | undefined; readonly paidAt: string | undefined }
  | { readonly state: 'pending' }
  | { readonly state: 'failed'; readonly reason: string };

export interface PaymentPlatform {
  /** The page the citizen pays on. Throws PaymentPlatformUnavailable or PaymentPlatformRefused. */
  init(request: PaymentInit): Promise<{ readonly paymentUrl: string }>;
  query(reference: string, at: Date): Promise<PaymentStatus>;
  /** The e-receipt (biên lai) as PDF bytes; throws when it is not (yet) to be had. */
  receipt(reference: string, at: Date): Promise<Uint8Array>;
}

/** The platform did not answer, or not in time, or not in its contract: try again later. */
export class PaymentPlatformUnavailable extends Error {
  override readonly name = 'PaymentPlatformUnavailable';
}

/** The platform answered and refused (its error code and message, never personal data). */
export class PaymentPlatformRefused extends Error {
  override readonly name = 'PaymentPlatformRefused';
  constructor(
    readonly platformCode: string,
    message: string,
  ) {
    super(message);
  }
}
