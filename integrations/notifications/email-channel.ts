// The e-mail channel of the citizen notices (docs/integrations.md "Citizen notices"): one message
// per delivery, handed to the configured SMTP relay with nodemailer. The delivery's idempotency key
// is the message's Message-ID (<key@domain>) and its X-Motcua-Delivery-Key header, so a resend after
// a lost answer is the same message to every mailbox and archive that deduplicates by Message-ID.
//
// The relay's answer decides: 2xx delivered; 4xx transient (the lane retries); 5xx permanent, except
// where it says nothing of this message (greeting, EHLO, STARTTLS, authentication: the relay or our
// credentials, which an operator fixes while the lane retries); no answer (refused or dropped
// connection, timeout) transient. The attempt is recorded with the recipient masked, the subject,
// the digests of the bodies and the relay's answer, with any address in it masked.
import nodemailer from 'nodemailer';
import { renderEmail } from '../../domain/notifications/templates.js';
import { resolveSecret } from '../../platform/secret-reference.js';
import type { DeliveryChannel, DeliveryContext, DeliveryResult, Exchange } from '../outbox/delivery-channel.js';
import { maskEmail, recordedResponse, sha256Hex } from '../outbox/mask.js';
import type { EmailConfig } from './email-config.js';
import { noticeOfDelivery, type NoticeDeps } from './notice-of-delivery.js';

export interface EmailChannelDeps extends NoticeDeps {
  /** Where the password's secret reference is resolved (process.env by default). */
  readonly env?: NodeJS.ProcessEnv;
}

/** RFC 5322 dot-atom: what the Message-ID's left part may hold. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export const DELIVERY_KEY_HEADER = 'X-Motcua-Delivery-Key';

/** The Message-ID of a delivery: its key at the sender's domain. */
export function messageIdOf(key: string, domain: string): string {
  if (!DOT_ATOM.test(key)) throw new RangeError(`the delivery key "${key}" is not an RFC 5322 dot-atom and cannot be a Message-ID`);
  return `<${key}@${domain}>`;
}

/** The text with every e-mail address in it masked (a relay's answer often quotes the recipient). */
export function maskAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[A-Za-z0-9.-]+/g, (address) => maskEmail(address));
}

interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
  readonly message?: string;
}

/** Commands whose 5xx answer speaks of the relay or of our credentials, not of the message. */
const SESSION_COMMANDS = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH\b)/;
const TRANSPORT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'EAUTH', 'ENOAUTH', 'EREQUIRETLS', 'EPROXY']);

/** Whether a failed send may succeed when tried again, and why it failed (addresses masked). */
export function classifySmtpError(error: unknown): { readonly retryable: boolean; readonly reason: string } {
  const smtp = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpError;
  const at = smtp.command ? ` at ${smtp.command.split(' ')[0] === 'AUTH' ? 'AUTH' : smtp.command}` : '';
  const answer = maskAddresses(smtp.response ?? smtp.message ?? 'no answer').slice(0, 300);
  const code = smtp.responseCode;
  if (code !== undefined && code >= 200 && code < 600) {
    if (code < 500) return { retryable: true, reason: `SMTP ${code}${at} (transient): ${answer}` };
    const session = smtp.code === 'EAUTH' || SESSION_COMMANDS.test(smtp.command ?? '');
    return { retryable: session, reason: `SMTP ${code}${at} (${session ? 'the relay or its credentials; retried' : 'permanent'}): ${answer}` };
  }
  if (smtp.code && TRANSPORT_CODES.has(smtp.code)) return { retryable: true, reason: `${smtp.code}${at}: ${answer}` };
  // An answer to the data that is no SMTP reply: the relay may or may not have the message; the
  // resend is recognised by its Message-ID.
  if (smtp.command === 'DATA') return { retryable: true, reason: `${smtp.code ?? 'error'}${at} (no SMTP reply): ${answer}` };
  // The message or its envelope could not be built: sending it again builds the same.
  if (smtp.code === 'EENVELOPE' || smtp.code === 'EMESSAGE') return { retryable: false, reason: `${smtp.code}${at}: ${answer}` };
  return { retryable: true, reason: `${smtp.code ?? 'error'}${at}: ${answer}` };
}

export function createEmailChannel(config: EmailConfig, deps: EmailChannelDeps): DeliveryChannel {
  // Resolved once, at start-up: a reference that names nothing stops the worker with the setting's name.
  const password = config.auth ? resolveSecret(config.auth.password, 'email.auth.password', deps.env) : undefined;
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTLS,
    // Without requireTLS a relay on the same host or network may be spoken to in clear (the test sink).
    ignoreTLS: !config.secure && !config.requireTLS,
    ...(config.auth && password !== undefined ? { auth: { user: config.auth.user, pass: password } } : {}),
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const domain = config.messageIdDomain ?? config.from.address.slice(config.from.address.lastIndexOf('@') + 1);

  return {
    receiver: 'email',
    async deliver(context: DeliveryContext): Promise<DeliveryResult> {
      const notice = noticeOfDelivery(context, deps);
      if ('refused' in notice) return notice.refused;
      const { content } = notice;
      let messageId: string;
      try {
        messageId = messageIdOf(context.key, domain);
      } catch (error) {
        return { outcome: 'failed', retryable: false, reason: (error as Error).message };
      }
      const to = content.recipient.email;
      if (!to) return { outcome: 'failed', retryable: false, reason: `the ${content.recipient.representative ? 'representative' : 'applicant'} gave no e-mail address` };
      const email = renderEmail(content, deps.notices?.templates);
      const from = config.units?.[content.agencyCode]?.from ?? config.from;
      const request = {
        messageId,
        from: from.address,
        to: maskEmail(to),
        subject: email.subject,
        textSha256: sha256Hex(email.text),
        htmlSha256: sha256Hex(email.html),
      };
      const exchange = (response: string): Exchange => ({ request, requestSha256: request.textSha256, response: recordedResponse(maskAddresses(response)) });
      try {
        const info = await transport.sendMail({
          from: { name: from.name, address: from.address },
          to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId,
          headers: { [DELIVERY_KEY_HEADER]: context.key },
          textEncoding: 'quoted-printable',
        });
        if (info.rejected.length > 0) {
          return { outcome: 'failed', retryable: false, reason: `the relay refused the recipient: ${maskAddresses(info.response)}`, exchange: exchange(info.response) };
        }
        return { outcome: 'delivered', reference: messageId, exchange: exchange(info.response) };
      } catch (error) {
        const { retryable, reason } = classifySmtpError(error);
        return { outcome: 'failed', retryable, reason, exchange: exchange(reason) };
      }
    },
    async close() {
      transport.close();
    },
  };
}
