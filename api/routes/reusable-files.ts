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
import { applicantFiles, applicantResults, dossierApplicant, lookUpFile, lookUpResult, storedDocumentFacts } from '../../db/reusable-files.js';
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
import { foldDossier, isReceived, NATIONAL_PORTAL_STATUS, newDossier } from '../../domain/dossier/state.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { type FileOrigin, fileOriginSchema, sha256HexSchema, type StoredFile } from '../../domain/files/file-model.js';
import { lineText } from '../../domain/text.js';
import { type DataStore, type DataStorePaper, DataStoreUnavailable } from '../../integrations/data-store/port.js';
import { callerOf, forbidden } from '../auth/access.js';
import { sendDossierCommand } from '../commands/send-dossier-command.js';
import { commandIdFor } from '../idempotency.js';
import { codedProblem, problemSchema, ruleRefused, sendProblem } from '../problem-details.js';
import { dossierCodeParams, idempotencyKeySchema, resultCodeSchema } from '../request-schemas.js';
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

/** A file from the e-data store is checked like an upload: these types by their bytes, at most this size. */
const DATA_STORE_MAX_BYTES = 20 * 1024 * 1024;

const dossierCodeText = lineText(100).min(1);

const earlierDossierRef = z.object({ kind: z.literal('earlier-dossier'), dossierCode: dossierCodeText, componentId: componentIdSchema, sha256: sha256HexSchema }).describe('An approved, current file of another dossier of the same applicant');
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
type ReuseReference = z.infer<typeof reuseReference>;

const fileFacts = z.object({ sha256: z.string(), size: z.number().int().nullable(), mediaType: z.string().nullable(), pages: z.number().int().optional() });
const candidateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('earlier-dossier'), from: earlierDossierRef, procedureCode: z.string(), approvedAt: z.string(), file: fileFacts }),
  z.object({ kind: z.literal('issued-result'), from: issuedResultRef, dossierCode: z.string(), procedureCode: z.string(), issuedAt: z.string(), file: fileFacts }),
  z.object({ kind: z.literal('data-store'), from: dataStoreRef, documentName: z.string(), fileName: z.string() }),
]);

