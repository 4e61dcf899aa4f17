import { describe, expect, it } from 'vitest';
import type { ReceiveDossier } from '../../domain/dossier/commands.js';
import type { DossierReceived } from '../../domain/dossier/events.js';
import { NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import { deciderSpec } from '../support/decider-spec.js';

// Given events, when a command, then events or a refusal: the rules without any infrastructure.
const DOSSIER = '000.00.31.H38-260216-0001';
const { given } = deciderSpec(DOSSIER);

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

/** What reception registered, as the event records it. */
const RECEIVED: DossierReceived = {
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
};

/** Given no events (a code allocated, nothing happened yet), when reception sends this, decided at its reception time. */
const when = (command: ReceiveDossier) => given().when(command, command.receivedAt);

describe('receiving a dossier', () => {
  it('records DossierReceived with what reception registered', () => {
    when(receive()).then([RECEIVED]);
  });

  it('leaves the dossier received, which the national portal shows as status 1', () => {
    const { received } = when(receive()).then([RECEIVED]);
    expect(received.status).toBe('received');
    expect(NATIONAL_PORTAL_STATUS[received.status]).toBe(1);
  });

  it('refuses to receive the same dossier twice', () => {
    given(RECEIVED).when(receive({ commandId: 'cmd-2' }), receive().receivedAt).thenRefused('DOSSIER_ALREADY_RECEIVED');
  });

  it("refuses a code that is not the receiving agency's", () => {
    when(receive({ agencyCode: '000.00.32.H38', actor: { userId: 'reception-2', role: 'reception', agencyCode: '000.00.32.H38' } })).thenRefused('DOSSIER_CODE_MISMATCH', { field: 'dossierCode' });
  });

  it('lets only reception of the receiving centre (or the portal) receive', () => {
    when(receive({ agencyCode: '000.00.32.H38' })).thenRefused('NOT_THE_RECEIVING_CENTRE', { field: 'agencyCode' });
    when(receive({ actor: { userId: 'kiemtoan', role: 'auditor', agencyCode: '000.00.31.H38' } })).thenRefused('ROLE_NOT_ALLOWED');
  });

  it('refuses a code dated other than the reception day in Vietnam', () => {
    // 17:30 UTC on 16 February is already 17 February in Hà Nội.
    when(receive({ receivedAt: '2026-02-16T17:30:00.000Z' })).thenRefused('DOSSIER_CODE_MISMATCH');
  });

  it('refuses a command that names another dossier than the one it was sent to', () => {
    when(receive({ dossierCode: '000.00.31.H38-260216-0002' })).thenRefused('COMMAND_FOR_ANOTHER_DOSSIER', { field: 'dossierCode' });
  });

  it('names the rule and its legal source when it refuses', () => {
    when(receive({ receivedAt: '2026-03-01T02:00:00.000Z' })).thenRefused('DOSSIER_CODE_MISMATCH', { rule: expect.stringMatching(/Circular 01\/2018/) });
  });
});
