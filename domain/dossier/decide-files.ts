// The rules of a dossier's files (docs/files.md): the receiving centre attaches a component's file
// at reception or with a supplement, and approves it as the component's digitised copy. The bytes
// were stored and checked by the API before the command; the rules keep the record whole: one
// current file per digest and component, replacements that name what they replace, approvals of
// files that are there.
import { isReuse } from '../files/file-reuse.js';
import type { AttachComponentFile, ApproveComponentFile, ComponentFile } from './file-commands.js';
import { currentFile, type DossierFile } from './component-files.js';
import type { DecisionContext } from './decide.js';
import { firstRefusal, notReceivingCentre, outOfOrder, roleNotAllowed } from './decision-guards.js';
import { accept, type DomainError, refuse, type Decision } from './errors.js';
import type { ComponentFileAttached, DossierEvent } from './events.js';
import type { DossierStatus, ReceivedDossier } from './state.js';

const RULE_FILES = 'The receiving official scans or takes in the papers and approves their digitised copies (Decree 45/2020/NĐ-CP arts. 13–14; Decree 61/2018/NĐ-CP art. 17; docs/files.md)';

/** A file comes with the dossier at reception, or with a supplement the applicant was asked for. */
const ATTACHING_STATUSES: readonly DossierStatus[] = ['received', 'awaiting-supplement-at-reception', 'awaiting-supplement'];

export function decideFiles(state: ReceivedDossier, command: AttachComponentFile | ApproveComponentFile, { now }: DecisionContext): Decision<DossierEvent> {
  const guard = firstRefusal(
    () => roleNotAllowed(command.actor, command.type),
    () => notReceivingCentre(state, command.actor, command.type),
  );
  if (guard) return refuse(guard);
  const files = state.files ?? [];
  if (command.type === 'ApproveComponentFile') {
    const file = currentFile(files, command.componentId, command.sha256);
    if (!file) return refuse(fileNotFound(state, command.componentId, command.sha256, 'sha256'));
    if (file.approved) {
      return refuse({ code: 'FILE_ALREADY_APPROVED', message: `The file ${command.sha256} of ${command.componentId} is already approved.`, rule: RULE_FILES, field: 'sha256' });
    }
    return accept({ type: 'ComponentFileApproved', schemaVersion: 1, data: { at: now, componentId: command.componentId, sha256: command.sha256 } });
  }
  const order = outOfOrder(state, command.type, ATTACHING_STATUSES);
  if (order) return refuse({ ...order, message: `${order.message} Files come with the dossier at reception or with a supplement the applicant was asked for.` });
  if (command.origin.kind === 'portal') {
    return refuse({
      code: 'FILE_ORIGIN_NOT_ALLOWED',
      message: 'Only the portal intake records files as coming from a portal (POST /intake/dossiers); attach an upload or a reused file instead.',
      rule: RULE_FILES,
      field: 'origin.kind',
    });
  }
  const problem = componentFileProblem(state, files, command, 'componentId');
  if (problem) return refuse(problem);
  if (command.replaces !== undefined && !currentFile(files, command.componentId, command.replaces)) {
    return refuse(fileNotFound(state, command.componentId, command.replaces, 'replaces'));
  }
  // A reused file was approved where it came from; a scan the official made may be approved as attached.
  return accept(attached(now, command, command.approve || isReuse(command.origin.kind), command.replaces));
}

/** The events of the files that come with a reception (an online submission's), or the refusal. */
export function receivedFiles(state: ReceivedDossier, files: readonly ComponentFile[], at: string): Decision<ComponentFileAttached> {
  let known: readonly DossierFile[] = [];
  const events: ComponentFileAttached[] = [];
  for (const [index, file] of files.entries()) {
    const problem = componentFileProblem(state, known, file, `files.${index}.componentId`);
    if (problem) return refuse(problem);
    const event = attached(at, file, false);
    events.push(event);
    known = [...known, { componentId: file.componentId, sha256: file.file.sha256, mediaType: file.file.mediaType, size: file.file.size, origin: file.origin.kind, attachedAt: at, approved: false }];
  }
  return accept(...events);
}

function attached(at: string, { componentId, file, origin }: ComponentFile, approved: boolean, replaces?: string): ComponentFileAttached {
  return { type: 'ComponentFileAttached', schemaVersion: 1, data: { at, componentId, file, origin, approved, ...(replaces !== undefined ? { replaces } : {}) } };
}

/** A file names a component of the pinned procedure (once accepted), and is not already there. */
function componentFileProblem(state: ReceivedDossier, files: readonly DossierFile[], { componentId, file }: ComponentFile, field: string): DomainError | null {
  const components = state.accepted?.procedure.components;
  if (components && !components.some((component) => component.id === componentId)) {
    return {
      code: 'UNKNOWN_COMPONENT',
      message: `Procedure ${state.accepted!.procedure.code} (version ${state.accepted!.procedure.version}) has no component ${componentId}; its components are ${components.map((component) => component.id).join(', ')}.`,
      rule: 'The components of the dossier are those the procedure publishes (Decree 63/2010/NĐ-CP art. 8)',
      field,
    };
  }
  if (currentFile(files, componentId, file.sha256)) {
    return {
      code: 'FILE_ALREADY_ATTACHED',
      message: `This exact file (${file.sha256}) is already attached to ${componentId}; a file is attached once. To change it, attach the new file with replaces set to the old one's digest.`,
      rule: RULE_FILES,
      field,
    };
  }
  return null;
}

function fileNotFound(state: ReceivedDossier, componentId: string, sha256: string, field: string): DomainError {
  return {
    code: 'COMPONENT_FILE_NOT_FOUND',
    message: `Dossier ${state.dossierCode} has no current file ${sha256} for ${componentId}; list its files (GET /dossiers/${state.dossierCode}/files) and name one of them.`,
    rule: RULE_FILES,
    field,
  };
}
