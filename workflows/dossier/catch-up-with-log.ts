import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { DossierEventActivities } from '../../activities/dossier-events.js';
import { catchUp, type CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { DocumentQueue } from './document-queue.js';
import type { DossierCopy } from './dossier-copy.js';

// Reading the log to catch up holds the dossier's lock: bounded, so a database that stays down fails
// the one command (its caller retries) rather than holding every later one.
const { readDossierEvents } = proxyActivities<DossierEventActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 6 },
});

/** Events read per page when catching up. */
const CATCH_UP_PAGE = 100;

/**
 * The log holds events this run has not seen (domain/dossier/catch-up.ts): fold them, remember
 * the outcomes of the commands that wrote them, and queue the documents they call for. Returns the
 * outcomes found, by command id, so a retried command gets its own even if the run's latest
 * outcomes no longer hold it.
 */
export async function catchUpWithLog(dossier: DossierCopy, documents: DocumentQueue): Promise<Map<string, CommandOutcome>> {
  const found = new Map<string, CommandOutcome>();
  const from = dossier.streamVersion;
  try {
    for (;;) {
      const logged = await readDossierEvents({ dossierCode: dossier.dossierCode, afterVersion: dossier.streamVersion, limit: CATCH_UP_PAGE });
      if (logged.length === 0) break;
      const caught = catchUp(dossier.dossierCode, dossier.state, dossier.streamVersion, logged, { counts: documents.counts(), waiting: documents.waitingIds() });
      dossier.state = caught.state;
      dossier.streamVersion = caught.streamVersion;
      for (const [commandId, outcome] of caught.outcomes) {
        dossier.remember(commandId, outcome);
        found.set(commandId, outcome);
      }
      documents.callFor(caught.documents);
      if (logged.length < CATCH_UP_PAGE) break;
    }
  } catch (error) {
    // A fold that throws (a gap, an event the rules cannot apply) must fail this command, not
    // every workflow task of the dossier: a plain error in a handler would do the latter.
    if (error instanceof ApplicationFailure || error instanceof ActivityFailure) throw error;
    throw ApplicationFailure.nonRetryable(`catching up dossier ${dossier.dossierCode} with its event log failed: ${String(error)}`, 'CATCH_UP_FAILED');
  }
  if (dossier.streamVersion === from) return found;
  documents.forgetIssued();
  dossier.showStatus();
  log.warn('the event log was ahead of this workflow run; caught up', { dossierCode: dossier.dossierCode, fromVersion: from, toVersion: dossier.streamVersion });
  return found;
}
