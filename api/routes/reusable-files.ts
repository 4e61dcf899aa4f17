// Reuse of data already held (docs/files.md#reuse). GET /dossiers/:code/reusable offers the
// receiving centre, for each component the procedure marks reusable, what is already held for the
// same applicant: approved files of their other dossiers, results issued to them, and (when
// configured) the papers of their e-data store on the national portal. POST
// /dossiers/:code/components/:componentId/reuse attaches one by reference: the reference is checked
// against the index (same applicant, file approved and current, result issued) or the store, and
// the file goes to the dossier as AttachComponentFile with the origin it came from.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { applicantFiles, applicantResults, dossierApplicant } from '../../db/reusable-files.js';
import { applicantHash } from '../../db/projections/component-file-index.js';
import { procedureInForce } from '../../db/catalogue.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import { readStream } from '../../db/event-store.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import type { Component } from '../../domain/catalogue/procedure.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import type { Applicant } from '../../domain/dossier/commands.js';
import { componentIdSchema } from '../../domain/dossier/file-commands.js';
import { foldDossier, isReceived, newDossier } from '../../domain/dossier/state.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { fileOriginSchema, sha256HexSchema } from '../../domain/files/file-model.js';
import { lineText } from '../../domain/text.js';
import { type DataStore, type DataStorePaper, DataStoreUnavailable } from '../../integrations/data-store/port.js';
import { callerOf, forbidden } from '../auth/access.js';
import { sendDossierCommand } from '../commands/send-dossier-command.js';
import { mirroredDossierProblem } from '../mirror-refusal.js';
import { dataStoreQuery, resolveReuseReference } from '../commands/reuse-reference.js';
import { commandIdFor } from '../idempotency.js';
import { problemSchema, ruleRefused, sendProblem } from '../problem-details.js';
import { dossierCodeParams, dossierCodeSchema, idempotencyKeySchema, resultCodeSchema } from '../request-schemas.js';
import { commandAnswer } from './dossier-commands.js';
import { dossierNotFound } from './dossiers.js';

export interface ReusableFileRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
  /** MOTCUA_APPLICANT_KEY: the key of the applicant hash the index is keyed by. */
  readonly applicantKey: string;
  /** The national portal's e-data store; absent: not offered. */
  readonly dataStore?: DataStore;
}

/** Who reuses: the receiving centre, as for attaching any file (AttachComponentFile). */
const REUSERS = COMMAND_ROLES.AttachComponentFile;

const earlierDossierRef = z.object({ kind: z.literal('earlier-dossier'), dossierCode: dossierCodeSchema, componentId: componentIdSchema, sha256: sha256HexSchema }).describe('An approved, current file of another dossier of the same applicant');
const issuedResultRef = z.object({ kind: z.literal('issued-result'), resultCode: resultCodeSchema }).describe('A result this engine issued to the same applicant');
const dataStoreRef = z
  .object({
    kind: z.literal('data-store'),
    keeper: lineText(500).min(1).describe('CoQuanChuQuan: the body that keeps the paper'),
    path: lineText(2000).min(1).describe('DuongDan: the file of the paper in the store'),
    documentCode: lineText(100).min(1).describe('MaKetQua: the kind of paper'),
    documentNumber: lineText(200).min(1).optional().describe('SoKyHieu: the paper’s number'),
  })
  .describe("A file of a paper in the applicant's e-data store on the national portal");
const reuseReference = z.discriminatedUnion('kind', [earlierDossierRef, issuedResultRef, dataStoreRef]);

const fileFacts = z.object({ sha256: z.string(), size: z.number().int().nullable(), mediaType: z.string().nullable(), pages: z.number().int().optional() });
const candidateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('earlier-dossier'), from: earlierDossierRef, procedureCode: z.string(), approvedAt: z.string(), file: fileFacts }),
  z.object({ kind: z.literal('issued-result'), from: issuedResultRef, dossierCode: z.string(), procedureCode: z.string(), issuedAt: z.string(), file: fileFacts }),
  z.object({ kind: z.literal('data-store'), from: dataStoreRef, documentName: z.string(), fileName: z.string() }),
]);

const reusableResponse = z.object({
  dossierCode: z.string(),
  procedureCode: z.string(),
  dataStore: z
    .enum(['not-configured', 'not-asked', 'available', 'unavailable'])
    .describe("The applicant's e-data store: not configured, not asked (no reusable component lists a kind of paper it holds), asked and answered, or asked and failed (which never fails the listing)"),
  components: z.array(z.object({ componentId: z.string(), name: z.string(), attached: z.boolean().describe('A current file is already attached to it'), candidates: z.array(candidateSchema) })),
});

