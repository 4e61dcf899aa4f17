import { describe, expect, it } from 'vitest';
import { catchUp, type LoggedEvent } from '../../domain/dossier/catch-up.js';
import type { DossierCommand } from '../../domain/dossier/commands.js';
import { newDossier } from '../../domain/dossier/state.js';
import { actor, CENTRE, completeComponents, DossierScenario, ECONOMY, LAND_PROCEDURE, pinned } from '../support/dossier-fixtures.js';

// A workflow run that fell behind its dossier's log folds the missing events: the state, the
// answers to the commands that wrote them, and the documents they call for that the log lacks.

const reception = actor('reception', CENTRE);

/** The scenario's commands as the log holds them: each event with its version and command id. */
function logOf(dossier: DossierScenario, plays: readonly [DossierCommand, string][]): LoggedEvent[] {
  const logged: LoggedEvent[] = dossier.events.map((event, index) => ({ streamVersion: index + 1, globalPosition: 100 + index, commandId: 'receive', event }));
  for (const [command, local] of plays) {
    for (const event of dossier.play(command, local)) {
      logged.push({ streamVersion: logged.length + 1, globalPosition: 100 + logged.length, commandId: command.commandId, event });
    }
  }
  return logged;
}

function issued(dossier: DossierScenario, documentId: string, forVersion: number): DossierCommand {
  return {
    type: 'RecordDocumentIssued',
    commandId: `document/${documentId}`,
    dossierCode: dossier.dossierCode,
    actor: { userId: 'document-issuer', role: 'system', agencyCode: CENTRE },
    kind: 'form-01',
    documentId,
    number: '01/TNHS',
    forVersion,
    issuerAgencyCode: CENTRE,
    issuedAt: '2026-03-02T02:00:00.000Z',
    file: { sha256: 'b'.repeat(64), size: 1000, mediaType: 'application/pdf' },
    signature: { valid: true, reasons: [], coversWholeDocument: true },
  };
}

