// The keys that encrypt Temporal payloads (platform/payload-codec.ts), as MOTCUA_PAYLOAD_KEYS gives
// them: `<id>:<base64 of 32 bytes>` separated by commas, newest first, e.g.
// `2026-12:q3J…=,2026-01:Zm9…=`. The newest encrypts; every one listed decrypts, so a rotation adds
// a key at the front and keeps the old ones until no open history needs them (docs/operations.md).

/** One AES-256 key and the id written beside everything it encrypts. */
export interface PayloadKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Newest first; never empty. */
export type PayloadKeyRing = readonly [PayloadKey, ...PayloadKey[]];

/** Letters, digits, `.`, `_`, `-`: an id travels in the payload's metadata and in log lines. */
const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;
export const PAYLOAD_KEY_BYTES = 32;

/** What is wrong with a key list; the message never repeats a key's value. */
export class PayloadKeysMalformed extends Error {
  override readonly name = 'PayloadKeysMalformed';
}

export function parsePayloadKeys(text: string): PayloadKeyRing {
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new PayloadKeysMalformed('lists no key; write `<id>:<base64 key>`, e.g. k1:$(openssl rand -base64 32)');
  const keys = entries.map((entry, index): PayloadKey => {
    const separator = entry.indexOf(':');
    const where = `key ${index + 1}`;
    if (separator < 0) throw new PayloadKeysMalformed(`${where} has no id: write \`<id>:<base64 key>\`, e.g. k1:$(openssl rand -base64 32)`);
    const id = entry.slice(0, separator);
    const encoded = entry.slice(separator + 1);
    if (!KEY_ID_PATTERN.test(id)) throw new PayloadKeysMalformed(`${where}'s id must be 1 to 64 letters, digits, '.', '_' or '-'`);
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64_PATTERN.test(encoded) || key.length !== PAYLOAD_KEY_BYTES) {
      throw new PayloadKeysMalformed(`key ${id} must be ${PAYLOAD_KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
    }
    return { id, key };
  });
  const ids = keys.map((key) => key.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) throw new PayloadKeysMalformed(`the id ${repeated} is given twice; every key needs an id of its own`);
  return keys as unknown as PayloadKeyRing;
}
