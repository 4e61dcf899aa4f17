// What GET /dossiers/{code} shows of a mirror beyond the summary: the facts its source last pushed,
// with the processing history (QuaTrinhXuLy), for the console to show it as handled elsewhere.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { readStream } from '../../db/event-store.js';
import type { Database } from '../../db/schema.js';
import { asMirrorEvent } from '../../domain/mirror/events.js';
import { foldMirror, newMirror } from '../../domain/mirror/mirror-state.js';

export const mirrorViewSchema = z.object({
  system: z.string().describe('The ministry system that handles the dossier and pushes it'),
  notice: z.object({ en: z.string(), vi: z.string() }).describe('Why it takes no commands here, to show with it'),
  sourceUpdatedAt: z.string().describe("The source's revision the mirror holds"),
  mirroredAt: z.string().describe('When the engine first recorded it'),
  revisions: z.number().int().describe('Revisions recorded, the first push included'),
  procedureName: z.string().nullable(),
  fieldCode: z.string().nullable(),
  handlingUnitName: z.string().nullable(),
  submittedAt: z.string(),
  acceptedAt: z.string().nullable(),
  appointmentAt: z.string().nullable(),
  refusedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  resolution: z.enum(['result', 'refused', 'withdrawn']).nullable(),
  returnMethod: z.enum(['counter', 'post']).nullable(),
  feeBearing: z.boolean().nullable(),
  paidOnline: z.boolean().nullable(),
  digitised: z.boolean().nullable(),
  eResult: z.boolean().nullable(),
  progress: z.array(z.object({ at: z.string(), unitName: z.string(), handlerName: z.string().nullable(), action: z.string(), status: z.number().int() })).describe('QuaTrinhXuLy, oldest first'),
});
export type MirrorView = z.infer<typeof mirrorViewSchema>;

export async function mirrorView(db: Kysely<Database>, dossierCode: string): Promise<MirrorView | null> {
  const state = foldMirror(newMirror(dossierCode), (await readStream(db, dossierCode)).map(asMirrorEvent));
  if (state.status !== 'mirrored') return null;
  const { facts } = state;
  return {
    system: state.system,
    notice: {
      en: `Handled in ${state.system}; this is a read-only mirror for the province's follow-up and reports. Act there.`,
      vi: `Hồ sơ được giải quyết trên hệ thống ${state.system}; đây là bản đồng bộ chỉ để theo dõi và thống kê. Vui lòng xử lý trên hệ thống đó.`,
    },
    sourceUpdatedAt: state.sourceUpdatedAt,
    mirroredAt: state.mirroredAt,
    revisions: state.revisions,
    procedureName: facts.procedureName ?? null,
    fieldCode: facts.fieldCode ?? null,
    handlingUnitName: facts.handlingUnitName ?? null,
    submittedAt: facts.submittedAt,
    acceptedAt: facts.acceptedAt ?? null,
    appointmentAt: facts.appointmentAt ?? null,
    refusedAt: facts.refusedAt ?? null,
    finishedAt: facts.finishedAt ?? null,
    returnedAt: facts.returnedAt ?? null,
    resolution: facts.resolution ?? null,
    returnMethod: facts.returnMethod ?? null,
    feeBearing: facts.feeBearing ?? null,
    paidOnline: facts.paidOnline ?? null,
    digitised: facts.digitised ?? null,
    eResult: facts.eResult ?? null,
    progress: facts.progress.map((row) => ({ at: row.at, unitName: row.unitName, handlerName: row.handlerName ?? null, action: row.action, status: row.status })),
  };
}
