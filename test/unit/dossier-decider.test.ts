import { describe, expect, it } from 'vitest';
import type { ReceiveDossier } from '../../domain/dossier/commands.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { foldDossier, NATIONAL_PORTAL_STATUS, newDossier } from '../../domain/dossier/state.js';

// Given events, when a command, then events or a refusal: the rules without any infrastructure.
const DOSSIER = '000.00.31.H38-260216-0001';

function given(...events: DossierEvent[]) {
  const state = foldDossier(newDossier(DOSSIER), events);
  return { when: (command: ReceiveDossier) => decideDossier(state, command, { now: command.receivedAt }) };
}

const receive = (overrides: Partial<ReceiveDossier> = {}): ReceiveDossier => ({
  type: 'ReceiveDossier',
  commandId: 'cmd-1',
  actor: { userId: 'reception-1', role: 'reception', agencyCode: '000.00.31.H38' },
  dossierCode: '000.00.31.H38-260216-0001',
  agencyCode: '000.00.31.H38',
  procedureCode: '1.001193',
  channel: 'counter',
  applicant: { kind: 'citizen', fullName: 'Lê Văn Cường', identityNumber: '001090012345' },
  // 09:15 in Hà Nội on 16 February 2026.
  receivedAt: '2026-02-16T02:15:00.000Z',
  ...overrides,
});

describe('receiving a dossier', () => {
  it('records DossierReceived with what reception registered', () => {
    const decision = given().when(receive());
    expect(decision).toEqual({
      ok: true,
      events: [
        {
          type: 'DossierReceived',
          schemaVersion: 1,
          data: {
            dossierCode: '000.00.31.H38-260216-0001',
            agencyCode: '000.00.31.H38',
            procedureCode: '1.001193',
            channel: 'counter',
            applicant: { kind: 'citizen', fullName: 'Lê Văn Cường', identityNumber: '001090012345' },
            receivedAt: '2026-02-16T02:15:00.000Z',
          },
        },
      ],
    });
  });

  it('leaves the dossier received, which the national portal shows as status 1', () => {
    const decision = given().when(receive());
    if (!decision.ok) throw new Error('expected the dossier to be received');
    const state = foldDossier(newDossier(DOSSIER), decision.events);
    expect(state.status).toBe('received');
    expect(NATIONAL_PORTAL_STATUS.received).toBe(1);
  });

  it('refuses to receive the same dossier twice', () => {
    const first = given().when(receive());
    if (!first.ok) throw new Error('expected the first reception to succeed');
    const again = given(...first.events).when(receive({ commandId: 'cmd-2' }));
    expect(again).toMatchObject({ ok: false, error: { code: 'DOSSIER_ALREADY_RECEIVED' } });
  });

  it("refuses a code that is not the receiving agency's", () => {
    const decision = given().when(receive({ agencyCode: '000.00.32.H38', actor: { userId: 'reception-2', role: 'reception', agencyCode: '000.00.32.H38' } }));
    expect(decision).toMatchObject({ ok: false, error: { code: 'DOSSIER_CODE_MISMATCH', field: 'dossierCode' } });
  });

  it('lets only reception of the receiving centre (or the portal) receive', () => {
    expect(given().when(receive({ agencyCode: '000.00.32.H38' }))).toMatchObject({ ok: false, error: { code: 'NOT_THE_RECEIVING_CENTRE', field: 'agencyCode' } });
    expect(given().when(receive({ actor: { userId: 'kiemtoan', role: 'auditor', agencyCode: '000.00.31.H38' } }))).toMatchObject({ ok: false, error: { code: 'ROLE_NOT_ALLOWED' } });
  });

  it('refuses a code dated other than the reception day in Vietnam', () => {
    // 17:30 UTC on 16 February is already 17 February in Hà Nội.
    const decision = given().when(receive({ receivedAt: '2026-02-16T17:30:00.000Z' }));
    expect(decision).toMatchObject({ ok: false, error: { code: 'DOSSIER_CODE_MISMATCH' } });
  });

  it('refuses a command that names another dossier than the one it was sent to', () => {
    const decision = given().when(receive({ dossierCode: '000.00.31.H38-260216-0002' }));
    expect(decision).toMatchObject({ ok: false, error: { code: 'COMMAND_FOR_ANOTHER_DOSSIER', field: 'dossierCode' } });
  });

  it('names the rule and its legal source when it refuses', () => {
    const decision = given().when(receive({ receivedAt: '2026-03-01T02:00:00.000Z' }));
    expect(decision.ok).toBe(false);
    if (!decision.ok) expect(decision.error.rule).toMatch(/Circular 01\/2018/);
  });
});
