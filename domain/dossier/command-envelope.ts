// The envelope every dossier command carries, and the builders of a command's schema from its own
// fields: shared by the command groups (commands.ts, and each later group in its own module).
import { z } from 'zod';
import { freeText, lineText } from '../text.js';
import { actorSchema } from './actor.js';

export const commandEnvelope = {
  /** Unique per command: the Temporal update id and the causation id of the events it produces. */
  commandId: lineText(500).min(1),
  actor: actorSchema,
  /** Optimistic concurrency: the stream version the sender saw (If-Match); refused if it moved on. */
  expectedStreamVersion: z.number().int().nonnegative().optional(),
  /**
   * The stream version the engine's read model showed when the API sent the command. The read model
   * commits with the events, so a workflow run behind it knows to catch up with the log first.
   */
  loggedVersion: z.number().int().nonnegative().optional(),
};

export const onDossier = {
  type: z.string(),
  ...commandEnvelope,
  dossierCode: lineText(100).min(1),
};

/** A command on a received dossier: the envelope, its type, then its own fields. */
export function dossierCommand<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ ...onDossier, type: z.literal(type), ...shape });
}

/** A command on one step of the route in progress. */
export function stepCommand<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return dossierCommand(type, { stepId: lineText(200).min(1), ...shape });
}

// Free text a person wrote: one rule for what it may hold (domain/text.ts), line breaks allowed.
export const text = (max: number) => freeText({ max, multiline: true });

