// What a reuse reference names (docs/files.md#reuse), checked before anything is recorded: an
// approved, current file of another dossier of the same applicant (same component of the same
// procedure), a result this engine issued to them, or a paper their e-data store holds for them
// (asked again here: the store, not the caller, says whose it is). The answer is the stored file
// and the origin to record with AttachComponentFile, or the refusal.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { lookUpFile, lookUpResult, storedDocumentFacts } from '../../db/reusable-files.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { FileRefused } from '../../documents/files/file-refused.js';
import { receiveFile } from '../../documents/files/receive-file.js';
import { DEFAULT_FILE_RULES, type FileRules, heldFileMisfit } from '../../domain/files/file-rules.js';
import type { Component } from '../../domain/catalogue/procedure.js';
import type { Applicant } from '../../domain/dossier/commands.js';
import type { FileOrigin, StoredFile } from '../../domain/files/file-model.js';
import { type DataStore, type DataStoreQuery, DataStoreUnavailable } from '../../integrations/data-store/port.js';
import { codedProblem, type ProblemAnswer, ruleRefused } from '../problem-details.js';

export interface ReuseDeps {
  readonly db: Kysely<Database>;
  readonly store: DocumentStore;
  readonly dataStore?: DataStore;
}

/** The dossier that takes the file: its code, procedure, applicant and the applicant's hash. */
export interface ReuseDossier {
  readonly code: string;
  readonly procedureCode: string;
  readonly applicant: Applicant;
  readonly hash: string;
}

export type ReuseReference =
  | { readonly kind: 'earlier-dossier'; readonly dossierCode: string; readonly componentId: string; readonly sha256: string }
  | { readonly kind: 'issued-result'; readonly resultCode: string }
  | { readonly kind: 'data-store'; readonly keeper: string; readonly path: string; readonly documentCode: string; readonly documentNumber?: string | undefined };

/** What the store is asked for the dossier's applicant: reception asks at the counter for them. */
export function dataStoreQuery(dossier: ReuseDossier, codes: readonly string[]): DataStoreQuery {
  return {
    ownerIdentityNumber: dossier.applicant.identityNumber,
    requesterName: dossier.applicant.fullName,
    requesterIdentityNumber: dossier.applicant.identityNumber,
    channel: 'counter',
    procedureCode: dossier.procedureCode,
    documentCodes: codes.map((code) => ({ code })),
  };
}

const notFound = (detail: string): ResolvedReference => ({ problem: ruleRefused('REUSE_SOURCE_NOT_FOUND', detail, { errors: [{ field: 'body.from', message: detail }] }) });
const otherApplicant = (what: string): ResolvedReference => ({ problem: ruleRefused('REUSE_OTHER_APPLICANT', `${what} belongs to another applicant than this dossier's; only the applicant's own data is reused.`, { errors: [{ field: 'body.from', message: 'another applicant' }] }) });

export type ResolvedReference = { readonly file: StoredFile; readonly origin: FileOrigin } | { readonly problem: ProblemAnswer };

/** The stored file a reference names, if it is the applicant's, may be reused and meets the component's rules; nothing is recorded here. */
export async function resolveReuseReference(deps: ReuseDeps, dossier: ReuseDossier, component: Component, from: ReuseReference, log: { warn: (object: object, message: string) => void }): Promise<ResolvedReference> {
  const resolved = await resolveHeld(deps, dossier, component, from, log);
  if ('problem' in resolved || from.kind === 'data-store') return resolved;
  // A file already held is taken as it is: it must be what an upload for this component would have to be.
  const misfit = heldFileMisfit(rulesOf(component), resolved.file);
  if (!misfit) return resolved;
  const detail = `The file ${resolved.file.sha256} cannot stand for ${component.id}: ${misfit}. Attach a scan that meets the component's rules instead.`;
  return { problem: ruleRefused('REUSE_FILE_NOT_ACCEPTED', detail, { errors: [{ field: 'body.from', message: misfit }] }) };
}

function rulesOf(component: Component): FileRules {
  return component.files ?? DEFAULT_FILE_RULES;
}

async function resolveHeld(deps: ReuseDeps, dossier: ReuseDossier, component: Component, from: ReuseReference, log: { warn: (object: object, message: string) => void }): Promise<ResolvedReference> {
  const { db, dataStore } = deps;
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
    const papers = await dataStore.papers(dataStoreQuery(dossier, [from.documentCode]));
    const paper = papers.find((candidate) => candidate.keeper === from.keeper && candidate.documentCode === from.documentCode && candidate.files.some((file) => file.path === from.path));
    if (!paper) return notFound("The applicant's e-data store holds no such paper for them.");
    const fetched = await dataStore.file({ keeper: from.keeper, path: from.path }, rulesOf(component).maxBytes);
    const checked = await receiveStoreFile(deps.store, fetched.bytes, rulesOf(component));
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

/**
 * Stores and checks a file from the e-data store as an upload is checked: the file pipeline's
 * receiveFile (documents/files/receive-file.ts) with the component's rules (by default a PDF, JPEG or
 * PNG by its bytes, 20 MiB, 100 pages; a PDF parsed and its pages counted). A refused file leaves
 * nothing in the store.
 */
export async function receiveStoreFile(store: DocumentStore, bytes: Buffer, rules: FileRules = DEFAULT_FILE_RULES): Promise<StoredFile | { refused: string }> {
  try {
    const inspected = await receiveFile(store, Readable.from([bytes]), rules, { field: 'from' });
    return { sha256: inspected.sha256, size: inspected.size, mediaType: inspected.mediaType, ...(inspected.pages !== undefined ? { pages: inspected.pages } : {}) };
  } catch (error) {
    if (error instanceof FileRefused) return { refused: `The e-data store's file was refused as an upload would be (${error.code}): ${error.message}` };
    throw error;
  }
}
