import type { Applicant } from '../dossier/commands.js';
import type { NoticeChannel } from '../outbox/deliveries.js';

// Who is told, and on which channels (docs/integrations.md#who-is-told-on-which-channels-and-when): the authorised representative when there
// is one, otherwise the applicant; on the channels the applicant agreed to, most preferred first,
// among those the deployment runs and that the recipient can be reached on.

export interface NoticeRecipient {
  readonly fullName: string;
  readonly phone?: string;
  readonly email?: string;
  /** Whether this is the authorised representative rather than the applicant. */
  readonly representative: boolean;
}

export function noticeRecipient(applicant: Applicant): NoticeRecipient {
  const representative = applicant.representative;
  if (representative && (representative.phone !== undefined || representative.email !== undefined)) {
    return { fullName: representative.fullName, ...(representative.phone ? { phone: representative.phone } : {}), ...(representative.email ? { email: representative.email } : {}), representative: true };
  }
  return { fullName: applicant.fullName, ...(applicant.phone ? { phone: applicant.phone } : {}), ...(applicant.email ? { email: applicant.email } : {}), representative: false };
}

function reachable(recipient: NoticeRecipient, channel: NoticeChannel): boolean {
  return channel === 'email' ? recipient.email !== undefined : recipient.phone !== undefined;
}

/**
 * The channels a notice goes out on: the applicant's own choice (in their order) when they made
 * one, the deployment's default otherwise; only channels the deployment runs and the recipient can
 * be reached on. `preferredOnly` keeps the first of them (one message per notice).
 */
export function noticeChannelsFor(
  applicant: Applicant,
  deployment: { readonly enabled: readonly NoticeChannel[]; readonly defaultChannels: readonly NoticeChannel[]; readonly preferredOnly: boolean },
): NoticeChannel[] {
  const recipient = noticeRecipient(applicant);
  const wanted = applicant.notices?.channels ?? deployment.defaultChannels;
  const usable = wanted.filter((channel) => deployment.enabled.includes(channel) && reachable(recipient, channel));
  return deployment.preferredOnly ? usable.slice(0, 1) : usable;
}
