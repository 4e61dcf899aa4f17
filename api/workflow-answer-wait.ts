// How long an HTTP request waits for its dossier's workflow to answer a command (an HTTP wait, not
// a legal deadline: those are the legal clock's). Temporal holds an update until a worker runs the
// workflow: with every worker down (or a workflow stuck on a bad task) the client would poll for the
// outcome indefinitely and the caller's request would hang with it. Past the wait the caller gets a
// 503 it can act on; the update may still be applied later, which is
// why the answer says to retry under the same Idempotency-Key (the command id, which the workflow
// deduplicates) rather than that nothing happened.
import { type Client, isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

export const DEFAULT_COMMAND_TIMEOUT_MS = 20_000;

const GRPC_DEADLINE_EXCEEDED = 4;

/** The workflow did not answer a command in time; its outcome is unknown. */
export class CommandNotAnswered extends Error {
  constructor(
    readonly timeoutMs: number,
    /** The dossier the command was for; for a reception, the code this attempt allocated. */
    readonly dossierCode: string,
    readonly reception: boolean,
    options: { cause: unknown },
  ) {
    super(`the dossier's workflow did not answer within ${timeoutMs} ms`, options);
    this.name = 'CommandNotAnswered';
  }
}

/** Sends a command (a Temporal update) and waits at most `timeoutMs` for its outcome. */
export async function answeredWithin<T>(temporal: Client, timeoutMs: number, command: { readonly dossierCode: string; readonly reception: boolean }, send: () => Promise<T>): Promise<T> {
  try {
    return await temporal.withDeadline(Date.now() + timeoutMs, send);
  } catch (error) {
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (isGrpcServiceError(error) && error.code === GRPC_DEADLINE_EXCEEDED)) {
      throw new CommandNotAnswered(timeoutMs, command.dossierCode, command.reception, { cause: error });
    }
    throw error;
  }
}
