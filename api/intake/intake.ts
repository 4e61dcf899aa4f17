// An online submission from a portal, from its adapted body to a received dossier
// (docs/portal-intake.md). In order, each refusal leaving nothing behind:
//   1. the channel is online, and the token's scope admits the centre and the procedure (403);
//   2. the catalogues admit the reception (checkReception, as at the counter), the procedure has a
//      version in force, and each component is one of its components;
//   3. every file is staged and checked against its component's rules, then all are committed
//      (content-addressed: bytes without a dossier are harmless orphans, never a dossier's part);
//   4. the portal's dossier id is claimed with a new dossier code, in one transaction
//      (db/portal-submissions.ts): a resend of the same submission replays the first answer, another
//      submission under the same id is refused (409), a claim in flight is driven again with the
//      same command id, so Temporal receives it once;
//   5. the reception starts the dossier's workflow (startReception, as at the counter); a refusal by
//      the dossier's rules releases the claim so a corrected resend is received.
import { createHash } from 'node:crypto';
import type { Caller } from '../auth/token-verifier.js';
import { portalMaySubmit } from '../auth/token-verifier.js';
import { lookupSecretFor } from '../auth/lookup-secret.js';
import { checkReception, newDossierCode, type ReceptionDeps, startReception } from '../commands/receive-dossier.js';
import { codedProblem, type ProblemAnswer } from '../problem-details.js';
import type { ReceptionRequest } from '../../domain/dossier/commands.js';
import type { ComponentFile, PortalSubmission } from '../../domain/dossier/file-commands.js';
import type { Component } from '../../domain/catalogue/procedure.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { claimPortalSubmission, keepPortalAnswer, type PortalSubmissionClaim, releasePortalSubmission } from '../../db/portal-submissions.js';
import { matchComponentName } from './component-names.js';
import { DEFAULT_FILE_RULES, type FileRules } from '../../domain/files/file-rules.js';
import { FileRefused } from '../../documents/files/file-refused.js';
import { IntakePartsMismatch, type StagedIntakeFile } from './intake-files.js';
import type { IntakeFile, IntakeField, IntakeSubmission } from './portal-format.js';

export interface IntakeDeps extends ReceptionDeps {
  readonly store: DocumentStore;
  readonly lookupKey: string;
}

/** A file of the submission, its component resolved, with the rules it is checked against. */
export interface ResolvedFile {
  readonly componentId: string;
  readonly file: IntakeFile;
  readonly rules: FileRules;
}

/** Stages and checks the submission's files, in the order given; a refusal is thrown (FileRefused). */
export type FileStager = (files: readonly ResolvedFile[]) => Promise<StagedIntakeFile[]>;

/** The answer of a received submission, the same for every resend. */
export interface IntakeReceipt {
  readonly dossierCode: string;
  readonly receivedAt: string;
  readonly status: 'received';
  readonly files: readonly { readonly componentId: string; readonly sha256: string; readonly size: number; readonly mediaType: string }[];
  /** The citizen's lookup secret, which the portal relays (derived from the code, never stored). */
  readonly lookupSecret: string;
}

export type IntakeOutcome = { readonly kind: 'received'; readonly replayed: boolean; readonly receipt: IntakeReceipt } | { readonly kind: 'refused'; readonly problem: ProblemAnswer };

export interface Intake {
  readonly caller: Caller;
  /** The format's name (native, dvcqg-th): part of the canonical digest. */
  readonly format: string;
  readonly submission: IntakeSubmission;
  readonly stageFiles: FileStager;
}

