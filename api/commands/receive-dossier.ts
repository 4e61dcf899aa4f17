// The path of a reception from the API to a new dossier: check the centre and the procedure against
// the catalogues, allocate the dossier's code (once per Idempotency-Key), and start the dossier's
// workflow with the reception as its first Update. The route only turns the outcome into HTTP.
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import type { ReceiveDossier, ReceptionRequest } from '../../domain/dossier/commands.js';
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
  const { db, temporal } = deps;
  const centre = await findAgency(db, request.agencyCode);
  if (!centre || centre.kind !== 'one-stop-centre') {
    return refused(
      ruleRefused(
        'UNKNOWN_RECEIVING_CENTRE',
        centre
          ? `Agency ${request.agencyCode} is a ${centre.kind}, not a one-stop centre; receive the dossier at the centre.`
          : `No agency ${request.agencyCode} is in the catalogue; load the agency catalogue (npm run catalogue:load) or check the code.`,
        { errors: [{ field: 'body.agencyCode', message: 'must be a one-stop centre of the catalogue' }] },
      ),
    );
  }
  if (!(await procedureIsCatalogued(db, request.procedureCode))) {
    return refused(
      ruleRefused('UNKNOWN_PROCEDURE', `No procedure ${request.procedureCode} is in the catalogue; check the code or load the procedure (npm run catalogue:load).`, {
        errors: [{ field: 'body.procedureCode', message: 'must be a procedure of the catalogue' }],
      }),
    );
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
    return refused(ruleRefused(code, message, { rule, ...(field ? { errors: [{ field: `body.${field}`, message }] } : {}) }));
  }
  const { dossierCode, receivedAt } = await allocateDossierCode(db, request.agencyCode, { idempotency });
  const command: ReceiveDossier = {
    ...request,
    type: 'ReceiveDossier',
    commandId: commandIdFor({ idempotency }, randomUUID),
    actor,
    dossierCode,
    receivedAt: receivedAt.toISOString(),
    // Pinned from the catalogue, so the centre's documents name it as it was named that day.
    centre: { name: centre.name, ...(centre.superior ? { superior: centre.superior } : {}), ...(centre.place ? { place: centre.place } : {}) },
    ...(procedure ? { procedureName: procedure.name } : {}),
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
  const receivedAt = new Date();
  const receptionDate = vietnamDateOf(receivedAt);
  const serial = await allocateDossierSerial(db, agencyCode, receptionDate);
  const dossierCode = formatDossierCode({ agencyCode, receptionDate, serial });
  await rememberResource(db, key, { dossierCode, receivedAt: receivedAt.toISOString() });
  return { dossierCode, receivedAt };
}

function refused(problem: ProblemAnswer): ReceptionOutcome {
  return { kind: 'refused', problem };
}
