import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DocumentRequest } from '../../domain/documents/documents-called-for.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { LifecycleCommand, ReceiveDossier } from '../../domain/dossier/commands.js';
import type { DossierState } from '../../domain/dossier/state.js';

// What the dossier workflow is started with, receives and answers, declared beside it as in
// Temporal's samples. The API and the operator's tools reach them through workflows/dossier.ts.

/** One workflow per dossier, named after its code: the one writer of the dossier's event stream. */
export function dossierWorkflowId(dossierCode: string): string {
  return `dossier-${dossierCode}`;
}

/** What continue-as-new carries from one run of a dossier's workflow to the next. */
export interface CarriedDossier {
  readonly state: DossierState;
  readonly streamVersion: number;
  /** The latest commands' outcomes, by command id, oldest first. */
  readonly recent?: readonly (readonly [string, CommandOutcome])[];
  /** Documents called for and not yet recorded as issued. */
  readonly pendingDocuments?: readonly DocumentRequest[];
}

export interface DossierWorkflowInput {
  readonly dossierCode: string;
  /** State carried over by continue-as-new, with the latest commands' outcomes. */
  readonly carried?: CarriedDossier;
  /** Continue as new after this many history events (Temporal's own suggestion otherwise). */
  readonly historyLimit?: number;
  /**
   * Started by an operator for a dossier whose run ended early (`npm run dossier:resume`): the run
   * folds the dossier's log before anything else, so its timers and documents carry on.
   */
  readonly resumeFromLog?: boolean;
}

// Every command is an Update: its caller gets the command's outcome, or the rule that refused it.
export const receiveDossierUpdate = defineUpdate<CommandOutcome, [ReceiveDossier]>('receiveDossier');
export const dossierCommandUpdate = defineUpdate<CommandOutcome, [LifecycleCommand]>('dossierCommand');
export const dossierStateQuery = defineQuery<{ state: DossierState; streamVersion: number }>('dossierState');