export async function receiveOnlineSubmission(deps: IntakeDeps, { caller, format, submission, stageFiles }: Intake): Promise<IntakeOutcome> {
  const scope = caller.portal;
  if (!scope) throw new Error('the intake was reached without a portal token: its access config is wrong');
  const path = (field: string) => submission.fields[field as IntakeField] ?? field;
  const refuse = (problem: ProblemAnswer): IntakeOutcome => ({ kind: 'refused', problem });

  // 1. What the portal may send.
  if (submission.channel !== 'online') {
    return refuse(codedProblem('PORTAL_CHANNEL_NOT_ONLINE', `A portal submits online dossiers only; this one says it came ${submission.channel === 'counter' ? 'at the counter' : 'by post'}. The centre receives those itself.`, { errors: [{ field: path('channel'), message: 'must be online' }] }));
  }
  const may = portalMaySubmit(scope, { unit: submission.agencyCode, procedure: submission.procedureCode });
  if (!may.unit) {
    return refuse(codedProblem('PORTAL_SCOPE_UNIT', `The portal ${scope.portal} may not submit for ${submission.agencyCode}: its token names ${scope.units.length} other centre(s).`, { errors: [{ field: path('agencyCode'), message: "is not one of the portal's units" }] }));
  }
  if (!may.procedure) {
    return refuse(codedProblem('PORTAL_SCOPE_PROCEDURE', `The portal ${scope.portal} may not submit procedure ${submission.procedureCode}: its token does not name it.`, { errors: [{ field: path('procedureCode'), message: "is not one of the portal's procedures" }] }));
  }

  // 2. What the catalogues admit.
  const request: ReceptionRequest = {
    agencyCode: submission.agencyCode,
    procedureCode: submission.procedureCode,
    channel: 'online',
    applicant: submission.applicant,
    ...(submission.locality !== undefined ? { locality: submission.locality } : {}),
  };
  const checked = await checkReception(deps.db, request, path);
  if (!checked.ok) return refuse(checked.problem);
  const procedure = checked.reception.procedure;
  if (!procedure) {
    return refuse(codedProblem('PORTAL_PROCEDURE_NOT_IN_FORCE', `Procedure ${submission.procedureCode} has no version in force today, so its components cannot be checked; the operator loads the version in force (npm run catalogue:load).`, { errors: [{ field: path('procedureCode'), message: 'has no version in force today' }] }));
  }
  const resolved: ResolvedFile[] = [];
  const unknown: { field: string; message: string }[] = [];
  for (const component of submission.components) {
    const found = resolveComponent(component.ref, procedure.components);
    if (!found.ok) {
      unknown.push({ field: component.field, message: found.message });
      continue;
    }
    const rules = found.component.files ?? DEFAULT_FILE_RULES;
    for (const file of component.files) resolved.push({ componentId: found.component.id, file, rules });
  }
  if (unknown.length > 0) {
    const ids = procedure.components.map((component) => `${component.id} (${component.name})`).join('; ');
    return refuse(codedProblem('PORTAL_COMPONENT_UNKNOWN', `${unknown.length === 1 ? 'A component is' : `${unknown.length} components are`} not one of procedure ${procedure.code} version ${procedure.version}'s: ${ids}. Name each by its id or its exact name.`, { errors: unknown }));
  }

  // 3. The files, all checked before any is kept.
  let staged: StagedIntakeFile[];
  try {
    staged = await stageFiles(resolved);
  } catch (error) {
    if (error instanceof FileRefused || error instanceof IntakePartsMismatch) return refuse(codedProblem(error.code, error.message, { errors: [{ field: error.field, message: error.message }] }));
    throw error;
  }
  for (const file of staged) await file.commit();
  const files: ComponentFile[] = staged.map((file, index) => {
    const { componentId, file: sent } = resolved[index]!;
    return { componentId, file: { sha256: file.sha256, size: file.size, mediaType: file.mediaType as ComponentFile['file']['mediaType'], ...(file.pages !== undefined ? { pages: file.pages } : {}), name: sent.name }, origin: { kind: 'portal', portal: scope.portal } };
  });
  const receiptFiles = files.map(({ componentId, file }) => ({ componentId, sha256: file.sha256, size: file.size, mediaType: file.mediaType }));

  // 4. The portal's dossier id, claimed with its dossier code.
  const key = { portal: scope.portal, portalDossierId: submission.portalDossierId };
  const digest = submissionDigest(format, submission, files);
  const { claimed, claim } = await claimPortalSubmission(deps.db, key, digest, async (trx) => ({
    ...(await newDossierCode(trx, submission.agencyCode)),
    commandId: `portal:${scope.portal}:${submission.portalDossierId}`,
  }));
  if (!claimed && claim.submissionDigest !== digest) {
    return refuse(
      codedProblem('PORTAL_SUBMISSION_CONFLICT', `The portal ${scope.portal} already submitted another dossier under the id ${submission.portalDossierId} (dossier ${claim.dossierCode}); a resend must be the same submission. Send a new submission under a new id.`, {
        errors: [{ field: path('portalDossierId'), message: 'names another submission already received' }],
      }),
    );
  }
  if (!claimed && claim.answer !== undefined) return { kind: 'received', replayed: true, receipt: receiptOf(deps.lookupKey, claim.answer as Omit<IntakeReceipt, 'lookupSecret'>) };

  // 5. The reception, once: a claim in flight (or whose process died) is driven again with its command id.
  const portalSubmission: PortalSubmission = {
    portal: scope.portal,
    portalDossierId: submission.portalDossierId,
    submittedAt: submission.submittedAt ?? claim.receivedAt.toISOString(),
    ...(submission.assuranceLevel !== undefined ? { assuranceLevel: submission.assuranceLevel } : {}),
  };
  const outcome = await startReception(deps, {
    checked: checked.reception,
    actor: { userId: caller.actor.userId, role: 'portal', agencyCode: submission.agencyCode },
    dossierCode: claim.dossierCode,
    receivedAt: claim.receivedAt,
    commandId: claim.commandId,
    files,
    submission: portalSubmission,
  });
  if (outcome.kind === 'refused') {
    await releasePortalSubmission(deps.db, key);
    return refuse(outcome.problem);
  }
  const answer = { dossierCode: claim.dossierCode, receivedAt: claim.receivedAt.toISOString(), status: 'received' as const, files: receiptFiles };
  await keepPortalAnswer(deps.db, key, answer);
  deps.log.info({ portal: scope.portal, dossierCode: claim.dossierCode, files: files.length, replayed: !claimed }, 'online submission received');
  return { kind: 'received', replayed: !claimed, receipt: receiptOf(deps.lookupKey, answer) };
}

