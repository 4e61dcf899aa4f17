// A payment request's attempts with the platform (domain/payment/attempts.ts,
// docs/integrations.md#transactions-and-the-query-sweep): a MaThamChieu per INIT, and when the
// citizen's start reuses a page or makes a new attempt.
import { describe, expect, it } from 'vitest';
import { attemptReference, DEFAULT_PAGE_VALIDITY_MS, nextPaymentStart, offeredPage } from '../../domain/payment/attempts.js';

const request = 'dvc0000101H992612030001v7';
const now = new Date('2026-12-03T03:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('an attempt reference', () => {
  it('is the request reference for the first attempt, then the reference and x<n>: unique per INIT, never another request’s', () => {
    expect(attemptReference(request, 1)).toBe(request);
    expect(attemptReference(request, 2)).toBe(`${request}x2`);
    expect(attemptReference(request, 12)).toBe(`${request}x12`);
    expect(attemptReference(request, 2)).not.toBe(attemptReference(`${request}x`, 2));
  });

  it('refuses what the platform would not take', () => {
    expect(() => attemptReference(request, 0)).toThrow(/whole number/);
    expect(() => attemptReference('d'.repeat(49), 2)).toThrow(/50 letters and digits/);
  });
});

describe("the citizen's start", () => {
  it('makes the first attempt, then offers its page while it waits and is young', () => {
    expect(nextPaymentStart(undefined, now, DEFAULT_PAGE_VALIDITY_MS)).toEqual({ kind: 'new-attempt', attempt: 1 });
    expect(nextPaymentStart({ attempt: 1, state: 'khoi-tao', paymentUrl: 'https://p/1', initiatedAt: minutesAgo(14) }, now, DEFAULT_PAGE_VALIDITY_MS)).toEqual({ kind: 'same-page', paymentUrl: 'https://p/1' });
  });

  it('makes a new attempt after a failure, without a page, or once the page is older than its validity', () => {
    expect(nextPaymentStart({ attempt: 1, state: 'that-bai', paymentUrl: 'https://p/1', initiatedAt: minutesAgo(1) }, now, DEFAULT_PAGE_VALIDITY_MS)).toEqual({ kind: 'new-attempt', attempt: 2 });
    expect(nextPaymentStart({ attempt: 2, state: 'khoi-tao', paymentUrl: null, initiatedAt: minutesAgo(1) }, now, DEFAULT_PAGE_VALIDITY_MS)).toEqual({ kind: 'new-attempt', attempt: 3 });
    expect(nextPaymentStart({ attempt: 1, state: 'khoi-tao', paymentUrl: 'https://p/1', initiatedAt: minutesAgo(15) }, now, DEFAULT_PAGE_VALIDITY_MS)).toEqual({ kind: 'new-attempt', attempt: 2 });
    expect(nextPaymentStart({ attempt: 1, state: 'khoi-tao', paymentUrl: 'https://p/1', initiatedAt: minutesAgo(4 * 24 * 60) }, now, DEFAULT_PAGE_VALIDITY_MS)).toEqual({ kind: 'new-attempt', attempt: 2 });
  });

  it('says paid once an attempt is confirmed', () => {
    expect(nextPaymentStart({ attempt: 3, state: 'thanh-cong', paymentUrl: 'https://p/3', initiatedAt: minutesAgo(1) }, now, DEFAULT_PAGE_VALIDITY_MS)).toEqual({ kind: 'paid' });
  });
});

describe('the page the citizen is shown', () => {
  it('is the waiting attempt’s while young, none once stale, failed or paid', () => {
    const waiting = { attempt: 1, state: 'khoi-tao' as const, paymentUrl: 'https://p/1', initiatedAt: minutesAgo(5) };
    expect(offeredPage(waiting, now, DEFAULT_PAGE_VALIDITY_MS)).toBe('https://p/1');
    expect(offeredPage({ ...waiting, initiatedAt: minutesAgo(20) }, now, DEFAULT_PAGE_VALIDITY_MS)).toBeNull();
    expect(offeredPage({ ...waiting, state: 'that-bai' }, now, DEFAULT_PAGE_VALIDITY_MS)).toBeNull();
    expect(offeredPage({ ...waiting, state: 'thanh-cong' }, now, DEFAULT_PAGE_VALIDITY_MS)).toBeNull();
  });
});
