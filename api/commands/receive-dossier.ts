// The path of a reception from the API to a new dossier: check the centre and the procedure against
// the catalogues (checkReception), allocate the dossier's code (once per Idempotency-Key at the
// counter; once per portal dossier id from a portal, api/intake/intake.ts), and start the dossier's
// workflow with the reception as its first Update (startReception). The routes only turn the
// outcome into HTTP.
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { ReceiveDossier, ReceptionRequest } from '../../domain/dossier/commands.js';
import type { ComponentFile, PortalSubmission } from '../../domain/dossier/file-commands.js';
import type { Agency } from '../../domain/catalogue/agency.js';
import type { CatalogueProcedure } from '../../domain/catalogue/procedure.js';
import { formatDossierCode } from '../../domain/dossier/dossier-code.js';
import { currentDirectory, findAgency, procedureInForce, procedureIsCatalogued } from '../../db/catalogue.js';
import { namedLocalityProblem, resolveProcedure } from '../../domain/catalogue/resolve-roles.js';
import { allocateDossierSerial } from '../../db/dossier-serials.js';
import type { Database } from '../../db/schema.js';
import { dossierWorkflow, dossierWorkflowId, receiveDossierUpdate } from '../../workflows/dossier.js';
import { dossierSearchAttributes } from '../../workflows/search-attributes.js';
import { commandIdFor, rememberedResource, rememberResource } from '../idempotency.js';
import { domainRefusalIn, type ProblemAnswer, refusalProblem, ruleRefused } from '../problem-details.js';
import { answeredWithin } from '../workflow-answer-wait.js';
import { counted, recordCommand } from './command-metrics.js';

export interface ReceptionDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  /** The request's logger: its lines name the route and the caller, never personal data. */
  readonly log: FastifyBaseLogger;
}

export interface Reception {
  readonly request: ReceptionRequest;
  readonly actor: Actor;
  /** The request's Idempotency-Key, scoped by its caller: retries under it receive the dossier once. */
  readonly idempotency: { readonly caller: string; readonly key: string } | null;
}

export type ReceptionOutcome =
  | { readonly kind: 'received'; readonly dossierCode: string; readonly answer: CommandOutcome }
  /** Refused by a rule; nothing was recorded. */
  | { readonly kind: 'refused'; readonly problem: ProblemAnswer };

/** Receives a dossier. Failures of the service itself are thrown, for the API's error handler to answer. */
export async function receiveDossier(deps: ReceptionDeps, { request, actor, idempotency }: Reception): Promise<ReceptionOutcome> {
  const checked = await checkReception(deps.db, request);
  if (!checked.ok) return refused(checked.problem);
  const { dossierCode, receivedAt } = await allocateDossierCode(deps.db, request.agencyCode, { idempotency });
  return startReception(deps, { checked: checked.reception, actor, dossierCode, receivedAt, commandId: commandIdFor({ idempotency }, randomUUID) });
}

/** A reception the catalogues admit: the centre, and the procedure version in force today if any. */
export interface CheckedReception {
  readonly request: ReceptionRequest;
  readonly centre: Agency;
  readonly procedure: CatalogueProcedure | undefined;
}

/** Where a refusal points: `body.<field>` for the counter's request; the portal's own paths for the intake. */
export type ReceptionFieldPath = (field: string) => string;

/**
 * The checks every reception passes before a dossier code is spent on it: the receiving centre is a
 * one-stop centre of the catalogue, the procedure is catalogued, and the locality resolves.
 */
export async function checkReception(db: Kysely<Database>, request: ReceptionRequest, fieldPath: ReceptionFieldPath = (field) => `body.${field}`): Promise<{ readonly ok: true; readonly reception: CheckedReception } | { readonly ok: false; readonly problem: ProblemAnswer }> {
  // A reception the catalogues refuse (or that fails here) is counted here (api/commands/command-metrics.ts); one they admit, when startReception answers.
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const checked = await checkUncounted(db, request, fieldPath).catch((error: unknown) => {
    recordCommand('ReceiveDossier', 'failed', seconds());
    throw error;
  });
  if (!checked.ok) recordCommand('ReceiveDossier', 'refused', seconds(), checked.problem.code);
  return checked;
}

