// Encrypts every Temporal payload (workflow and update arguments, activity inputs and results,
// query answers) with AES-256-GCM before it leaves the process, so the applicant's personal data
// never rests in clear in Temporal's history nor shows in its UI (docs/decisions/0006-payload-codec.md).
// Search attributes do not pass through a codec: the server indexes them, so they carry no
// personal data at all (workflows/search-attributes.ts).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { ConfigurationError, type Environment, payloadKeys } from './environment.js';
import type { PayloadKey, PayloadKeyRing } from './payload-keys.js';

/** The `encoding` of an encrypted payload; anything else is left as it is by `decode`. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the key that encrypted the payload, so a rotation can read older ones. */
export const KEY_ID_METADATA = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload the codec cannot turn back into the original; the message says why, never what it holds. */
export class PayloadDecryptionFailed extends Error {
  override readonly name = 'PayloadDecryptionFailed';
}

/** Encodes with the newest key of the ring, decodes with whichever key a payload names. */
export function createPayloadCodec(keys: PayloadKeyRing): PayloadCodec {
  const [newest] = keys;
  const byId = new Map(keys.map((key) => [key.id, key]));
  return {
    async encode(payloads) {
      return payloads.map((payload) => encrypt(payload, newest));
    },
    async decode(payloads) {
      return payloads.map((payload) => {
        if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
        const id = text(payload.metadata?.[KEY_ID_METADATA]);
        const key = id === undefined ? undefined : byId.get(id);
        if (!key) {
          throw new PayloadDecryptionFailed(`a payload is encrypted with key ${JSON.stringify(id ?? '(none named)')}, which MOTCUA_PAYLOAD_KEYS does not list: add that key back (docs/operations.md, "Payload keys")`);
        }
        return decrypt(payload, key);
      });
    },
  };
}

/** What a worker, a client or a replay needs to read and write encrypted payloads. */
export function encryptedDataConverter(keys: PayloadKeyRing): DataConverter {
  return { payloadCodecs: [createPayloadCodec(keys)] };
}

/**
 * For an operator's tool (resume, replay): the converter from MOTCUA_PAYLOAD_KEYS, or, without
 * usable keys, the reason reported and exit 2 before any work, as for any other missing setting.
 */
export function operatorDataConverter(env: Environment, report: (message: string) => void): DataConverter {
  try {
    return encryptedDataConverter(payloadKeys(env));
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    report(error.message);
    process.exit(2);
  }
}

// The plaintext is the whole payload: [4-byte length of the metadata JSON][metadata JSON][data],
// the metadata's values in base64. The stored payload is [IV][GCM tag][ciphertext], with the key
// id as additional data so a payload relabelled with another key's id fails to decrypt.
function encrypt(payload: Payload, key: PayloadKey): Payload {
  const metadata = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, bytes(value).toString('base64')]))));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(metadata.length);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key.key, iv).setAAD(Buffer.from(key.id));
  const ciphertext = Buffer.concat([cipher.update(Buffer.concat([length, metadata, bytes(payload.data)])), cipher.final()]);
  return {
    metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(key.id) },
    data: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]),
  };
}

function decrypt(payload: Payload, key: PayloadKey): Payload {
  const sealed = bytes(payload.data);
  let plaintext: Buffer;
  try {
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
    const decipher = createDecipheriv(CIPHER, key.key, sealed.subarray(0, IV_BYTES)).setAAD(Buffer.from(key.id));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    plaintext = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PayloadDecryptionFailed(`a payload encrypted with key ${key.id} does not decrypt: it was altered, or the key listed under ${key.id} is not the one that encrypted it`);
  }
  const metadataLength = plaintext.readUInt32BE(0);
  const metadata = JSON.parse(plaintext.subarray(4, 4 + metadataLength).toString('utf8')) as Record<string, string>;
  return {
    metadata: Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(plaintext.subarray(4 + metadataLength)),
  };
}

function text(value: Uint8Array | null | undefined): string | undefined {
  return value ? bytes(value).toString('utf8') : undefined;
}

// Bytes as they come: Uint8Arrays of the workflow sandbox's own realm (no copy), and protobufjs's
// default for empty bytes, a plain `[]` (a payload replayed from a history with an empty result).
function bytes(value: Uint8Array | null | undefined): Buffer {
  if (!value) return Buffer.alloc(0);
  return ArrayBuffer.isView(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(value);
}
