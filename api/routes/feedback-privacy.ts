// Who reads the sender's contacts on a feedback item (docs/feedback.md#the-senders-data): reception
// and the head of the unit that holds the item (they answer the sender) and the auditors. Everyone
// else who may read the item (its officers, staff of a unit it passed through) sees the phone,
// e-mail and address masked, and for a complaint about staff conduct the name too: the staff member
// it is about may be one of them.
import type { ReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import type { Caller } from '../auth/token-verifier.js';

/** What a masked field reads as. */
export const MASKED = '***';

/** Whether the caller reads the sender's contacts unmasked. */
export function seesSenderContacts(caller: Caller, state: ReceivedFeedback): boolean {
  const { role, agencyCode } = caller.actor;
  if (role === 'auditor') return true;
  return (role === 'reception' || role === 'head') && agencyCode === state.currentAgencyCode;
}

type SenderFields = { readonly fullName: string; readonly email?: string | null; readonly phone?: string | null; readonly address?: string | null };

/** The sender (as the staff view or the reception's event holds them) as the caller may read them. */
export function submitterFor<S extends SenderFields>(caller: Caller, state: ReceivedFeedback, submitter: S): S {
  if (seesSenderContacts(caller, state)) return submitter;
  const hide = <V extends string | null | undefined>(value: V) => (value === undefined || value === null ? value : MASKED);
  const masked = {
    ...submitter,
    fullName: state.category === 'staff-conduct' ? MASKED : submitter.fullName,
    ...('email' in submitter ? { email: hide(submitter.email) } : {}),
    ...('phone' in submitter ? { phone: hide(submitter.phone) } : {}),
    ...('address' in submitter ? { address: hide(submitter.address) } : {}),
  };
  return masked as S;
}
