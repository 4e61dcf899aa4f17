// The rules of a dossier's files: attached at reception or with a supplement by the receiving
// centre, approved as the digitised copy, replaced never changed; what the reports derive from them.
import { describe, expect, it } from 'vitest';
import type { ReceiveDossier } from '../../domain/dossier/commands.js';
import { digitisedComponents, reusedComponents } from '../../domain/dossier/component-files.js';
import type { FileOrigin, StoredFile } from '../../domain/files/file-model.js';
import { deciderSpec } from '../support/decider-spec.js';
import { DossierHistory } from '../support/dossier-history.js';
import { actor, CENTRE, CENTRE_B, LAND_PROCEDURE } from '../support/dossier-fixtures.js';

const pdf = (digit: string): StoredFile => ({ sha256: digit.repeat(64), size: 1234, mediaType: 'application/pdf', pages: 2 });
const reception = actor('reception', CENTRE);

function attach(history: DossierHistory, fields: { componentId?: string; file?: StoredFile; approve?: boolean; replaces?: string; origin?: FileOrigin }, by = reception) {
  return history.command('AttachComponentFile', by, { componentId: fields.componentId ?? 'application', file: fields.file ?? pdf('a'), origin: fields.origin ?? { kind: 'upload' }, approve: fields.approve ?? false, ...(fields.replaces ? { replaces: fields.replaces } : {}) });
}

describe('attaching a component file', () => {
  it('records the file, its origin and that it waits for approval', () => {
    const history = DossierHistory.received(LAND_PROCEDURE);
    const outcome = deciderSpec(history.dossierCode).given(...history.events).when(attach(history, {}), '2026-03-02T08:40:00').then([
      { type: 'ComponentFileAttached', schemaVersion: 1, data: { at: '2026-03-02T01:40:00.000Z', componentId: 'application', file: pdf('a'), origin: { kind: 'upload' }, approved: false } },
    ]);
    expect(digitisedComponents(outcome.received.files ?? []).size).toBe(0);
  });

  it('makes the component digitised once approved, and a reused file counts as reuse and approved', () => {
    const history = DossierHistory.received(LAND_PROCEDURE);
    const spec = deciderSpec(history.dossierCode);
    const attached = spec.given(...history.events).when(attach(history, {}), '2026-03-02T08:40:00').then([expect.anything()] as never);
    const approved = spec.given(...history.events, ...attached.events).when(history.command('ApproveComponentFile', reception, { componentId: 'application', sha256: 'a'.repeat(64) }), '2026-03-02T08:41:00');
    const after = approved.thenMatches([{ type: 'ComponentFileApproved', data: { componentId: 'application', sha256: 'a'.repeat(64) } }]);
    expect([...digitisedComponents(after.received.files ?? [])]).toEqual(['application']);
    const reused = spec
      .given(...history.events)
      .when(attach(history, { componentId: 'identity', file: pdf('c'), origin: { kind: 'earlier-dossier', dossierCode: `${CENTRE}-260101-0001`, componentId: 'identity' } }), '2026-03-02T08:42:00')
      .thenMatches([{ type: 'ComponentFileAttached', data: { approved: true } }]);
    expect([...reusedComponents(reused.received.files ?? [])]).toEqual(['identity']);
    expect([...digitisedComponents(reused.received.files ?? [])]).toEqual(['identity']);
  });

  it('replaces a file by naming it; the replaced one no longer counts', () => {
    const history = DossierHistory.received(LAND_PROCEDURE);
    const spec = deciderSpec(history.dossierCode);
    const first = spec.given(...history.events).when(attach(history, { approve: true }), '2026-03-02T08:40:00').thenMatches([{ data: { approved: true } }]);
    const second = spec.given(...history.events, ...first.events).when(attach(history, { file: pdf('b'), replaces: 'a'.repeat(64) }), '2026-03-02T08:45:00').thenMatches([{ data: { replaces: 'a'.repeat(64) } }]);
    expect(second.received.files?.map((file) => [file.sha256[0], file.replacedBy?.[0]])).toEqual([['a', 'b'], ['b', undefined]]);
    expect(digitisedComponents(second.received.files ?? []).size).toBe(0);
    spec.given(...history.events, ...first.events, ...second.events).when(history.command('ApproveComponentFile', reception, { componentId: 'application', sha256: 'a'.repeat(64) }), '2026-03-02T08:46:00').thenRefused('COMPONENT_FILE_NOT_FOUND');
  });

  it.each([
    ['the same file twice', 'FILE_ALREADY_ATTACHED', (history: DossierHistory) => attach(history, {}), true],
    ['a replacement of a file that is not there', 'COMPONENT_FILE_NOT_FOUND', (history: DossierHistory) => attach(history, { file: pdf('b'), replaces: 'f'.repeat(64) }), false],
    ['a file claimed to come from a portal', 'FILE_ORIGIN_NOT_ALLOWED', (history: DossierHistory) => attach(history, { origin: { kind: 'portal', portal: 'dvcqg' } }), false],
    ['an officer attaching', 'ROLE_NOT_ALLOWED', (history: DossierHistory) => attach(history, {}, actor('officer', CENTRE)), false],
    ['another centre attaching', 'NOT_THE_RECEIVING_CENTRE', (history: DossierHistory) => attach(history, {}, actor('reception', CENTRE_B)), false],
  ] as const)('refuses %s', (_name, code, command, attachFirst) => {
    const history = DossierHistory.received(LAND_PROCEDURE);
    const spec = deciderSpec(history.dossierCode);
    const before = attachFirst ? spec.given(...history.events).when(attach(history, {}), '2026-03-02T08:40:00').then([expect.anything()] as never).events : [];
    spec.given(...history.events, ...before).when(command(history), '2026-03-02T08:50:00').thenRefused(code);
  });

  it('refuses a file after acceptance outside a supplement, and a component the pinned procedure lacks', () => {
    const accepted = DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00');
    deciderSpec(accepted.dossierCode).given(...accepted.events).when(attach(accepted, {}), '2026-03-02T09:10:00').thenRefused('COMMAND_OUT_OF_ORDER');
    const waiting = DossierHistory.received(LAND_PROCEDURE).accepted('2026-03-02T09:00:00').stageStarted(0, '2026-03-02T09:00:00', CENTRE);
    const stepId = waiting.state.steps[0]!.stepId;
    waiting.supplementRequested(stepId, '2026-03-03T09:00:00', [{ description: 'Bản sao giấy tờ', reason: 'Thiếu' }]);
    const spec = deciderSpec(waiting.dossierCode).given(...waiting.events);
    spec.when(attach(waiting, { componentId: 'passport' }), '2026-03-04T09:00:00').thenRefused('UNKNOWN_COMPONENT');
    spec.when(attach(waiting, {}), '2026-03-04T09:00:00').thenMatches([{ type: 'ComponentFileAttached' }]);
  });
});

