// The process control slip (form 06, phiếu kiểm soát quá trình giải quyết hồ sơ) of a dossier: each
// hand-off in the order it happened.
import type { Kysely, Selectable } from 'kysely';
import type { ControlSlipTable, Database } from './schema.js';

export type ControlSlipRow = Selectable<ControlSlipTable>;

export async function controlSlipOf(db: Kysely<Database>, dossierCode: string): Promise<ControlSlipRow[]> {
  return db.selectFrom('control_slip').selectAll().where('dossier_code', '=', dossierCode).orderBy('received_at').orderBy('step_id').execute();
}
