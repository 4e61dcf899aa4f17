// In what order a system's answers about one dossier are applied (docs/integrations.md#answers-from-the-systems):
// by the `sequence` the system gave them, whatever order they arrived in. The next to apply is the
// one after the highest already applied or refused; an answer whose predecessor has not arrived is
// held until it does, or until it has waited `holdMs`, then applied anyway (the predecessor may
// never come: a system that lost it). A sequence already done by another answer is not applied twice.
// Pure: the inbox's rows of one lane in, the next step out.

export type LaneStatus = 'pending' | 'held' | 'applied' | 'duplicate-content' | 'refused';

export interface LaneAnswer {
  readonly answerId: string;
  readonly sequence: number;
  readonly status: LaneStatus;
  /** When the engine received it (its own clock): a held answer waits from then. */
  readonly receivedAt: Date;
}

export type LaneStep<T extends LaneAnswer> =
  /** Apply this answer now; `late` when it is applied without its predecessor (after the hold) or after its successors. */
  | { readonly kind: 'apply'; readonly answer: T; readonly late: boolean }
  /** Its sequence was already applied or refused from another answer: kept, not applied. */
  | { readonly kind: 'duplicate'; readonly answer: T; readonly of: string }
  /** The answers that wait for a predecessor, until `until` at the latest. */
  | { readonly kind: 'hold'; readonly answers: readonly T[]; readonly until: Date }
  | { readonly kind: 'idle' };

const DONE: ReadonlySet<LaneStatus> = new Set(['applied', 'refused']);

/** The next step of a lane: its rows (every status) and the time now. */
export function nextInLane<T extends LaneAnswer>(rows: readonly T[], now: Date, holdMs: number): LaneStep<T> {
  const done = new Map<number, string>();
  for (const row of rows) if (DONE.has(row.status) && !done.has(row.sequence)) done.set(row.sequence, row.answerId);
  const highest = Math.max(0, ...done.keys());
  const waiting = rows.filter((row) => row.status === 'pending' || row.status === 'held').sort((a, b) => a.sequence - b.sequence || a.receivedAt.getTime() - b.receivedAt.getTime() || (a.answerId < b.answerId ? -1 : 1));
  const first = waiting[0];
  if (!first) return { kind: 'idle' };
  const doneBy = done.get(first.sequence);
  if (doneBy !== undefined) return { kind: 'duplicate', answer: first, of: doneBy };
  // The expected one, or one older than what was applied past the hold: applied now.
  if (first.sequence <= highest + 1) return { kind: 'apply', answer: first, late: first.sequence < highest };
  const until = new Date(first.receivedAt.getTime() + holdMs);
  if (now.getTime() >= until.getTime()) return { kind: 'apply', answer: first, late: true };
  return { kind: 'hold', answers: waiting, until };
}
