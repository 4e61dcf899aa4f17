import { formatDossierCode, parseDossierCode } from './dossier-code.js';
import type { DossierCommand, ReceiveDossier } from './commands.js';
import { vietnamDateOf } from '../calendar/vietnam-time.js';
import { accept, refuse, type Decision } from './errors.js';
import type { DossierEvent } from './events.js';
import type { DossierState } from './state.js';

/** The dossier's rules: the events a command causes in a state, or the rule that refuses it. */
export function decideDossier(state: DossierState, command: DossierCommand): Decision<DossierEvent> {
  if (command.dossierCode !== state.dossierCode) {
    return refuse({
      code: 'COMMAND_FOR_ANOTHER_DOSSIER',
      message: `This command names dossier ${command.dossierCode} but was sent to dossier ${state.dossierCode}; send it to the dossier it names.`,
      rule: 'One event stream per dossier, written only by that dossier (motcua architecture, invariant 1)',
      field: 'dossierCode',
    });
  }
  switch (command.type) {
    case 'ReceiveDossier':
      return receive(state, command);
  }
}

function receive(state: DossierState, command: ReceiveDossier): Decision<DossierEvent> {
  if (state.status !== 'none') {
    return refuse({
      code: 'DOSSIER_ALREADY_RECEIVED',
      message: `Dossier ${state.dossierCode} was already received on ${state.receivedAt}; a dossier is received once. Act on the existing dossier instead.`,
      rule: 'One dossier code per dossier, the same for every party and channel (Decree 61/2018 art. 26)',
    });
  }
  const parts = parseDossierCode(command.dossierCode);
  const expectedPrefix = formatDossierCode({
    agencyCode: command.agencyCode,
    receptionDate: vietnamDateOf(new Date(command.receivedAt)),
    serial: parts?.serial ?? 1,
  });
  if (!parts || expectedPrefix !== command.dossierCode) {
    return refuse({
      code: 'DOSSIER_CODE_MISMATCH',
      message: `Dossier code ${command.dossierCode} does not match the receiving agency ${command.agencyCode} and the reception date; allocate the code for this agency and day.`,
      rule: 'Dossier code = receiving agency code, reception date YYMMDD, daily serial (Circular 01/2018/TT-VPCP art. 19)',
      field: 'dossierCode',
    });
  }
  return accept({
    type: 'DossierReceived',
    schemaVersion: 1,
    data: {
      dossierCode: command.dossierCode,
      agencyCode: command.agencyCode,
      procedureCode: command.procedureCode,
      channel: command.channel,
      applicant: command.applicant,
      receivedAt: command.receivedAt,
    },
  });
}
