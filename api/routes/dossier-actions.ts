// GET /dossiers/:code/actions: the commands the caller may send to a dossier now, and those of their
// role the rules refuse now with the rule that refuses them. The dossier's rules decide both
// (domain/dossier/command-availability.ts, the decider's own preconditions), from the dossier's
// events in the log at this moment, so the staff console offers what the rules would take and
// holds no rule of its own.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { availableCommands, PERSON_COMMANDS } from '../../domain/dossier/command-availability.js';
import { DOMAIN_ERROR_CODES } from '../../domain/dossier/errors.js';
import { foldDossier, newDossier } from '../../domain/dossier/state.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { asMirrorEvent, isMirrorStream } from '../../domain/mirror/events.js';
import { foldMirror, mirrorStatusWord, newMirror } from '../../domain/mirror/mirror-state.js';
import { mirroredDossierProblem } from '../mirror-refusal.js';
import { readStream } from '../../db/event-store.js';
import type { Database } from '../../db/schema.js';
import { callerOf, DOSSIER_READERS } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { problemSchema } from '../problem-details.js';
import { dossierCodeParams } from '../request-schemas.js';
import { COMMAND_PATHS } from './dossier-commands.js';
import { dossierNotFound, notYourDossier } from './dossiers.js';

export interface DossierActionRoutesDeps {
  readonly db: Kysely<Database>;
}

const commandPath = z.enum(PERSON_COMMANDS.map((type) => COMMAND_PATHS[type]) as [string, ...string[]]).describe('The command route to send it to: POST /dossiers/{code}/<command>');
const commandType = z.enum(PERSON_COMMANDS).describe('The command type, as the dossier events and docs/lifecycle.md name it');

export const dossierActions = z
  .object({
    dossierCode: z.string(),
    status: z.string().describe('The dossier status the actions were worked out for'),
    streamVersion: z.number().int().describe('The stream version they were worked out at (also the ETag): send it as If-Match with the command'),
    actions: z
      .array(
        z.object({
          command: commandPath,
          type: commandType,
          steps: z.array(z.string()).optional().describe('For a command on a step: the steps in progress the caller may act on'),
          consultations: z.array(z.string()).optional().describe('For a consultation reply: the open consultations the caller may answer'),
        }),
      )
      .describe("The commands the caller may send now. Each may still be refused for what it carries (a missing component, an appointment outside office hours), never for the caller's role, agency, the dossier's status or the step named"),
    unavailable: z
      .array(
        z.object({
          command: commandPath,
          type: commandType,
          code: z.enum(DOMAIN_ERROR_CODES).describe('The code the command would be refused with now (docs/errors.md)'),
          message: z.string().describe('Why, and what to do'),
          rule: z.string().describe('The legal rule that refuses it'),
        }),
      )
      .describe("The commands of the caller's role that the rules refuse now, with the refusal they would get; commands of other roles are in neither list"),
    mirroredFrom: z.string().optional().describe("On a mirror of a dossier handled on a ministry's own system: that system. Nothing is available; every command of the caller's role is refused with DOSSIER_MIRRORED"),
  })
  .meta({
    examples: [
      {
        dossierCode: '000.20.99.H99-260302-0001',
        status: 'in-processing',
        streamVersion: 7,
        actions: [
          { command: 'complete-step', type: 'CompleteStep', steps: ['land-registration'] },
          { command: 'send-step-back', type: 'SendStepBack', steps: ['land-registration'] },
          { command: 'consult', type: 'ConsultBody', steps: ['land-registration'] },
          { command: 'request-supplement', type: 'RequestSupplement', steps: ['land-registration'] },
          { command: 'request-financial-obligation', type: 'RequestFinancialObligation', steps: ['land-registration'] },
          { command: 'record-payment', type: 'RecordPayment' },
        ],
        unavailable: [
          {
            command: 'record-consultation-reply',
            type: 'RecordConsultationReply',
            code: 'CONSULTATION_NOT_FOUND',
            message: 'Dossier 000.20.99.H99-260302-0001 has no consultation none.',
            rule: 'Each consultation is logged with its content and deadline (Decree 61/2018 art. 19(5))',
          },
          {
            command: 'record-lateness-explanation',
            type: 'RecordLatenessExplanation',
            code: 'DOSSIER_NOT_LATE',
            message: 'Dossier 000.20.99.H99-260302-0001 is not late: its appointment in force is 2026-03-30T01:00:00.000Z. RecordLatenessExplanation is for a dossier past it; before that, an apology with a new appointment (form 04, POST /dossiers/{code}/issue-apology) extends it.',
            rule: 'Accountability explanation: the agency responsible for an overdue dossier explains it in writing to the head of the agency (2026 commune plans, after Decree 118/2025/NĐ-CP)',
          },
        ],
      },
    ],
  });

export const dossierActionRoutes: FastifyPluginAsyncZod<DossierActionRoutesDeps> = async (app, { db }) => {
  app.get(
    '/dossiers/:code/actions',
    {
      schema: {
        summary: "The commands the caller may send to the dossier now (and those of their role refused now, with the rule): the staff console's actions",
        tags: ['dossiers'],
        params: dossierCodeParams,
        response: { 200: dossierActions, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { code } = request.params;
      const stored = await readStream(db, code);
      if (stored.length === 0) return dossierNotFound(reply, code);
      const caller = callerOf(request);
      if (!(await agencyTakesPart(db, caller, code))) return notYourDossier(reply, code);
      const streamVersion = stored.at(-1)!.streamVersion;
      reply.header('etag', `"${streamVersion}"`);
      if (isMirrorStream(stored[0]?.type)) {
        // A mirror of a dossier handled on a ministry's system: nothing here, each command of the
        // caller's role refused with the reason (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere).
        const mirror = foldMirror(newMirror(code), stored.map(asMirrorEvent));
        const system = mirror.status === 'mirrored' ? mirror.system : 'another system';
        const problem = mirroredDossierProblem(code, system);
        return {
          dossierCode: code,
          status: mirror.status === 'mirrored' ? mirrorStatusWord(mirror.facts.status, mirror.facts.acceptedAt !== undefined) : 'received',
          streamVersion,
          actions: [],
          unavailable: PERSON_COMMANDS.filter((type) => (COMMAND_ROLES[type] as readonly string[]).includes(caller.actor.role)).map((type) => ({
            command: COMMAND_PATHS[type],
            type,
            code: 'DOSSIER_MIRRORED' as const,
            message: problem.detail,
            rule: problem.rule ?? '',
          })),
          mirroredFrom: system,
        };
      }
      const state = foldDossier(newDossier(code), stored.map(asDossierEvent));
      const { available, unavailable } = availableCommands(state, caller.actor, { now: new Date().toISOString() });
      return {
        dossierCode: code,
        status: state.status,
        streamVersion,
        actions: available.map(({ type, steps, consultations }) => ({
          command: COMMAND_PATHS[type],
          type,
          ...(steps ? { steps: [...steps] } : {}),
          ...(consultations ? { consultations: [...consultations] } : {}),
        })),
        unavailable: unavailable.map(({ type, refusal }) => ({ command: COMMAND_PATHS[type], type, code: refusal.code, message: refusal.message, rule: refusal.rule })),
      };
    },
  );
};
