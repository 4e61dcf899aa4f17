// PUT /mirrors/{dossierCode}: a ministry's system pushes a dossier it handles on its own system, to
// be held here as a read-only mirror (Decree 224/2026 art. 15(1)(h);
// docs/integrations.md#mirrors-of-dossiers-handled-elsewhere). Only a `ministry-system` token
// opens it, within its scope (units, procedures). Idempotent on the source's revision: 201 for the
// first push, 200 for an update or a resend, with the mirror's stream version.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { storeMirrorPush } from '../../db/mirror-store.js';
import type { Database } from '../../db/schema.js';
import { mirrorPushSchema } from '../../domain/mirror/push.js';
import { callerOf, forbidden, MINISTRY_SYSTEM_ACCESS } from '../auth/access.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams } from '../request-schemas.js';

export interface MirrorRoutesDeps {
  readonly db: Kysely<Database>;
  /** For the search by the applicant's identity number (db/projections/applicant-search.ts). */
  readonly applicantKey?: string;
}

/** The largest push: a dossier's facts and up to 500 progress rows fit in far less. */
export const MIRROR_BODY_LIMIT = 1024 * 1024;

const pushAnswer = z.object({
  dossierCode: z.string(),
  outcome: z.enum(['mirrored', 'updated', 'unchanged']).describe('mirrored: first push (201); updated: a newer revision recorded; unchanged: this revision was already held, nothing recorded'),
  streamVersion: z.number().int().describe("The mirror's stream version (also the ETag)"),
  changed: z.array(z.string()).describe('The facts the push changed (updated only)'),
});

const EXAMPLE = {
  sourceUpdatedAt: '2026-12-03T10:15:00+07:00',
  procedureCode: '1.001612',
  procedureName: 'Cấp giấy phép lái xe',
  agencyCode: '000.00.31.H38',
  handlingUnitName: 'Sở Xây dựng',
  channel: 'online',
  applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345' },
  submittedAt: '2026-12-01T08:30:00+07:00',
  acceptedAt: '2026-12-01T09:00:00+07:00',
  appointmentAt: '2026-12-08T17:00:00+07:00',
  status: 4,
  paidOnline: true,
  progress: [{ at: '2026-12-01T09:00:00+07:00', unitName: 'Sở Xây dựng', action: 'Tiếp nhận hồ sơ', status: 2 }],
};

/** The level-1 group of a QCVN 102:2016 identifier (its last group: the province or ministry). */
const levelOneOf = (unit: string): string => unit.slice(unit.lastIndexOf('.') + 1);

export const mirrorRoutes: FastifyPluginAsyncZod<MirrorRoutesDeps> = async (app, { db, applicantKey }) => {
  app.put(
    '/mirrors/:code',
    {
      bodyLimit: MIRROR_BODY_LIMIT,
      schema: {
        summary: "Mirror a dossier handled on a ministry's own system (read-only here; counted in the province's reports)",
        description:
          "For a ministry-system token only, within its units and procedures. Send the dossier whole each time, with the source's sourceUpdatedAt: the same revision again records nothing (200 unchanged), an older one is refused (409 MIRROR_REVISION_STALE), a change of procedure, unit, channel or submission time is refused (422 MIRROR_IMMUTABLE_CHANGED). docs/integrations.md#mirrors-of-dossiers-handled-elsewhere.",
        tags: ['mirrors'],
        // The national dossier code format (MaHoSo, <MaDinhDanh>-YYMMDD-NNNN…), as the portal sync requires: read by the same routes as the engine's own.
        params: dossierCodeParams,
        body: mirrorPushSchema.meta({ examples: [EXAMPLE] }),
        response: { 200: pushAnswer, 201: pushAnswer, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 413: problemSchema, 422: problemSchema, 429: problemSchema },
      },
      config: { access: MINISTRY_SYSTEM_ACCESS },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const scope = caller.ministry;
      if (!scope) return forbidden(reply, 'Only a ministry system’s token may push mirrors.');
      const push = request.body;
      const dossierCode = request.params.code;
      if (!scope.units.includes(push.agencyCode)) {
        return sendProblem(reply, codedProblem('MIRROR_SCOPE_UNIT', `${scope.system} may mirror dossiers of ${scope.units.join(', ')}, not of ${push.agencyCode}. Nothing was recorded.`, { errors: [{ field: 'body.agencyCode', message: 'is outside the token’s units' }] }));
      }
      // The code's own unit (its MaDinhDanh, before the first '-') is the source's: a ministry's
      // system numbers its dossiers under its own identifier (G01.BCA-…). A code under a unit of
      // the province (same level-1 group of QCVN 102:2016, the last one: H38) must be one the token
      // may mirror: otherwise it would take, and reserve the serial of, another unit's code.
      const codeUnit = dossierCode.slice(0, dossierCode.indexOf('-'));
      if (codeUnit !== push.agencyCode && !scope.units.includes(codeUnit) && scope.units.some((unit) => levelOneOf(unit) === levelOneOf(codeUnit))) {
        return sendProblem(reply, codedProblem('MIRROR_SCOPE_UNIT', `${dossierCode} is numbered under ${codeUnit}, a unit of the province outside ${scope.system}'s units (${scope.units.join(', ')}). Nothing was recorded. Push the dossier under the code your system gave it (under your own identifier or one of your units).`, { errors: [{ field: 'params.code', message: 'names a unit outside the token’s units' }] }));
      }
      if (scope.procedures !== 'all' && !scope.procedures.includes(push.procedureCode)) {
        return sendProblem(reply, codedProblem('MIRROR_SCOPE_PROCEDURE', `${scope.system} may not mirror procedure ${push.procedureCode}. Nothing was recorded.`, { errors: [{ field: 'body.procedureCode', message: 'is outside the token’s procedures' }] }));
      }
      const outcome = await storeMirrorPush(db, { dossierCode, push, system: scope.system, userId: caller.actor.userId, correlationId: request.id, ...(applicantKey ? { applicantKey } : {}) });
      if (outcome.outcome === 'refused') {
        const { code, message, field } = outcome.refusal;
        return sendProblem(reply, codedProblem(code, message, field ? { errors: [{ field: `body.${field}`, message }] } : {}));
      }
      request.log.info({ dossierCode, system: scope.system, outcome: outcome.outcome, streamVersion: outcome.streamVersion }, 'mirror push');
      reply.header('etag', `"${outcome.streamVersion}"`);
      if (outcome.outcome === 'mirrored') reply.code(201).header('location', `/dossiers/${dossierCode}`);
      return { dossierCode, outcome: outcome.outcome, streamVersion: outcome.streamVersion, changed: outcome.outcome === 'unchanged' ? [] : [...outcome.changed] };
    },
  );
};
