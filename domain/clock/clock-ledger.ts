// A dossier's clock is an append-only ledger derived from its events (and a step's clock from the
// step's events). The ledger holds facts only; the due dates, the state and the classification are
// computed from it by clock-model.ts, so a rule change can be replayed over old ledgers.
import { parseInstant } from '../calendar/civil-day.js';

// The entries' shape; the schema lives in clock-schemas.ts, away from the workflow's sandbox.
export type { ClockEntry } from './clock-schemas.js';
import type { ClockEntry } from './clock-schemas.js';
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