function receiptOf(lookupKey: string, answer: Omit<IntakeReceipt, 'lookupSecret'>): IntakeReceipt {
  return { ...answer, lookupSecret: lookupSecretFor(lookupKey, answer.dossierCode) };
}

function resolveComponent(ref: IntakeSubmission['components'][number]['ref'], components: readonly Component[]): { ok: true; component: Component } | { ok: false; message: string } {
  if (ref.kind === 'id') {
    const component = components.find((candidate) => candidate.id === ref.componentId);
    return component ? { ok: true, component } : { ok: false, message: `is not a component id of the procedure in force (${components.map((candidate) => candidate.id).join(', ')})` };
  }
  const match = matchComponentName(ref.name, components);
  if (match.ok) return { ok: true, component: components.find((candidate) => candidate.id === match.componentId)! };
  return { ok: false, message: match.reason === 'several' ? 'matches several components of the procedure; send the exact name' : 'matches no component name of the procedure in force, exactly or ignoring case and diacritics' };
}

/**
 * The SHA-256 of the submission as the portal sent it, files by their digests: two posts with the
 * same fields and the same bytes are the same submission, whatever their encoding (base64 or parts).
 */
export function submissionDigest(format: string, submission: IntakeSubmission, files: readonly ComponentFile[]): string {
  let index = 0;
  const canonical = {
    format,
    ...submission,
    fields: undefined,
    components: submission.components.map((component) => ({ ref: component.ref, files: component.files.map((file) => ({ name: file.name, sha256: files[index++]!.file.sha256 })) })),
  };
  return createHash('sha256').update(canonicalJson(canonical)).digest('hex');
}

/** JSON with keys sorted and undefined dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
}