const reuseResponse = z.object({
  dossierCode: z.string(),
  status: z.string(),
  portalStatus: z.number().int(),
  streamVersion: z.number().int(),
  events: z.array(z.string()),
  componentId: z.string(),
  file: z.object({ sha256: z.string(), size: z.number().int(), mediaType: z.string() }),
  origin: fileOriginSchema.describe('Where the file came from, as the event records it'),
});

interface DossierContext {
  readonly code: string;
  readonly agencyCode: string;
  readonly procedureCode: string;
  readonly applicant: Applicant;
  readonly hash: string;
  readonly components: readonly Component[];
  readonly attached: ReadonlySet<string>;
  readonly attachedDigests: ReadonlySet<string>;
}

export const reusableFileRoutes: FastifyPluginAsyncZod<ReusableFileRoutesDeps> = async (app, deps) => {
  const { db, applicantKey, dataStore } = deps;

  /** The dossier as the reuse needs it, or the answer already sent (404, 403). */
  async function dossierFor(request: Parameters<typeof callerOf>[0], reply: Parameters<typeof sendProblem>[0], code: string): Promise<DossierContext | null> {
    const caller = callerOf(request);
    const summary = await findDossierSummary(db, code);
    if (summary && summary.mirrored_from !== null) {
      sendProblem(reply, mirroredDossierProblem(code, summary.mirrored_from));
      return null;
    }
    const received = summary ? await dossierApplicant(db, code) : undefined;
    if (!summary || !received) {
      dossierNotFound(reply, code);
      return null;
    }
    if (summary.agency_code !== caller.actor.agencyCode) {
      // Another agency's staff learn no more than that the dossier is not theirs to serve.
      forbidden(reply, `Only the one-stop centre that received dossier ${code} offers and takes the applicant's data already held for it.`, 'NOT_THE_RECEIVING_CENTRE');
      return null;
    }
    const state = foldDossier(newDossier(code), (await readStream(db, code)).map(asDossierEvent));
    const procedure = isReceived(state) && state.accepted ? state.accepted.procedure : await procedureInForce(db, summary.procedure_code, isoOfCivilDay(civilDayOfInstant(Date.now())));
    const files = isReceived(state) ? (state.files ?? []).filter((file) => file.replacedBy === undefined) : [];
    return {
      code,
      agencyCode: summary.agency_code,
      procedureCode: summary.procedure_code,
      applicant: received.applicant,
      hash: applicantHash(applicantKey, received.applicant),
      components: procedure?.components ?? [],
      attached: new Set(files.map((file) => file.componentId)),
      attachedDigests: new Set(files.map((file) => `${file.componentId}/${file.sha256}`)),
    };
  }

  app.get(
    '/dossiers/:code/reusable',
    {
      schema: {
        summary: "Data already held for the dossier's applicant, offered for each component the procedure marks reusable",
        description:
          "For each component marked reusableFromData: approved, current files of the same applicant's other dossiers for the same component of the same procedure, results issued to them, and the papers of their e-data store (when configured). Only the applicant's own data; only to the centre that received the dossier. Each candidate's `from` is the body of POST /dossiers/{code}/components/{componentId}/reuse.",
        tags: ['files'],
        params: dossierCodeParams,
        response: { 200: reusableResponse, 401: problemSchema, 403: problemSchema, 404: problemSchema, 429: problemSchema },
      },
      config: { access: { roles: REUSERS } },
    },
    async (request, reply) => {
      const dossier = await dossierFor(request, reply, request.params.code);
      if (!dossier) return reply;
      const reusable = dossier.components.filter((component) => component.reusableFromData);
      const files = await applicantFiles(db, dossier.hash, { procedureCode: dossier.procedureCode, componentIds: reusable.map((component) => component.id), exceptDossier: dossier.code });
      const results = reusable.length > 0 ? await applicantResults(db, dossier.hash, dossier.code) : [];
      const storeCodes = [...new Set(reusable.flatMap((component) => component.dataStoreCodes ?? []))];
      let storeState: 'not-configured' | 'not-asked' | 'available' | 'unavailable' = !dataStore ? 'not-configured' : storeCodes.length > 0 ? 'available' : 'not-asked';
      let papers: DataStorePaper[] = [];
      if (dataStore && storeCodes.length > 0) {
        try {
          papers = await dataStore.papers(dataStoreQuery(dossier, storeCodes));
        } catch (error) {
          if (!(error instanceof DataStoreUnavailable)) throw error;
          request.log.warn({ dossierCode: dossier.code, reason: error.reason }, 'the e-data store did not answer; the reusable listing goes without it');
          storeState = 'unavailable';
        }
      }
      return {
        dossierCode: dossier.code,
        procedureCode: dossier.procedureCode,
        dataStore: storeState,
        components: reusable.map((component) => ({
          componentId: component.id,
          name: component.name,
          attached: dossier.attached.has(component.id),
          candidates: [
            ...files
              .filter((file) => file.componentId === component.id && !dossier.attachedDigests.has(`${component.id}/${file.sha256}`))
              .map((file) => ({
                kind: 'earlier-dossier' as const,
                from: { kind: 'earlier-dossier' as const, dossierCode: file.dossierCode, componentId: file.componentId, sha256: file.sha256 },
                procedureCode: file.procedureCode,
                approvedAt: file.approvedAt,
                file: { sha256: file.sha256, size: file.size, mediaType: file.mediaType, ...(file.pages !== null ? { pages: file.pages } : {}) },
              })),
            ...results
              .filter((result) => !dossier.attachedDigests.has(`${component.id}/${result.sha256}`))
              .map((result) => ({
                kind: 'issued-result' as const,
                from: { kind: 'issued-result' as const, resultCode: result.resultCode },
                dossierCode: result.dossierCode,
                procedureCode: result.procedureCode,
                issuedAt: result.issuedAt,
                file: { sha256: result.sha256, size: result.size, mediaType: result.mediaType },
              })),
            ...papers
              .filter((paper) => (component.dataStoreCodes ?? []).includes(paper.documentCode))
              .flatMap((paper) =>
                paper.files.map((file) => ({
                  kind: 'data-store' as const,
                  from: { kind: 'data-store' as const, keeper: paper.keeper, path: file.path, documentCode: paper.documentCode, ...(paper.documentNumber ? { documentNumber: paper.documentNumber } : {}) },
                  documentName: paper.documentName,
                  fileName: file.name,
                })),
              ),
          ],
        })),
      };
    },
  );

  app.post(
    '/dossiers/:code/components/:componentId/reuse',
    {
      schema: {
        summary: 'Attach a file already held for the applicant by reference (an earlier dossier’s approved file, an issued result, or their e-data store)',
        description:
          "The reference is checked before anything is recorded: the same applicant (by the keyed hash of their identity number), the file approved and current, the result issued, or the paper held by their e-data store. The file is attached approved, with the origin it came from, and counts for the reuse indicator (Decision 766, 4.3).",
        tags: ['files'],
        params: dossierCodeParams.extend({ componentId: componentIdSchema }),
        headers: z.object({ 'idempotency-key': idempotencyKeySchema.optional().describe('Retries with the same key and body replay the first answer') }),
        body: z.object({ from: reuseReference }).meta({ examples: [{ from: { kind: 'earlier-dossier', dossierCode: '000.01.01.H99-260302-0001', componentId: 'identity', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } }] }),
        response: { 200: reuseResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
      },
      config: { access: { roles: REUSERS } },
    },
    async (request, reply) => {
      const dossier = await dossierFor(request, reply, request.params.code);
      if (!dossier) return reply;
      const { componentId } = request.params;
      const component = dossier.components.find((candidate) => candidate.id === componentId);
      if (!component || !component.reusableFromData) {
        return sendProblem(
          reply,
          ruleRefused('COMPONENT_NOT_REUSABLE', `${component ? `Component ${componentId}` : `${componentId} is no component of procedure ${dossier.procedureCode}; it`} is not marked reusable from data already held; the reusable components are ${dossier.components.filter((candidate) => candidate.reusableFromData).map((candidate) => candidate.id).join(', ') || 'none'}.`, { errors: [{ field: 'params.componentId', message: 'not a reusable component of the procedure' }] }),
        );
      }
      const resolved = await resolveReuseReference({ db, store: deps.store, ...(dataStore ? { dataStore } : {}) }, dossier, component, request.body.from, request.log);
      if ('problem' in resolved) return sendProblem(reply, resolved.problem);
      const outcome = await sendDossierCommand(
        { db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log: request.log },
        { type: 'AttachComponentFile', commandId: commandIdFor(request, randomUUID), actor: callerOf(request).actor, dossierCode: dossier.code, componentId, file: resolved.file, origin: resolved.origin, approve: true },
      );
      if (outcome.kind === 'unknown-dossier') return dossierNotFound(reply, dossier.code);
      if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
      return {
        ...commandAnswer(reply, dossier.code, outcome.answer),
        componentId,
        file: { sha256: resolved.file.sha256, size: resolved.file.size, mediaType: resolved.file.mediaType },
        origin: resolved.origin,
      };
    },
  );
};
