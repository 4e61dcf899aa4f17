/**
 * A command the rules refuse. `code` is stable (clients branch on it), `message` says what was
 * wrong and what to do, and `rule` names where the rule comes from so anyone can check it.
 */
export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  readonly rule: string;
  /** The command field at fault, when there is one. */
  readonly field?: string;
}

export type DomainErrorCode = 'COMMAND_FOR_ANOTHER_DOSSIER' | 'DOSSIER_ALREADY_RECEIVED' | 'DOSSIER_CODE_MISMATCH';

export type Decision<E> = { readonly ok: true; readonly events: readonly E[] } | { readonly ok: false; readonly error: DomainError };

export function accept<E>(...events: E[]): Decision<E> {
  return { ok: true, events };
}

export function refuse<E>(error: DomainError): Decision<E> {
  return { ok: false, error };
}
