// A hand-built month of dossiers for the report tests: March 2026 at the sample commune, business
// registrations (2.000720: 3 working days, one step at the economy office, a fee). Each dossier is
// played through the real decider; the tests work out by hand what a report must say about them.
// Times are Vietnam local. Office days are 07:30–11:30 and 13:30–17:00 (450 minutes).
import { actor, BUSINESS_PROCEDURE, CENTRE, DossierScenario, ECONOMY } from './dossier-fixtures.js';
import { asResultBeforeEResult, verifiedResult } from './result-fields.js';

const reception = actor('reception', CENTRE);
const officer = actor('officer', ECONOMY);
const head = actor('head', ECONOMY);

function business(receivedLocal: string, serial: number, channel: 'counter' | 'online' | 'post' = 'counter'): DossierScenario {
  return DossierScenario.received(BUSINESS_PROCEDURE, receivedLocal, serial, channel);
}

/**
 * The step done and the result decided. With `eResult`, the result is the competent body's signed
 * file (an e-result); without, it is a result logged before e-results, on the caller's word, whose
 * engine-signed result document was never issued (no e-result).
 */
function resolve(dossier: DossierScenario, local: string, eResult = true): void {
  dossier.play(dossier.command('CompleteStep', officer, { stepId: 'business-registration', outcome: 'approved' }), local);
  dossier.play(dossier.command('IssueResult', head, verifiedResult(`GCN ${dossier.dossierCode}`, head.agencyCode, 'b'.repeat(64))), local);
  if (!eResult) asResultBeforeEResult(dossier.events);
}

/** Serials start high so these codes never meet the other tests' dossiers. */
export function marchDataset() {
  // A: accepted Wed 25 Feb (due Mon 2 Mar 09:00), resolved Tue 3 Mar 10:00: carried over, late.
  const a = business('2026-02-25T08:30:00', 9101);
  a.accept('2026-02-25T09:00:00');
  resolve(a, '2026-03-03T10:00:00');

  // B: online, accepted Mon 2 Mar (due Thu 5 Mar 09:00), paid online, resolved Wed 4 Mar: early; very satisfied (online).
  const b = business('2026-03-02T08:30:00', 9102, 'online');
  b.accept('2026-03-02T09:00:00');
  b.play(b.command('RecordPayment', reception, { amountVnd: 100_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: 'BL-9102' }), '2026-03-03T08:00:00');
  resolve(b, '2026-03-04T10:00:00');
  b.play(b.command('ReturnResult', reception, { method: 'electronic', applicantNotifiedInAdvance: true }), '2026-03-04T14:00:00');
  // The applicant's own evaluation, online with the receipt's code and secret.
  b.play(b.command('RecordEvaluation', actor('citizen', CENTRE, `citizen:${b.dossierCode}`), { rating: 'very-satisfied', source: 'online' }), '2026-03-04T15:00:00');

  // C: counter, paid at the counter, resolved exactly at its due time Thu 5 Mar 09:00: on time; not
  // satisfied (a paper form); its result was logged before e-results, without its signed file (no e-result).
  const c = business('2026-03-02T08:30:00', 9103);
  c.accept('2026-03-02T09:00:00');
  c.play(c.command('RecordPayment', reception, { amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-9103' }), '2026-03-02T09:05:00');
  resolve(c, '2026-03-05T09:00:00', false);
  c.play(c.command('ReturnResult', reception, { method: 'counter', applicantNotifiedInAdvance: false }), '2026-03-05T10:00:00');
  // A paper evaluation form collected at the counter, entered by reception.
  c.play(c.command('RecordEvaluation', reception, { rating: 'not-satisfied', source: 'paper-form', paperFormReference: 'PĐG-9103' }), '2026-03-05T10:05:00');

  // D: by post, accepted Tue 10 Mar (due Fri 13 Mar 09:00), still open at the end of March: overdue.
  const d = business('2026-03-10T08:30:00', 9104, 'post');
  d.accept('2026-03-10T09:00:00');

  // E: accepted Mon 30 Mar (due Thu 2 Apr): open and within time at the end of March.
  const e = business('2026-03-30T08:30:00', 9105);
  e.accept('2026-03-30T09:00:00');

  // F: accepted Mon 16 Mar, supplement asked Tue 17 Mar and still awaited: paused, within time.
  const f = business('2026-03-16T08:30:00', 9106);
  f.accept('2026-03-16T09:00:00');
  f.play(f.command('RequestSupplement', officer, { stepId: 'business-registration', missing: [{ description: 'Văn bản thỏa thuận của các thành viên hộ gia đình', reason: 'Thiếu chữ ký' }] }), '2026-03-17T09:00:00');

  // G: refused at reception on Fri 20 Mar: registered, never accepted.
  const g = business('2026-03-20T08:30:00', 9107);
  g.play(g.command('RefuseAtReception', reception, { reasons: ['Ngành nghề kinh doanh bị cấm'], legalBasis: 'Luật Đầu tư 2020, Điều 6' }), '2026-03-20T09:00:00');

  // H: received Wed 1 Apr: after the period.
  const h = business('2026-04-01T08:30:00', 9108);
  h.accept('2026-04-01T09:00:00');

  return { a, b, c, d, e, f, g, h, all: [a, b, c, d, e, f, g, h] };
}

/** What happens after March: D is finally resolved (late) and E on time. A March report must not change. */
export function aprilEvents(dataset: ReturnType<typeof marchDataset>): void {
  resolve(dataset.d, '2026-04-02T10:00:00');
  resolve(dataset.e, '2026-04-02T09:00:00');
}
