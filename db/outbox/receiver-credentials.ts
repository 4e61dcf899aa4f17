// Rotating credentials of the receivers (db/migrations/2026-12-04T16-00_receiver-credentials.ts),
// sealed with the payload codec so the database never holds them in clear. Zalo's OA tokens are the
// first: a refresh token works once, so the newest must outlive the process that got it.
import type { PayloadCodec } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

interface SealedPayload {
  readonly metadata: Record<string, string>;
  readonly data: string;
}

async function seal(codec: PayloadCodec, value: unknown): Promise<SealedPayload> {
  const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  return {
    metadata: Object.fromEntries(Object.entries(payload!.metadata ?? {}).map(([key, bytes]) => [key, Buffer.from(bytes ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(payload!.data ?? new Uint8Array()).toString('base64'),
  };
}

async function unseal<T>(codec: PayloadCodec, sealed: SealedPayload): Promise<T> {
  const [payload] = await codec.decode([
    { metadata: Object.fromEntries(Object.entries(sealed.metadata).map(([key, text]) => [key, Buffer.from(text, 'base64')])), data: Buffer.from(sealed.data, 'base64') },
  ]);
  return defaultPayloadConverter.fromPayload<T>(payload!);
}

/** A store of one receiver's credentials of type T. */
export function receiverCredentialStore<T>(db: Kysely<Database>, codec: PayloadCodec, receiver: string) {
  return {
    async load(): Promise<T | undefined> {
      const row = await db.selectFrom('receiver_credentials').select('sealed').where('receiver', '=', receiver).executeTakeFirst();
      return row ? unseal<T>(codec, row.sealed as SealedPayload) : undefined;
    },
    async save(value: T): Promise<void> {
      const sealed = JSON.stringify(await seal(codec, value));
      await db
        .insertInto('receiver_credentials')
        .values({ receiver, sealed })
        .onConflict((oc) => oc.column('receiver').doUpdateSet({ sealed, updated_at: new Date().toISOString() }))
        .execute();
    },
  };
}