async function checkUncounted(db: Kysely<Database>, request: ReceptionRequest, fieldPath: ReceptionFieldPath): Promise<{ readonly ok: true; readonly reception: CheckedReception } | { readonly ok: false; readonly problem: ProblemAnswer }> {
  const centre = await findAgency(db, request.agencyCode);
  if (!centre || centre.kind !== 'one-stop-centre') {
    return {
      ok: false,
      problem: ruleRefused(
        'UNKNOWN_RECEIVING_CENTRE',
        centre
          ? `Agency ${request.agencyCode} is a ${centre.kind}, not a one-stop centre; receive the dossier at the centre.`
          : `No agency ${request.agencyCode} is in the catalogue; load the agency catalogue (npm run catalogue:load) or check the code.`,
        { errors: [{ field: fieldPath('agencyCode'), message: 'must be a one-stop centre of the catalogue' }] },
      ),
    };
  }
  if (!(await procedureIsCatalogued(db, request.procedureCode))) {
    return {
      ok: false,
      problem: ruleRefused('UNKNOWN_PROCEDURE', `No procedure ${request.procedureCode} is in the catalogue; check the code or load the procedure (npm run catalogue:load).`, {
        errors: [{ field: fieldPath('procedureCode'), message: 'must be a procedure of the catalogue' }],
      }),
    };
  }
  // Reception regardless of boundary: the bodies of the locality must exist today, or say now what to
  // fix. The version in force today also names the procedure on forms 02 and 03 before acceptance pins it.
  const today = isoOfCivilDay(civilDayOfInstant(Date.now()));
  const procedure = await procedureInForce(db, request.procedureCode, today);
  const directory = await currentDirectory(db);
  // With no version in force today there is nothing to resolve, but a named locality is still checked:
  // the event keeps it, and a code that names no commune could never be resolved nor corrected later.
  const resolved = procedure && resolveProcedure({ procedure, directory, receivingAgencyCode: request.agencyCode, localityCode: request.locality, day: today });
  const problem = resolved ? (resolved.ok ? undefined : resolved.error) : request.locality !== undefined ? namedLocalityProblem(directory, request.locality, today) : undefined;
  if (problem) {
    const { code, message, rule, field } = problem;
    return { ok: false, problem: ruleRefused(code, message, { rule, ...(field ? { errors: [{ field: fieldPath(field), message }] } : {}) }) };
  }
  return { ok: true, reception: { request, centre, procedure } };
}

export interface ReceptionStart {
  readonly checked: CheckedReception;
  readonly actor: Actor;
  readonly dossierCode: string;
  readonly receivedAt: Date;
  /** The command's id and Temporal update id: the same id received twice is received once. */
  readonly commandId: string;
  /** An online submission's files, stored and checked first (digests only: never bytes). */
  readonly files?: readonly ComponentFile[];
  readonly submission?: PortalSubmission;
}

/**
 * Starts the dossier's workflow with the reception as its first Update (update-with-start): the one
 * path of every reception, at the counter (receiveDossier) and from a portal (api/intake/intake.ts).
 */
export function startReception(deps: ReceptionDeps, start: ReceptionStart): Promise<ReceptionOutcome> {
  return counted('ReceiveDossier', () => startUncounted(deps, start));
}

async function startUncounted(deps: ReceptionDeps, { checked, actor, dossierCode, receivedAt, commandId, files, submission }: ReceptionStart): Promise<ReceptionOutcome> {
  const { temporal } = deps;
  const { request, centre, procedure } = checked;
  const command: ReceiveDossier = {
    ...request,
    type: 'ReceiveDossier',
    commandId,
    actor,
    dossierCode,
    receivedAt: receivedAt.toISOString(),
    // Pinned from the catalogue, so the centre's documents name it as it was named that day.
    centre: { name: centre.name, ...(centre.superior ? { superior: centre.superior } : {}), ...(centre.place ? { place: centre.place } : {}) },
    ...(procedure ? { procedureName: procedure.name } : {}),
    ...(files && files.length > 0 ? { files: [...files] } : {}),
    ...(submission ? { submission } : {}),
  };
  try {
    const answer = await answeredWithin(temporal, deps.commandTimeoutMs, { dossierCode, reception: true }, () =>
      temporal.workflow.executeUpdateWithStart(receiveDossierUpdate, {
        args: [command],
        updateId: command.commandId,
        startWorkflowOperation: new WithStartWorkflowOperation(dossierWorkflow, {
          workflowId: dossierWorkflowId(dossierCode),
          taskQueue: deps.taskQueue,
          args: [{ dossierCode }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: dossierSearchAttributes({ agencyCode: command.agencyCode, procedureCode: command.procedureCode, status: 'none' }),
        }),
      }),
    );
    deps.log.info({ dossierCode, streamVersion: answer.streamVersion }, 'dossier received');
    return { kind: 'received', dossierCode, answer };
  } catch (error) {
    const refusal = domainRefusalIn(error);
    if (refusal) {
      // The code was allocated before the workflow refused the reception: say why it has no dossier.
      deps.log.warn({ dossierCode, refusal: refusal.code }, 'dossier code spent on a refused reception; it has no dossier');
      return refused(refusalProblem(refusal));
    }
    throw error;
  }
}

/**
 * The dossier's code and reception time. A retry under the same Idempotency-Key reuses the code its
 * first attempt allocated, so the dossier is received once however often the client retries.
 */
async function allocateDossierCode(db: Kysely<Database>, agencyCode: string, key: Pick<Reception, 'idempotency'>): Promise<{ dossierCode: string; receivedAt: Date }> {
  const remembered = await rememberedResource<{ dossierCode: string; receivedAt: string }>(db, key);
  if (remembered) return { dossierCode: remembered.dossierCode, receivedAt: new Date(remembered.receivedAt) };
  const allocated = await newDossierCode(db, agencyCode);
  await rememberResource(db, key, { dossierCode: allocated.dossierCode, receivedAt: allocated.receivedAt.toISOString() });
  return allocated;
}

/** A new dossier code at the agency, dated now (in a transaction when `db` is one). */
export async function newDossierCode(db: Kysely<Database>, agencyCode: string): Promise<{ dossierCode: string; receivedAt: Date }> {
  const receivedAt = new Date();
  const receptionDate = vietnamDateOf(receivedAt);
  const serial = await allocateDossierSerial(db, agencyCode, receptionDate);
  return { dossierCode: formatDossierCode({ agencyCode, receptionDate, serial }), receivedAt };
}

function refused(problem: ProblemAnswer): ReceptionOutcome {
  return { kind: 'refused', problem };
}
