import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes the dossier workflow sets, so operators can find dossiers in the Temporal
// UI and CLI. A server must have them registered: the dev launcher does it at start-up, and
// docs/operations.md shows the command for a production server.
export const AGENCY_CODE = defineSearchAttributeKey('MotcuaAgencyCode', SearchAttributeType.KEYWORD);
export const PROCEDURE_CODE = defineSearchAttributeKey('MotcuaProcedureCode', SearchAttributeType.KEYWORD);
export const DOSSIER_STATUS = defineSearchAttributeKey('MotcuaDossierStatus', SearchAttributeType.KEYWORD);

export const DOSSIER_SEARCH_ATTRIBUTES = [AGENCY_CODE, PROCEDURE_CODE, DOSSIER_STATUS];

/** The attributes a dossier's workflow starts with (at reception, or resumed by an operator). */
export function dossierSearchAttributes(dossier: { readonly agencyCode: string; readonly procedureCode: string; readonly status: string }) {
  return [
    { key: AGENCY_CODE, value: dossier.agencyCode },
    { key: PROCEDURE_CODE, value: dossier.procedureCode },
    { key: DOSSIER_STATUS, value: dossier.status },
  ];
}
