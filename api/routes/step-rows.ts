// A step of the route as the reads answer it: a row of the control slip (form 06), with what an
// outside system that carries the step out said and returned (docs/integrations.md#interagency).
// Shared by GET /dossiers/{code}/control-slip and the steps of GET /dossiers/{code}.
import { z } from 'zod';
import type { ControlSlipRow } from '../../db/control-slip.js';
import { INTERAGENCY_SYSTEMS, type InteragencySystem } from '../../domain/interagency/systems.js';

export const registrationSchema = z.object({ system: z.enum(INTERAGENCY_SYSTEMS), number: z.string(), book: z.string().optional() });

export const slipRow = z.object({
  stepId: z.string(),
  run: z.number().int(),
  stageIndex: z.number().int(),
  fromAgencyCode: z.string(),
  toAgencyCode: z.string(),
  task: z.string(),
  receivedAt: z.string(),
  dueAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.string(),
  handlerUserId: z.string().nullable(),
  allottedMinutes: z.number().nullable(),
  usedMinutes: z.number().nullable(),
  mark: z.enum(['early', 'on-time', 'late']).nullable().describe('trước hạn / đúng hạn / quá hạn'),
  system: z.enum(INTERAGENCY_SYSTEMS).nullable().describe("The outside system that carries the step out (docs/integrations.md#interagency); null: the body's officers in the engine"),
  handedOffAt: z.string().nullable().describe('When the engine handed the step over to the system (form 06)'),
  answeredAt: z.string().nullable().describe("When the system's answer ended the step (completed, refused or sent back); null when it has not, or an officer did"),
  externalReference: z.string().nullable().describe("The system's own reference for the step, when it gave one"),
  progress: z.object({ status: z.string(), at: z.string() }).nullable().describe("The system's last progress report"),
  resultFile: z
    .object({ sha256: z.string(), size: z.number().int(), mediaType: z.string(), pages: z.number().int().optional(), name: z.string().optional() })
    .nullable()
    .describe('The file the system returned with its answer (stored like any upload)'),
  registration: registrationSchema.nullable().describe('Civil status: the number (and book) under which the system recorded the registration'),
});

/** A control-slip row as the API answers it (GET /dossiers/{code}/control-slip, and the steps of GET /dossiers/{code}). */
export function slipRowOf(row: ControlSlipRow): z.infer<typeof slipRow> {
  return {
    stepId: row.step_id,
    run: row.run,
    stageIndex: row.stage_index,
    fromAgencyCode: row.from_agency_code,
    toAgencyCode: row.to_agency_code,
    task: row.task,
    receivedAt: row.received_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    status: row.status,
    handlerUserId: row.handler_user_id,
    allottedMinutes: row.allotted_minutes === null ? null : Number(row.allotted_minutes),
    usedMinutes: row.used_minutes === null ? null : Number(row.used_minutes),
    mark: row.mark as 'early' | 'on-time' | 'late' | null,
    system: row.system as InteragencySystem | null,
    handedOffAt: row.handed_off_at?.toISOString() ?? null,
    answeredAt: row.answered_at?.toISOString() ?? null,
    externalReference: row.external_reference,
    progress: row.progress_status !== null && row.progress_at !== null ? { status: row.progress_status, at: row.progress_at.toISOString() } : null,
    resultFile: row.result_file,
    registration: row.registration ? { ...row.registration, system: row.registration.system as InteragencySystem } : null,
  };
}

