// A dossier's clock is an append-only ledger derived from its events (and a step's clock from the
// step's events). The ledger holds facts only; the due dates, the state and the classification are
// computed from it by legal-clock.ts, so a rule change can be replayed over old ledgers.
import { z } from 'zod';
import { parseInstant } from '../calendar/civil-day.js';
import { PAUSE_REASONS } from './clock-rules.js';

const instant = z.string().refine((value) => {
  try {
    parseInstant(value);
    return true;
  } catch {
    return false;
  }
}, 'must be an ISO 8601 instant with its offset, e.g. 2026-02-23T08:37:00+07:00');

export const clockEntrySchema = z.discriminatedUnion('type', [
  /** Acceptance of a complete dossier (form 01): the legal time begins (domain.md §4.2). */
  z.object({ type: z.literal('started'), at: instant }),
  z.object({ type: z.literal('paused'), at: instant, reason: z.enum(PAUSE_REASONS), reference: z.string().optional() }),
  z.object({ type: z.literal('resumed'), at: instant }),
  /** The complete supplement arrived and the procedure restarts the legal time (Decree 61 art. 19(4)). */
  z.object({ type: z.literal('restarted'), at: instant }),
  /** Apology with a new appointment (form 04): at most once, at the latest one day before the due date. */
  z.object({ type: z.literal('extended'), at: instant, newDue: instant, reference: z.string().optional() }),
  /** The dossier (or step) ended: resolved, refused, withdrawn, or (a step) sent back for rework. */
  z.object({ type: z.literal('stopped'), at: instant, outcome: z.enum(['resolved', 'refused', 'withdrawn', 'sent-back']) }),
]);
export type ClockEntry = z.infer<typeof clockEntrySchema>;
export type ClockLedger = readonly ClockEntry[];

/** A ledger that cannot have come from a valid event stream: a bug upstream, never a user error. */
export class ClockLedgerError extends Error {
  override readonly name = 'ClockLedgerError';
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`clock ledger entry ${index}: ${message}`);
  }
}

/** Checks the ledger's shape: starts first, chronological, pauses and resumes alternate, nothing after a stop. */
export function assertWellFormedLedger(ledger: ClockLedger): void {
  let paused = false;
  let stopped = false;
  let previous = Number.NEGATIVE_INFINITY;
  ledger.forEach((entry, index) => {
    const at = parseInstant(entry.at);
    if (at < previous) throw new ClockLedgerError(index, `${entry.type} at ${entry.at} is earlier than the entry before it`);
    previous = at;
    if (index === 0 && entry.type !== 'started') throw new ClockLedgerError(index, `a clock must begin with started, not ${entry.type}`);
    if (index > 0 && entry.type === 'started') throw new ClockLedgerError(index, 'a clock starts once; a new legal period is restarted');
    if (stopped) throw new ClockLedgerError(index, `${entry.type} after the clock stopped`);
    switch (entry.type) {
      case 'paused':
        if (paused) throw new ClockLedgerError(index, 'paused while already paused');
        paused = true;
        break;
      case 'resumed':
        if (!paused) throw new ClockLedgerError(index, 'resumed while running');
        paused = false;
        break;
      case 'restarted':
        paused = false;
        break;
      case 'extended':
        if (parseInstant(entry.newDue) <= at) throw new ClockLedgerError(index, 'a new appointment must be later than the apology');
        break;
      case 'stopped':
        stopped = true;
        paused = false;
        break;
      case 'started':
        break;
    }
  });
}
