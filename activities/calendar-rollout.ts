// The roll-out of a stored calendar amendment to the open dossiers, one page at a time: read the
// page from the summary, send each dossier the AdoptCalendarAmendment command as an Update whose id
// is the command id (docs/decisions/0008), and tally the answers. A retried page sends the same
// update ids, so a dossier adopts once however often the worker dies.
import { Context, heartbeat } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { openDossiersBehind, recordRolloutProgress, rolloutAmendment, rolloutAmendments, type RolloutCandidate, type RolloutCounts } from '../db/calendar-amendments.js';
import type { Database } from '../db/schema.js';
import { civilDayOfInstant, isoOfCivilDay } from '../domain/calendar/civil-day.js';
import { compareCalendarVersions, type CalendarAmendment } from '../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../domain/calendar/vietnam-civil-service-calendar.js';
import type { AdoptCalendarAmendment } from '../domain/dossier/calendar-commands.js';
import { dossierCommandUpdate, dossierWorkflowId } from '../workflows/dossier/messages.js';

export interface RolloutPageInput {
  readonly calendarId: string;
  readonly version: string;
  readonly afterCode: string;
  readonly limit: number;
  /** Dossiers that refused the amendment or have no running workflow: not sent again in this roll-out. */
  readonly exclude: readonly string[];
}

export interface RolloutPageResult {
  /** The last dossier code of the page; null when the pass has reached the end. */
  readonly lastCode: string | null;
  readonly sent: number;
  readonly adopted: number;
  /** Already followed the version (or a later one): nothing to do. */
  readonly already: number;
  /** Refused by a rule (closed meanwhile, a conflicting copy, another calendar). */
  readonly refused: readonly string[];
  /** An open dossier whose workflow has ended: an operator resumes it (docs/operations.md). */
  readonly notRunning: readonly string[];
}

/** The command a roll-out sends one dossier; its id is the same on every try and every pass. */
export function adoptionCommand(calendarId: string, amendment: AdoptCalendarAmendment['amendment'], dossier: { dossierCode: string; agencyCode: string; streamVersion: number }): AdoptCalendarAmendment {
  return {
    type: 'AdoptCalendarAmendment',
    commandId: `calendar/${calendarId}@${amendment.version}/${dossier.dossierCode}`,
    actor: { userId: 'calendar-rollout', role: 'system', agencyCode: dossier.agencyCode },
    dossierCode: dossier.dossierCode,
    loggedVersion: dossier.streamVersion,
    calendarId,
    amendment,
  };
}

const DONE_ALREADY = new Set(['CALENDAR_AMENDMENT_ALREADY_ADOPTED', 'CALENDAR_AMENDMENT_OUT_OF_ORDER']);

export function createCalendarRolloutActivities({ db, temporal }: { db: Kysely<Database>; temporal?: Client }) {
  return {
    async adoptCalendarAmendmentPage(input: RolloutPageInput): Promise<RolloutPageResult> {
      if (!temporal) throw ApplicationFailure.nonRetryable('this worker was started without a Temporal client, so it cannot send commands to dossiers', 'NoTemporalClient');
      const amendment = await rolloutAmendment(db, VIETNAM_CIVIL_SERVICE_CALENDAR, input.calendarId, input.version);
      if (!amendment) throw ApplicationFailure.nonRetryable(`no amendment ${input.calendarId}@${input.version}, stored or built in`, 'UnknownAmendment');
      const page = await openDossiersBehind(db, { version: input.version, afterCode: input.afterCode, limit: input.limit, exclude: input.exclude });
      let adopted = 0;
      let already = 0;
      const refused: string[] = [];
      const notRunning: string[] = [];
      // A dossier behind this version may be behind an earlier one too (two amendments stored close
      // together, their roll-outs racing): it adopts those first, in version order, each under the
      // command id its own roll-out uses, so whichever arrives second finds it done. Adopting only
      // the later one would leave the earlier one's days out, and refuse it afterwards as out of order.
      const versions = input.calendarId === VIETNAM_CIVIL_SERVICE_CALENDAR.id ? await rolloutAmendments(db, VIETNAM_CIVIL_SERVICE_CALENDAR, isoOfCivilDay(civilDayOfInstant(Date.now()))) : [];
      const send = async (dossier: RolloutCandidate, version: CalendarAmendment): Promise<number> => {
        const command = adoptionCommand(input.calendarId, version, dossier);
        // Cancelled with the activity (a worker shutting down), so a dossier that cannot answer never holds the page.
        try {
          const answer = await temporal.withAbortSignal(Context.current().cancellationSignal, () =>
            temporal.workflow.getHandle(dossierWorkflowId(dossier.dossierCode)).executeUpdate(dossierCommandUpdate, { args: [command], updateId: command.commandId }),
          );
          return answer.streamVersion;
        } finally {
          // After each command, not each dossier: one behind several versions is sent several.
          heartbeat(dossier.dossierCode);
        }
      };
      for (const dossier of page) {
        try {
          let streamVersion = dossier.streamVersion;
          const between = versions.filter((earlier) => compareCalendarVersions(earlier.version, dossier.calendarVersion) > 0 && compareCalendarVersions(earlier.version, amendment.version) < 0);
          for (const earlier of between) {
            try {
              streamVersion = await send({ ...dossier, streamVersion }, earlier);
            } catch (error) {
              // Done already, or refused by a rule: the version this roll-out sends is what counts.
              if (!(error instanceof WorkflowUpdateFailedError)) throw error;
            }
          }
          await send({ ...dossier, streamVersion }, amendment);
          adopted += 1;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) notRunning.push(dossier.dossierCode);
          else if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) {
            if (DONE_ALREADY.has(error.cause.type ?? '')) already += 1;
            else refused.push(dossier.dossierCode);
          } else throw error;
        }
      }
      return { lastCode: page.at(-1)?.dossierCode ?? null, sent: page.length, adopted, already, refused, notRunning };
    },

    async recordCalendarRollout(input: { calendarId: string; version: string; counts: RolloutCounts; passes: number; lastDossierCode: string | null; done: boolean }): Promise<void> {
      await recordRolloutProgress(db, input.calendarId, input.version, { ...input.counts, passes: input.passes, lastDossierCode: input.lastDossierCode, done: input.done });
    },
  };
}

export type CalendarRolloutActivities = ReturnType<typeof createCalendarRolloutActivities>;
