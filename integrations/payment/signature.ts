// MaXacThuc of the national payment platform v1.0.6 (docs/integrations.md#online-payment): the
// lowercase hex SHA-256 (plain, not an HMAC) of the message's signed fields joined by `|`, the
// partner's secret last (the field lists: domain/payment/platform-contract.ts). The engine signs its
// INIT, QUERY and RECEIPT requests and its replies to callbacks, and checks the callbacks' in
// constant time. The platform's own double signs and checks with the same functions.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type SignedMessage, signedText } from '../../domain/payment/platform-contract.js';

/** MaXacThuc of a message's fields under the secret. */
export function maXacThuc(message: SignedMessage, fields: Readonly<Record<string, unknown>>, secret: string): string {
  return createHash('sha256').update(signedText(message, fields, secret), 'utf8').digest('hex');
}

/** The message's fields with its MaXacThuc added. */
export function signed<T extends Record<string, unknown>>(message: SignedMessage, fields: T, secret: string): T & { MaXacThuc: string } {
  return { ...fields, MaXacThuc: maXacThuc(message, fields, secret) };
}

/**
 * Whether the message's MaXacThuc is the one its fields give under one of the secrets (the current,
 * and the previous one while a rotation is under way). Compared in constant time; case-insensitive
 * hex, as some senders write it in capitals.
 */
export function hasValidMaXacThuc(message: SignedMessage, fields: Readonly<Record<string, unknown>>, secrets: readonly string[]): boolean {
  const given = typeof fields.MaXacThuc === 'string' ? fields.MaXacThuc.toLowerCase() : '';
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const sent = Buffer.from(given, 'hex');
  let matched = false;
  for (const secret of secrets.filter((candidate) => candidate !== '')) {
    // No early exit: the time taken does not tell which secret matched.
    matched = timingSafeEqual(sent, Buffer.from(maXacThuc(message, fields, secret), 'hex')) || matched;
  }
  return matched;
}
