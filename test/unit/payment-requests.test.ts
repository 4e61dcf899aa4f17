// Payment requests and the payments the national payment platform confirms, given/when/then
// (docs/rules.md#payment-requests-and-online-payments). Times are Vietnam local; 2 March 2026 is a Monday.
import { describe, expect, it } from 'vitest';
import { availableCommands } from '../../domain/dossier/command-availability.js';
import { PAYMENT_REFERENCE_MAX_LENGTH, paymentReference } from '../../domain/dossier/decide-payment.js';
import { dossierReportOf } from '../../domain/reporting/dossier-report.js';
import { deciderSpec, instant } from '../support/decider-spec.js';
import { actor, at, BUSINESS_PROCEDURE, CENTRE, ECONOMY, JUSTICE, LAND_OFFICE, LAND_PROCEDURE, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { DossierHistory } from '../support/dossier-history.js';

const reception = actor('reception', CENTRE);
const economyOfficer = actor('officer', ECONOMY);
const taxOfficer = actor('officer', TAX_OFFICE);
const justiceOfficer = actor('officer', JUSTICE);
const auditor = actor('auditor', CENTRE);
const platform = actor('payment-platform', CENTRE, 'payment-platform:national');

const given = (history: DossierHistory) => deciderSpec(history.dossierCode).given(...history.events);

/** A business registration (one charge of 100 000 VND) accepted at 09:00 on Monday 2 March. */
const acceptedBusiness = () => DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');

/** A land registration at the tax step, its notice 125/TB-CCT of 12 500 000 VND pending since Monday 16 March. */
function landAwaitingTax(): DossierHistory {
  return DossierHistory.received(LAND_PROCEDURE)
    .accepted('2026-03-02T09:00:00')
    .stepCompleted('commune-verification', '2026-03-06T09:00:00')
    .stageStarted(1, '2026-03-06T09:00:00', ECONOMY)
    .stepCompleted('land-registration', '2026-03-13T09:00:00')
    .stageStarted(2, '2026-03-13T09:00:00', LAND_OFFICE)
    .financialObligationRequested('tax-assessment', '2026-03-16T09:00:00', '125/TB-CCT', 12_500_000);
}

/** The platform's confirmation of a request, as its edge sends it. */
function confirmation(reference: string, amountVnd: number, transactionId = 'GD-0001') {
  return { amountVnd, method: 'online' as const, onlineGateway: 'national-portal' as const, receiptNumber: transactionId, paidAt: '2026-03-03T10:15:00+07:00', platformPayment: { reference, transactionId, bankCode: 'VCB' } };
}

describe('a payment request', () => {
  it('asks for the pinned fees above 0 VND, under a reference derived from the dossier code and the version', () => {
    const dossier = acceptedBusiness();
    const version = dossier.events.length + 1;
    const requested = given(dossier)
      .when(dossier.command('RequestPayment', reception, { purpose: 'fees', note: 'Lệ phí đăng ký' }), '2026-03-02T10:00:00')
      .then([
        {
          type: 'PaymentRequested',
          schemaVersion: 1,
          data: {
            at: instant('2026-03-02T10:00:00'),
            reference: `dvc${dossier.dossierCode.replace(/[.-]/g, '')}v${version}`,
            purpose: 'fees',
            amountVnd: 100_000,
            items: [{ name: 'Lệ phí đăng ký hộ kinh doanh', amountVnd: 100_000 }],
            note: 'Lệ phí đăng ký',
          },
        },
      ]);
    expect(requested.received.paymentRequests).toEqual([
      { reference: paymentReference(dossier.dossierCode, version), purpose: 'fees', amountVnd: 100_000, requestedAt: instant('2026-03-02T10:00:00'), status: 'pending' },
    ]);
    // Fees touch no clock and no status.
    expect(requested.received.status).toBe(given(dossier).state.status);
    expect(requested.received.clock).toEqual((given(dossier).state as typeof requested.received).clock);
  });

  it('keeps the reference within the platform’s 50 characters, letters and digits only', () => {
    const reference = paymentReference('000.01.01.H99-261203-0001', 123_456);
    expect(reference).toBe('dvc0000101H992612030001v123456');
    expect(reference).toMatch(/^[A-Za-z0-9]+$/);
    expect(reference.length).toBeLessThanOrEqual(PAYMENT_REFERENCE_MAX_LENGTH);
  });

  it('asks once for the fees, whatever became of the first request', () => {
    const dossier = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    given(dossier).when(dossier.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-02T11:00:00').thenRefused('PAYMENT_ALREADY_REQUESTED', { field: 'purpose' });
    const reference = dossier.state.paymentRequests![0]!.reference;
    dossier.platformPaymentRecorded('2026-03-02T12:00:00', reference, 'GD-1');
    given(dossier).when(dossier.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-02T13:00:00').thenRefused('PAYMENT_ALREADY_REQUESTED');
  });

  it('refuses fees for a procedure that lists none above 0 VND', () => {
    const birth = DossierHistory.received('1.001193').accepted('2026-03-02T09:00:00');
    given(birth)
      .when(birth.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-02T10:00:00')
      .thenRefused('NO_FEES_TO_PAY', { field: 'purpose', message: expect.stringContaining('1.001193') });
  });

  it('is made once the dossier is accepted, while it is open, by the agencies of the payment', () => {
    const received = DossierHistory.received(BUSINESS_PROCEDURE);
    given(received).when(received.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-02T08:45:00').thenRefused('COMMAND_OUT_OF_ORDER');

    const dossier = acceptedBusiness();
    given(dossier).when(dossier.command('RequestPayment', justiceOfficer, { purpose: 'fees' }), '2026-03-02T10:00:00').thenRefused('NOT_THE_RECEIVING_CENTRE');
    given(dossier).when(dossier.command('RequestPayment', auditor, { purpose: 'fees' }), '2026-03-02T10:00:00').thenRefused('ROLE_NOT_ALLOWED');
    // The fees are the one-stop centre's to ask: the competent agency is not offered it.
    given(dossier).when(dossier.command('RequestPayment', economyOfficer, { purpose: 'fees' }), '2026-03-02T10:00:00').thenRefused('NOT_THE_RECEIVING_CENTRE');
    given(dossier).when(dossier.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-02T10:00:00').thenMatches([{ type: 'PaymentRequested' }]);

    const refused = DossierHistory.received(BUSINESS_PROCEDURE).refusedAtReception('2026-03-02T09:00:00', ['Không thuộc thẩm quyền'], 'Nghị định 61/2018');
    given(refused).when(refused.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-02T10:00:00').thenRefused('DOSSIER_CLOSED');
  });

  it('asks for the pending notice, once, from the agency whose step issued it', () => {
    const business = acceptedBusiness();
    given(business).when(business.command('RequestPayment', reception, { purpose: 'obligation' }), '2026-03-02T11:00:00').thenRefused('NO_OBLIGATION_PENDING', { field: 'purpose' });

    const dossier = landAwaitingTax();
    const requested = given(dossier)
      .when(dossier.command('RequestPayment', taxOfficer, { purpose: 'obligation' }), '2026-03-16T10:00:00')
      .thenMatches([
        {
          type: 'PaymentRequested',
          data: { purpose: 'obligation', amountVnd: 12_500_000, noticeNumber: '125/TB-CCT', items: [{ name: 'Nghĩa vụ tài chính theo thông báo 125/TB-CCT', amountVnd: 12_500_000, kind: 'obligation' }] },
        },
      ]);
    // The request leaves the pause as it was.
    expect(requested.received.status).toBe('awaiting-financial-obligation');

    dossier.paymentRequested('2026-03-16T10:00:00', 'obligation');
    given(dossier).when(dossier.command('RequestPayment', reception, { purpose: 'obligation' }), '2026-03-16T11:00:00').thenRefused('PAYMENT_ALREADY_REQUESTED');
    // The fees are a request of their own.
    given(dossier).when(dossier.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-16T11:00:00').thenMatches([{ type: 'PaymentRequested', data: { purpose: 'fees', amountVnd: 100_000 } }]);
  });
});

describe("the payment platform's confirmation", () => {
  it('records a paid fees request, touching no clock', () => {
    const dossier = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    const { reference } = dossier.state.paymentRequests![0]!;
    const paid = given(dossier)
      .when(dossier.command('RecordPayment', platform, confirmation(reference, 100_000)), '2026-03-03T10:16:00')
      .then([
        {
          type: 'PaymentRecorded',
          schemaVersion: 1,
          data: {
            at: instant('2026-03-03T10:16:00'),
            amountVnd: 100_000,
            method: 'online',
            onlineGateway: 'national-portal',
            receiptNumber: 'GD-0001',
            resumedClock: false,
            due: null,
            paidAt: '2026-03-03T10:15:00+07:00',
            platformPayment: { reference, transactionId: 'GD-0001', bankCode: 'VCB' },
          },
        },
      ]);
    expect(paid.received.paymentRequests![0]).toMatchObject({ status: 'paid', paidAt: '2026-03-03T10:15:00+07:00', transactionId: 'GD-0001' });
    expect(paid.received.clock).toEqual(dossier.state.clock);
  });

  it('settles the notice of an obligation request and resumes the clock as a payment staff record does', () => {
    const dossier = landAwaitingTax().paymentRequested('2026-03-16T10:00:00', 'obligation');
    const { reference } = dossier.state.paymentRequests![0]!;
    // Five working days of waiting move the due time by five working days, as at the counter.
    const paid = given(dossier)
      .when(dossier.command('RecordPayment', platform, confirmation(reference, 12_500_000)), '2026-03-23T09:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: true, due: at('2026-04-06T09:00:00'), platformPayment: { reference } } }]);
    expect(paid.received.status).toBe('in-processing');
    expect(paid.received.pendingObligation).toBeUndefined();
    expect(paid.received.steps.find((step) => step.stepId === 'tax-assessment')!.clock.map((entry) => entry.type)).toEqual(['started', 'paused', 'resumed']);

    const atTheCounter = given(landAwaitingTax())
      .when(landAwaitingTax().command('RecordPayment', reception, { amountVnd: 12_500_000, method: 'counter', receiptNumber: 'BL-1' }), '2026-03-23T09:00:00')
      .thenMatches([{ type: 'PaymentRecorded' }]);
    expect(paid.received.clock).toEqual(atTheCounter.received.clock);
  });

  it('resumes no clock for a fees request paid while a notice is pending', () => {
    const dossier = landAwaitingTax().paymentRequested('2026-03-16T10:00:00', 'fees');
    const { reference } = dossier.state.paymentRequests![0]!;
    const paid = given(dossier)
      .when(dossier.command('RecordPayment', platform, confirmation(reference, 100_000)), '2026-03-17T09:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: false, due: null } }]);
    expect(paid.received).toMatchObject({ status: 'awaiting-financial-obligation', pendingObligation: { noticeNumber: '125/TB-CCT' } });
  });

  it('refuses an unknown reference, another amount, and a second payment of a paid request', () => {
    const dossier = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    const { reference } = dossier.state.paymentRequests![0]!;
    given(dossier)
      .when(dossier.command('RecordPayment', platform, confirmation('dvcUNKNOWNv1', 100_000)), '2026-03-03T10:16:00')
      .thenRefused('UNKNOWN_PAYMENT_REQUEST', { field: 'platformPayment.reference', message: expect.stringContaining(reference) });
    given(dossier)
      .when(dossier.command('RecordPayment', platform, confirmation(reference, 90_000)), '2026-03-03T10:16:00')
      .thenRefused('PAYMENT_AMOUNT_MISMATCH', { field: 'amountVnd', message: expect.stringContaining('asks for 100000 VND') });

    dossier.platformPaymentRecorded('2026-03-03T10:16:00', reference, 'GD-0001');
    given(dossier).when(dossier.command('RecordPayment', platform, confirmation(reference, 100_000, 'GD-0002')), '2026-03-03T10:20:00').thenRefused('PAYMENT_ALREADY_RECORDED');
  });

  it('refuses a confirmation without the platform’s transaction, or not online through the national portal', () => {
    const dossier = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    const { reference } = dossier.state.paymentRequests![0]!;
    const { platformPayment: _left, ...withoutConfirmation } = confirmation(reference, 100_000);
    given(dossier).when(dossier.command('RecordPayment', platform, withoutConfirmation), '2026-03-03T10:16:00').thenRefused('PLATFORM_PAYMENT_INCOMPLETE', { field: 'platformPayment' });
    given(dossier)
      .when(dossier.command('RecordPayment', platform, { ...confirmation(reference, 100_000), onlineGateway: 'provincial' }), '2026-03-03T10:16:00')
      .thenRefused('PLATFORM_PAYMENT_INCOMPLETE', { field: 'onlineGateway' });
  });

  it('is cancelled when the dossier closes, and a payment the platform still confirms is recorded with a refund due', () => {
    const business = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    const { reference } = business.state.paymentRequests![0]!;
    business.withdrawalRequested('2026-03-02T11:00:00', 'Không còn nhu cầu').withdrawalDecided('2026-03-02T12:00:00', true, 'Đồng ý');
    expect(business.state.status).toBe('stopped');
    expect(business.state.paymentRequests).toMatchObject([{ reference, status: 'cancelled', cancelledAt: instant('2026-03-02T12:00:00') }]);
    const paid = given(business)
      .when(business.command('RecordPayment', platform, confirmation(reference, 100_000)), '2026-03-03T10:16:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: false, refundDue: 'dossier-closed', platformPayment: { reference } } }]);
    expect(paid.received).toMatchObject({ status: 'stopped', paymentRequests: [{ reference, status: 'paid', refundDue: 'dossier-closed' }] });
    // Another dossier has no such request.
    const birth = DossierHistory.received('1.001193', '2026-03-02T08:30:00', 2).accepted('2026-03-02T09:00:00');
    given(birth).when(birth.command('RecordPayment', platform, confirmation(reference, 100_000)), '2026-03-03T10:16:00').thenRefused('UNKNOWN_PAYMENT_REQUEST');
  });

  it('resumes no clock of a dossier withdrawn while its notice was pending, and cancels the notice\'s request', () => {
    const dossier = landAwaitingTax().paymentRequested('2026-03-16T10:00:00', 'obligation');
    const { reference } = dossier.state.paymentRequests![0]!;
    dossier.withdrawalRequested('2026-03-16T11:00:00', 'Không còn nhu cầu').withdrawalDecided('2026-03-16T12:00:00', true, 'Đồng ý');
    expect(dossier.state.paymentRequests![0]!.status).toBe('cancelled');
    const paid = given(dossier)
      .when(dossier.command('RecordPayment', platform, confirmation(reference, 12_500_000)), '2026-03-17T10:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: false, due: null, refundDue: 'dossier-closed' } }]);
    expect(paid.received.status).toBe('stopped');
  });

  it('cancels the pending requests of a dossier returned or refused, never one paid', () => {
    const business = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    const { reference } = business.state.paymentRequests![0]!;
    business.platformPaymentRecorded('2026-03-02T10:30:00', reference, 'GD-1');
    business.resultIssued('2026-03-03T09:00:00', 'KQ-1').resultReturned('2026-03-03T10:00:00', 'counter', true);
    expect(business.state.paymentRequests).toMatchObject([{ status: 'paid' }]);
    const unpaid = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees').resultIssued('2026-03-03T09:00:00', 'KQ-1').resultReturned('2026-03-03T10:00:00', 'counter', true);
    expect(unpaid.state.paymentRequests).toMatchObject([{ status: 'cancelled' }]);
    given(unpaid).when(unpaid.command('RequestPayment', reception, { purpose: 'fees' }), '2026-03-03T11:00:00').thenRefused('DOSSIER_CLOSED');
  });

  it('settles the pending fees request when staff record the fees paid at the counter, for its whole amount only', () => {
    const business = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    const { reference } = business.state.paymentRequests![0]!;
    const other = given(business)
      .when(business.command('RecordPayment', reception, { amountVnd: 50_000, method: 'counter', receiptNumber: 'BL-9' }), '2026-03-02T11:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: false } }]);
    expect(other.received.paymentRequests![0]!.status).toBe('pending');
    const settled = given(business)
      .when(business.command('RecordPayment', reception, { amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-10' }), '2026-03-02T11:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: false, settledRequest: reference } }]);
    expect(settled.received.paymentRequests).toMatchObject([{ reference, status: 'settled-otherwise', paidAt: instant('2026-03-02T11:00:00') }]);
  });

  it('leaves an obligation request settled otherwise when the notice is paid at the counter first, and still records its later online payment', () => {
    const dossier = landAwaitingTax().paymentRequested('2026-03-16T10:00:00', 'obligation');
    const { reference } = dossier.state.paymentRequests![0]!;
    dossier.paymentRecorded('2026-03-17T09:00:00', 12_500_000, 'BL-1');
    // Settled when the counter's payment was made (09:00 Vietnam time): no platform transaction.
    expect(dossier.state.paymentRequests![0]).toMatchObject({ status: 'settled-otherwise', paidAt: '2026-03-17T02:00:00.000Z' });
    expect(dossier.state.paymentRequests![0]!.transactionId).toBeUndefined();
    const paid = given(dossier)
      .when(dossier.command('RecordPayment', platform, confirmation(reference, 12_500_000)), '2026-03-17T10:00:00')
      .thenMatches([{ type: 'PaymentRecorded', data: { resumedClock: false, due: null, refundDue: 'settled-otherwise' } }]);
    expect(paid.received.paymentRequests![0]!).toMatchObject({ status: 'paid', refundDue: 'settled-otherwise' });
  });
});

describe('who records an online payment', () => {
  it('refuses staff recording an online payment; they record counter, transfer and post payments', () => {
    const dossier = landAwaitingTax();
    for (const onlineGateway of ['national-portal', 'provincial'] as const) {
      given(dossier)
        .when(dossier.command('RecordPayment', reception, { amountVnd: 12_500_000, method: 'online', onlineGateway, receiptNumber: 'BL-1' }), '2026-03-23T09:00:00')
        .thenRefused('ONLINE_PAYMENT_BY_PLATFORM_ONLY', { field: 'method' });
    }
    for (const method of ['counter', 'bank-transfer', 'post'] as const) {
      given(dossier).when(dossier.command('RecordPayment', reception, { amountVnd: 12_500_000, method, receiptNumber: 'BL-1' }), '2026-03-23T09:00:00').thenMatches([{ type: 'PaymentRecorded', data: { method, resumedClock: true } }]);
    }
  });

  it('keeps the platform’s confirmation for the platform: staff and outside systems may not send it', () => {
    const dossier = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    const { reference } = dossier.state.paymentRequests![0]!;
    const { method: _method, onlineGateway: _gateway, ...rest } = confirmation(reference, 100_000);
    given(dossier)
      .when(dossier.command('RecordPayment', reception, { ...rest, method: 'counter' }), '2026-03-03T10:16:00')
      .thenRefused('SYSTEM_ONLY_FIELD', { field: 'paidAt' });
    given(dossier)
      .when(dossier.command('RecordPayment', actor('interagency', TAX_OFFICE, 'interagency:tax'), { amountVnd: 100_000, method: 'online', receiptNumber: 'CT-1', platformPayment: { reference, transactionId: 'GD-1' } }), '2026-03-03T10:16:00')
      .thenRefused('SYSTEM_ONLY_FIELD', { field: 'platformPayment', message: expect.stringContaining("payment platform's confirmation") });
  });
});

describe('what staff are offered, and what the reports count', () => {
  const offered = (history: DossierHistory, who: ReturnType<typeof actor>) => availableCommands(history.state, who, { now: instant('2026-03-16T11:00:00') });

  it('offers a payment request while the fees or a pending notice can be asked, and says why not otherwise', () => {
    expect(offered(acceptedBusiness(), reception).available.map((command) => command.type)).toContain('RequestPayment');
    const birth = DossierHistory.received('1.001193').accepted('2026-03-02T09:00:00');
    expect(offered(birth, reception).unavailable.find((command) => command.type === 'RequestPayment')?.refusal.code).toBe('NO_FEES_TO_PAY');
    const asked = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    expect(offered(asked, reception).unavailable.find((command) => command.type === 'RequestPayment')?.refusal.code).toBe('PAYMENT_ALREADY_REQUESTED');
    // The fees asked already, a notice pending and not asked yet: offered for the notice.
    const land = landAwaitingTax().paymentRequested('2026-03-16T10:00:00', 'fees');
    expect(offered(land, taxOfficer).available.map((command) => command.type)).toContain('RequestPayment');
    // The platform is no person: nothing is offered to it.
    expect(offered(land, platform)).toEqual({ available: [], unavailable: [] });
  });

  it('counts a dossier paid online from the platform’s confirmation, not from the request', () => {
    const dossier = acceptedBusiness().paymentRequested('2026-03-02T10:00:00', 'fees');
    expect(dossierReportOf(dossier.dossierCode, dossier.events)!.facts.paidOnlineAt).toBeNull();
    dossier.platformPaymentRecorded('2026-03-03T10:16:00', dossier.state.paymentRequests![0]!.reference, 'GD-1');
    expect(dossierReportOf(dossier.dossierCode, dossier.events)!.facts).toMatchObject({ paidOnlineAt: instant('2026-03-03T10:16:00'), feeBearingFrom: instant('2026-03-02T09:00:00') });
    // At the counter: paid, not online.
    const atTheCounter = acceptedBusiness().paymentRecorded('2026-03-03T10:16:00', 100_000, 'BL-1');
    expect(dossierReportOf(atTheCounter.dossierCode, atTheCounter.events)!.facts).toMatchObject({ paidAt: instant('2026-03-03T10:16:00'), paidOnlineAt: null });
  });
});