describe('catching up with the log', () => {
  it('folds what a run never saw into the state the log implies, and answers each command as it was answered', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    const accept = dossier.command('AcceptDossier', reception, { components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) });
    const logged = logOf(dossier, [[accept, '2026-03-02T09:00:00']]);

    const caught = catchUp(dossier.dossierCode, newDossier(dossier.dossierCode), 0, logged, { counts: {}, waiting: [] });

    expect(caught.state).toEqual(dossier.state);
    expect(caught.streamVersion).toBe(logged.length);
    expect(caught.outcomes.map(([commandId, outcome]) => [commandId, outcome.streamVersion, outcome.status, outcome.events])).toEqual([
      ['receive', 1, 'received', ['DossierReceived']],
      [accept.commandId, logged.length, 'in-processing', logged.slice(1).map((entry) => entry.event.type)],
    ]);
    expect(caught.outcomes[1]![1].globalPositions).toEqual(logged.slice(1).map((entry) => entry.globalPosition));
  });

  it('queues the documents the new events call for, except those the log shows issued or the run already holds', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    const supplement = dossier.command('RequestSupplementAtReception', reception, { missing: [{ componentId: 'application', description: 'Đơn đăng ký', reason: 'Thiếu chữ ký' }] });
    const provided = dossier.command('ProvideSupplement', reception, { components: [] });
    const accept = dossier.command('AcceptDossier', reception, { components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) });
    const logged = logOf(dossier, [
      [supplement, '2026-03-02T08:45:00'],
      [provided, '2026-03-03T09:00:00'],
      [accept, '2026-03-03T09:30:00'],
    ]);
    const acceptedAt = logged.find((entry) => entry.event.type === 'DossierAccepted')!.streamVersion;
    logged.push(...logOf(dossier, [[issued(dossier, `${dossier.dossierCode}/form-01/1`, acceptedAt), '2026-03-03T09:31:00']]).slice(logged.length));

    // From the start: form 02 was never issued, form 01 was.
    const fromStart = catchUp(dossier.dossierCode, newDossier(dossier.dossierCode), 0, logged, { counts: {}, waiting: [] });
    expect(fromStart.documents).toEqual([{ kind: 'form-02', documentId: `${dossier.dossierCode}/form-02/1`, forVersion: 2 }]);

    // From after the supplement request, with its form 02 waiting in the run: nothing new to issue.
    const behind = fromStart.outcomes.find(([commandId]) => commandId === supplement.commandId)![1].streamVersion;
    const partial = catchUp(dossier.dossierCode, stateAt(dossier, logged, behind), behind, logged.slice(behind), { counts: { 'form-02': 1 }, waiting: [`${dossier.dossierCode}/form-02/1`] });
    expect(partial.documents).toEqual([]);
    expect(partial.state).toEqual(dossier.state);
  });

  it('numbers the documents of the new events after those the run has issued or queued', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    const supplement = dossier.command('RequestSupplementAtReception', reception, { missing: [{ componentId: 'application', description: 'Đơn đăng ký', reason: 'Thiếu chữ ký' }] });
    const behind = logOf(dossier, [[supplement, '2026-03-02T08:45:00']]);
    const accept = dossier.command('AcceptDossier', reception, { components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) });
    const officer = actor('officer', ECONOMY);
    const logged = logOf(dossier, [
      [dossier.command('ProvideSupplement', reception, { components: [] }), '2026-03-03T09:00:00'],
      [accept, '2026-03-03T09:30:00'],
      [dossier.command('RequestSupplement', officer, { stepId: 'commune-verification', missing: [{ description: 'Sơ đồ thửa đất', reason: 'Không khớp hiện trạng' }] }), '2026-03-04T09:00:00'],
    ]);
    // The run saw the first request and still holds its form 02 in the queue.
    const caught = catchUp(dossier.dossierCode, stateAt(dossier, logged, behind.length), behind.length, logged.slice(behind.length), {
      counts: { 'form-02': 1 },
      waiting: [`${dossier.dossierCode}/form-02/1`],
    });
    const versionOf = (type: string) => logged.find((entry) => entry.event.type === type)!.streamVersion;
    expect(caught.documents).toEqual([
      { kind: 'form-01', documentId: `${dossier.dossierCode}/form-01/1`, forVersion: versionOf('DossierAccepted') },
      { kind: 'form-02', documentId: `${dossier.dossierCode}/form-02/2`, forVersion: versionOf('SupplementRequested') },
    ]);
  });

  it('folds events no command id names without inventing an answer for them', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    const accept = dossier.command('AcceptDossier', reception, { components: completeComponents(LAND_PROCEDURE), pinned: pinned(LAND_PROCEDURE) });
    const logged = logOf(dossier, [[accept, '2026-03-02T09:00:00']]).map(({ commandId, ...entry }) => (commandId === 'receive' ? entry : { ...entry, commandId }));
    const caught = catchUp(dossier.dossierCode, newDossier(dossier.dossierCode), 0, logged, { counts: {}, waiting: [] });
    expect(caught.state).toEqual(dossier.state);
    expect(caught.outcomes.map(([commandId]) => commandId)).toEqual([accept.commandId]);
  });

  it('refuses a log that does not follow on from the run’s version', () => {
    const dossier = DossierScenario.received(LAND_PROCEDURE);
    const logged = logOf(dossier, []);
    expect(() => catchUp(dossier.dossierCode, newDossier(dossier.dossierCode), 1, logged, { counts: {}, waiting: [] })).toThrow(/expected version 2, the log gave 1/);
  });
});

function stateAt(dossier: DossierScenario, logged: readonly LoggedEvent[], version: number) {
  return catchUp(dossier.dossierCode, newDossier(dossier.dossierCode), 0, logged.slice(0, version), { counts: {}, waiting: [] }).state;
}
