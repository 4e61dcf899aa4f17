// Given events, when a command, then the events it causes or the rule that refuses it: the dossier's
// rules tested the way Emmett's DeciderSpecification tests a decider, with no infrastructure and no
// commands played to set the scene. The given events are facts (test/support/dossier-history.ts
// writes them); only the command under test goes through the decider.
import { expect } from 'vitest';
import type { DossierCommand } from '../../domain/dossier/commands.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import type { DomainError, DomainErrorCode } from '../../domain/dossier/errors.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { foldDossier, newDossier, type DossierState, type ReceivedDossier } from '../../domain/dossier/state.js';

/** A Vietnam local time (`2026-03-02T09:00:00`) or an instant with its offset, as the decider's ISO `now`. */
export function instant(time: string): string {
  const withOffset = /(Z|[+-]\d{2}:\d{2})$/.test(time) ? time : `${time}+07:00`;
  return new Date(withOffset).toISOString();
}

export interface Outcome {
  /** The events the command caused. */
  readonly events: readonly DossierEvent[];
  /** The dossier after the given events and these. */
  readonly state: DossierState;
  /** The same, for a dossier that was received. */
  readonly received: ReceivedDossier;
}

function outcomeOf(before: DossierState, events: readonly DossierEvent[]): Outcome {
  const state = foldDossier(before, events);
  return {
    events,
    state,
    get received(): ReceivedDossier {
      if (state.status === 'none') throw new Error('the dossier was never received');
      return state;
    },
  };
}

export function deciderSpec(dossierCode: string) {
  return {
    given(...events: readonly DossierEvent[]) {
      const state = foldDossier(newDossier(dossierCode), events);
      return {
        /** The dossier the given events leave, before any command. */
        state,
        when(command: DossierCommand, time: string) {
          const decision = decideDossier(state, command, { now: instant(time), streamVersion: events.length });
          const accepted = (): readonly DossierEvent[] => {
            if (!decision.ok) throw new Error(`${command.type} at ${time} was refused: ${decision.error.code}: ${decision.error.message}`);
            return decision.events;
          };
          return {
            /** Exactly these events, in this order. */
            then(expected: readonly DossierEvent[]): Outcome {
              expect(accepted()).toEqual(expected);
              return outcomeOf(state, decision.ok ? decision.events : []);
            },
            /** These events in this order, each with at least the fields given. */
            thenMatches(expected: readonly object[]): Outcome {
              expect(accepted()).toMatchObject(expected);
              return outcomeOf(state, decision.ok ? decision.events : []);
            },
            /** Refused with this code (and, when given, these details of the refusal). */
            thenRefused(code: DomainErrorCode, details: Partial<Record<keyof DomainError, unknown>> = {}): DomainError {
              expect(decision).toMatchObject({ ok: false, error: { code, ...details } });
              if (decision.ok) throw new Error(`${command.type} at ${time} was accepted`);
              return decision.error;
            },
          };
        },
      };
    },
  };
}
