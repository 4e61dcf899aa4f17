// The actions offered agree with the decider, on dossiers walked by random valid command sequences
// from the sample procedures, for every role at every agency of the fixtures and every command a
// person sends: an action refused here is refused by the decider with the same refusal, and an
// action offered (on each step or consultation it names) is never refused by a precondition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatVietnamInstant, parseInstant } from '../../domain/calendar/civil-day.js';
import { ROLES, type Actor } from '../../domain/dossier/actor.js';
import { availableCommands, PERSON_COMMANDS, type PersonCommandType } from '../../domain/dossier/command-availability.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import type { DomainErrorCode } from '../../domain/dossier/errors.js';
import { evolveDossier, type ReceivedDossier } from '../../domain/dossier/state.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, DossierScenario, ECONOMY, LAND_OFFICE, LAND_PROCEDURE, TAX_OFFICE } from '../support/dossier-fixtures.js';
import { wellFormedCommand, type CommandSubject } from '../support/well-formed-commands.js';

// 40 walks per property in `npm test`; FAST_CHECK_RUNS=2000 for a deeper search before a release.
const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 40);

/** Every role at every agency the sample routes meet, and one that takes part in nothing. */
const ACTORS: readonly Actor[] = ROLES.flatMap((role) => [CENTRE, ECONOMY, LAND_OFFICE, TAX_OFFICE, '000.04.01.H99'].map((agencyCode) => actor(role, agencyCode)));

/** The codes the preconditions give: none of them may refuse an action that was offered. */
const PRECONDITION_CODES: ReadonlySet<DomainErrorCode> = new Set<DomainErrorCode>([
  'DOSSIER_NOT_RECEIVED',
  'DOSSIER_CLOSED',
  'COMMAND_OUT_OF_ORDER',
  'ROLE_NOT_ALLOWED',
  'NOT_THE_RECEIVING_CENTRE',
  'NOT_THE_COMPETENT_AGENCY',
  'NOT_THE_RESPONSIBLE_AGENCY',
  'STEP_NOT_IN_HAND',
  'AGENCY_DOES_NOT_HOLD_STEP',
  'NO_PREVIOUS_STAGE',
  'SUPPLEMENT_ALREADY_REQUESTED',
  'SUPPLEMENT_REQUEST_TOO_LATE',
  'CONSULTATION_NOT_FOUND',
  'CONSULTATION_ALREADY_ANSWERED',
  'STEPS_NOT_COMPLETED',
  'EXTENSION_ALREADY_GRANTED',
  'EXTENSION_TOO_LATE',
  'WITHDRAWAL_TOO_LATE',
  'EVALUATION_ALREADY_RECORDED',
  'EVALUATION_NOT_OPEN',
  'DOSSIER_NOT_LATE',
  'LATENESS_APOLOGY_ALREADY_ISSUED',
  'EXPLANATION_ALREADY_RECORDED',
]);

/** How far the clock moves before a move: not at all, half an hour, a morning, a day, three days, a week. */
const PAUSES_MINUTES = [0, 30, 240, 1440, 4320, 10080] as const;

/** The commands that take a dossier along its route, which a walk favours so it gets far. */
const ALONG_THE_ROUTE: ReadonlySet<PersonCommandType> = new Set(['AcceptDossier', 'ProvideSupplement', 'CompleteStep', 'RecordConsultationReply', 'IssueResult', 'ReturnResult']);

interface Move {
  readonly pause: number;
  /** Pick among the commands along the route, when any is offered. */
  readonly along: boolean;
  readonly pick: number;
  readonly variant: number;
}
const moveArbitrary: fc.Arbitrary<Move> = fc.record({
  pause: fc.integer({ min: 0, max: PAUSES_MINUTES.length - 1 }),
  along: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
  pick: fc.nat(),
  variant: fc.integer({ min: 1, max: 10 }),
});

interface Offer {
  readonly actor: Actor;
  readonly type: PersonCommandType;
  readonly subject: CommandSubject;
}