const reusableResponse = z.object({
  dossierCode: z.string(),
  procedureCode: z.string(),
  dataStore: z.enum(['not-configured', 'available', 'unavailable']).describe("Whether the applicant's e-data store was asked and answered; its failure never fails the listing"),
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

  const storeQuery = (dossier: DossierContext, codes: readonly string[]) => ({
    ownerIdentityNumber: dossier.applicant.identityNumber,
    requesterName: dossier.applicant.fullName,
    requesterIdentityNumber: dossier.applicant.identityNumber,
    channel: 'counter' as const,
    procedureCode: dossier.procedureCode,
    documentCodes: codes.map((code) => ({ code })),
  });

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
      let storeState: 'not-configured' | 'available' | 'unavailable' = dataStore ? 'available' : 'not-configured';
      let papers: DataStorePaper[] = [];
      if (dataStore && storeCodes.length > 0) {
        try {
          papers = await dataStore.papers(storeQuery(dossier, storeCodes));
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
      const resolved = await resolve(dossier, component, request.body.from, request.log);
      if ('problem' in resolved) return sendProblem(reply, resolved.problem);
      const outcome = await sendDossierCommand(
        { db, temporal: deps.temporal, taskQueue: deps.taskQueue, commandTimeoutMs: deps.commandTimeoutMs, log: request.log },
        { type: 'AttachComponentFile', commandId: commandIdFor(request, randomUUID), actor: callerOf(request).actor, dossierCode: dossier.code, componentId, file: resolved.file, origin: resolved.origin, approve: true },
      );
      if (outcome.kind === 'unknown-dossier') return dossierNotFound(reply, dossier.code);
      if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
      const status = outcome.answer.status === 'none' ? 'received' : outcome.answer.status;
      reply.header('etag', `"${outcome.answer.streamVersion}"`);
      return {
        dossierCode: dossier.code,
        status,
        portalStatus: NATIONAL_PORTAL_STATUS[status],
        streamVersion: outcome.answer.streamVersion,
        events: [...outcome.answer.events],
        componentId,
        file: { sha256: resolved.file.sha256, size: resolved.file.size, mediaType: resolved.file.mediaType },
        origin: resolved.origin,
      };
    },
  );

  type Resolved = { readonly file: StoredFile; readonly origin: FileOrigin } | { readonly problem: ReturnType<typeof ruleRefused> };

  const notFound = (detail: string): Resolved => ({ problem: ruleRefused('REUSE_SOURCE_NOT_FOUND', detail, { errors: [{ field: 'body.from', message: detail }] }) });
  const otherApplicant = (what: string): Resolved => ({ problem: ruleRefused('REUSE_OTHER_APPLICANT', `${what} belongs to another applicant than this dossier's; only the applicant's own data is reused.`, { errors: [{ field: 'body.from', message: 'another applicant' }] }) });

  /** The stored file a reference names, if it is the applicant's and may be reused; nothing is recorded here. */
  async function resolve(dossier: DossierContext, component: Component, from: ReuseReference, log: { warn: (object: object, message: string) => void }): Promise<Resolved> {
    if (from.kind === 'earlier-dossier') {
      if (from.dossierCode === dossier.code) return notFound(`Reuse takes a file of another dossier of the applicant, not of ${dossier.code} itself.`);
      if (from.componentId !== component.id) return notFound(`A file of component ${from.componentId} does not stand for ${component.id}: reuse takes the same component of the same procedure.`);
      const lookup = await lookUpFile(db, dossier.hash, from);
      if ('otherApplicant' in lookup) return otherApplicant(`Dossier ${from.dossierCode}`);
      if ('missing' in lookup || lookup.found.procedureCode !== dossier.procedureCode) {
        return notFound(`Dossier ${from.dossierCode} has no approved, current file ${from.sha256} of ${from.componentId} for procedure ${dossier.procedureCode} that this applicant may reuse.`);
      }
      const stored = await storedDocumentFacts(db, from.sha256);
      if (!stored) return notFound(`The file ${from.sha256} is not in the document store.`);
      const file = lookup.found;
      return { file: { sha256: file.sha256, size: file.size, mediaType: file.mediaType as StoredFile['mediaType'], ...(file.pages !== null ? { pages: file.pages } : {}) }, origin: { kind: 'earlier-dossier', dossierCode: file.dossierCode, componentId: file.componentId } };
    }
    if (from.kind === 'issued-result') {
      const lookup = await lookUpResult(db, dossier.hash, from.resultCode);
      if ('otherApplicant' in lookup) return otherApplicant(`Result ${from.resultCode}`);
      if ('missing' in lookup) return notFound(`No result ${from.resultCode} was issued by this engine.`);
      const result = lookup.found;
      if (result.dossierCode === dossier.code) return notFound(`Result ${from.resultCode} is this dossier's own.`);
      const stored = await storedDocumentFacts(db, result.sha256);
      if (!stored) return notFound(`The file of result ${from.resultCode} is not in the document store.`);
      const mediaType = (result.mediaType ?? stored.mediaType) as StoredFile['mediaType'];
      return { file: { sha256: result.sha256, size: result.size ?? stored.size, mediaType }, origin: { kind: 'issued-result', dossierCode: result.dossierCode, resultCode: result.resultCode } };
    }
    if (!dataStore) return { problem: ruleRefused('DATA_STORE_NOT_CONFIGURED', 'This engine is not connected to the national portal’s e-data store (MOTCUA_DATA_STORE_URL is unset).') };
    if (!(component.dataStoreCodes ?? []).includes(from.documentCode)) {
      return notFound(`The procedure does not accept a paper of kind ${from.documentCode} from the e-data store for ${component.id}${component.dataStoreCodes?.length ? `; it accepts ${component.dataStoreCodes.join(', ')}` : ''}.`);
    }
    try {
      // Asked again, for this applicant: the store, not the caller, says the paper is theirs.
      const papers = await dataStore.papers(storeQuery(dossier, [from.documentCode]));
      const paper = papers.find((candidate) => candidate.keeper === from.keeper && candidate.documentCode === from.documentCode && candidate.files.some((file) => file.path === from.path));
      if (!paper) return notFound("The applicant's e-data store holds no such paper for them.");
      const fetched = await dataStore.file({ keeper: from.keeper, path: from.path }, DATA_STORE_MAX_BYTES);
      const checked = await receiveStoreFile(deps.store, fetched.bytes);
      if ('refused' in checked) return { problem: ruleRefused('DATA_STORE_FILE_REFUSED', checked.refused) };
      const name = paper.files.find((file) => file.path === from.path)?.name;
      return {
        file: { ...checked, ...(name ? { name: name.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 255).trim() || undefined } : {}) },
        origin: { kind: 'data-store', store: 'national-portal', documentCode: paper.documentCode, ...(paper.documentNumber ? { documentNumber: paper.documentNumber.slice(0, 200) } : {}), keeper: paper.keeper.slice(0, 500) },
      };
    } catch (error) {
      if (!(error instanceof DataStoreUnavailable)) throw error;
      log.warn({ dossierCode: dossier.code, reason: error.reason }, 'the e-data store did not answer a reuse');
      return { problem: codedProblem('DATA_STORE_UNAVAILABLE', `The e-data store did not answer (${error.reason}); nothing was recorded. Try again later, or attach a scan of the paper.`) };
    }
  }
};

/**
 * Stores and checks a file from the e-data store as an upload is checked: its type judged by its
 * bytes (PDF, JPEG, PNG), at most 20 MiB. The one place that will call the file pipeline's
 * receiveFile (documents/files/receive-file.ts) once it is on main:
 *   receiveFile(store, Readable.from(bytes), DEFAULT_FILE_RULES)
 * which also counts a PDF's pages and parses it.
 */
export async function receiveStoreFile(store: DocumentStore, bytes: Buffer): Promise<StoredFile | { refused: string }> {
  if (bytes.byteLength === 0) return { refused: 'The e-data store sent an empty file.' };
  if (bytes.byteLength > DATA_STORE_MAX_BYTES) return { refused: `The e-data store's file is larger than ${DATA_STORE_MAX_BYTES} bytes.` };
  const mediaType = sniff(bytes);
  if (!mediaType) return { refused: "The e-data store's file is not a PDF, JPEG or PNG by its bytes." };
  const stored = await store.put(bytes, mediaType);
  return { sha256: stored.sha256, size: stored.size, mediaType };
}

function sniff(bytes: Buffer): StoredFile['mediaType'] | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}