describe('a reception with files', () => {
  const history = DossierHistory.none(`${CENTRE}-260302-0001`, LAND_PROCEDURE);
  const portal = { ...actor('portal', CENTRE), userId: 'dvcqg' };
  const command = (fields: Partial<ReceiveDossier>): ReceiveDossier => ({
    type: 'ReceiveDossier',
    commandId: 'c-1',
    actor: portal,
    dossierCode: history.dossierCode,
    agencyCode: CENTRE,
    procedureCode: LAND_PROCEDURE,
    channel: 'online',
    applicant: { kind: 'citizen', fullName: 'Lê Văn Cường', identityNumber: '001090012345' },
    receivedAt: '2026-03-02T01:30:00.000Z',
    submission: { portal: 'dvcqg', portalDossierId: 'G22.99-260302-0001', submittedAt: '2026-03-01T14:00:00.000Z' },
    files: [
      { componentId: 'application', file: pdf('a'), origin: { kind: 'portal', portal: 'dvcqg' } },
      { componentId: 'identity', file: { ...pdf('b'), mediaType: 'image/jpeg' }, origin: { kind: 'portal', portal: 'dvcqg' } },
    ],
    ...fields,
  });

  it('lands the dossier and its files together, waiting for approval', () => {
    const outcome = deciderSpec(history.dossierCode).given().when(command({}), '2026-03-02T08:30:00');
    const after = outcome.thenMatches([
      { type: 'DossierReceived', data: { channel: 'online', submission: { portalDossierId: 'G22.99-260302-0001' } } },
      { type: 'ComponentFileAttached', data: { componentId: 'application', approved: false, at: '2026-03-02T01:30:00.000Z' } },
      { type: 'ComponentFileAttached', data: { componentId: 'identity', approved: false } },
    ]);
    expect(after.received.files).toHaveLength(2);
  });

  it('refuses all of it when one file repeats, and a portal sending a counter dossier', () => {
    const spec = deciderSpec(history.dossierCode).given();
    const files = command({}).files!;
    spec.when(command({ files: [...files, files[0]!] }), '2026-03-02T08:30:00').thenRefused('FILE_ALREADY_ATTACHED', { field: 'files.2.componentId' });
    spec.when(command({ channel: 'counter' }), '2026-03-02T08:30:00').thenRefused('ONLINE_SUBMISSION_REQUIRED', { field: 'channel' });
    const { submission: _none, ...withoutSubmission } = command({});
    spec.when(withoutSubmission, '2026-03-02T08:30:00').thenRefused('ONLINE_SUBMISSION_REQUIRED', { field: 'submission' });
  });
});