/** Every command some actor is offered now, on each step or consultation it names. */
function offers(state: ReceivedDossier, now: string): Offer[] {
  return ACTORS.flatMap((who) =>
    availableCommands(state, who, { now }).available.flatMap(({ type, steps, consultations }) =>
      steps ? steps.map((stepId) => ({ actor: who, type, subject: { stepId } })) : consultations ? consultations.map((consultationId) => ({ actor: who, type, subject: { consultationId } })) : [{ actor: who, type, subject: {} }],
    ),
  );
}

/** Checks that what every actor is offered and refused at `now` is what the decider says. */
function agreesWithDecider(state: ReceivedDossier, now: string): void {
  for (const who of ACTORS) {
    const { available, unavailable } = availableCommands(state, who, { now });
    for (const type of PERSON_COMMANDS) {
      const offered = available.find((entry) => entry.type === type);
      const refused = unavailable.find((entry) => entry.type === type);
      const where = `${type} by ${who.role}@${who.agencyCode} on a ${state.status} dossier at ${now}`;
      expect(offered !== undefined && refused !== undefined, `${where}: both offered and refused`).toBe(false);
      if (refused) {
        const decision = decideDossier(state, wellFormedCommand(state, type, who, { stepId: refused.stepId, consultationId: refused.consultationId }, now), { now });
        expect(decision.ok ? 'accepted' : decision.error, `${where}: refused for ${refused.refusal.code}`).toEqual(refused.refusal);
      } else if (offered) {
        const subjects: CommandSubject[] = offered.steps?.map((stepId) => ({ stepId })) ?? offered.consultations?.map((consultationId) => ({ consultationId })) ?? [{}];
        for (const subject of subjects) {
          const decision = decideDossier(state, wellFormedCommand(state, type, who, subject, now), { now });
          if (!decision.ok) expect(PRECONDITION_CODES.has(decision.error.code), `${where} ${JSON.stringify(subject)}: offered, refused for ${decision.error.code}: ${decision.error.message}`).toBe(false);
        }
      } else {
        // Neither offered nor refused: a command the role may not send, which the decider refuses.
        const decision = decideDossier(state, wellFormedCommand(state, type, who, {}, now), { now });
        expect(decision.ok, `${where}: not the role's, yet accepted`).toBe(false);
      }
    }
  }
}

describe('the actions offered agree with the decider', () => {
  it.each([
    ['a land-use certificate (four agencies on the route)', LAND_PROCEDURE],
    ['a household business registration (one step)', BUSINESS_PROCEDURE],
  ])('on every dossier a random valid sequence reaches: %s', (_name, procedureCode) => {
    fc.assert(
      fc.property(fc.array(moveArbitrary, { minLength: 1, maxLength: 30 }), (moves) => {
        const scenario = DossierScenario.received(procedureCode);
        let state = scenario.received;
        let moment = parseInstant(state.receivedAt);
        agreesWithDecider(state, formatVietnamInstant(moment));
        for (const move of moves) {
          moment += PAUSES_MINUTES[move.pause]! * 60_000;
          const now = formatVietnamInstant(moment);
          const all = offers(state, now);
          const along = all.filter((offer) => ALONG_THE_ROUTE.has(offer.type) || (offer.type === 'RecordPayment' && state.pendingObligation !== undefined));
          const open = move.along && along.length > 0 ? along : all;
          if (open.length === 0) break;
          const offer = open[move.pick % open.length]!;
          const decision = decideDossier(state, wellFormedCommand(state, offer.type, offer.actor, offer.subject, now, move.variant), { now });
          // An offered command may still be refused for its payload; the walk then goes on without it.
          if (decision.ok) state = decision.events.reduce((folded, event) => evolveDossier(folded, event) as ReceivedDossier, state);
          agreesWithDecider(state, now);
        }
      }),
      { numRuns: RUNS },
    );
  }, 30_000 + RUNS * 1_000);
});
