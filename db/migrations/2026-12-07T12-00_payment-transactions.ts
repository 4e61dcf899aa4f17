import { type Kysely, sql } from 'kysely';

// The online payments' transactions with the national payment platform (docs/integrations.md#online-payment):
// one row per payment request the citizen started paying (its reference is the platform's MaThamChieu),
// from INIT (`khoi-tao`) to the platform's confirmation (`thanh-cong`, with its MaGiaoDich, unique) or
// its failure (`that-bai`). The callbacks' count and the last one's body (the platform's fields, none
// of them personal) are kept for whoever looks into a payment; the receipt's file by its digest.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payment_transactions (
      reference        text        PRIMARY KEY,
      dossier_code     text        NOT NULL,
      purpose          text        NOT NULL CHECK (purpose IN ('fees', 'obligation')),
      amount_vnd       bigint      NOT NULL CHECK (amount_vnd > 0),
      state            text        NOT NULL DEFAULT 'khoi-tao' CHECK (state IN ('khoi-tao', 'thanh-cong', 'that-bai')),
      payment_url      text,
      inits            integer     NOT NULL DEFAULT 1,
      transaction_id   text        UNIQUE,
      bank_code        text,
      paid_at          timestamptz,
      created_at       timestamptz NOT NULL DEFAULT now(),
      initiated_at     timestamptz NOT NULL DEFAULT now(),
      confirmed_at     timestamptz,
      confirmed_via    text        CHECK (confirmed_via IN ('callback', 'query')),
      callback_count   integer     NOT NULL DEFAULT 0,
      last_callback    jsonb,
      last_callback_at timestamptz,
      last_outcome     text,
      queried_at       timestamptz,
      query_count      integer     NOT NULL DEFAULT 0,
      receipt_file     jsonb,
      receipt_sha256   text
    )`.execute(db);
  await sql`CREATE INDEX payment_transactions_dossier ON payment_transactions (dossier_code, created_at)`.execute(db);
  // The sweep's list: transactions still waiting for the platform's word, oldest first.
  await sql`CREATE INDEX payment_transactions_waiting ON payment_transactions (initiated_at) WHERE state = 'khoi-tao'`.execute(db);
  // Confirmed ones whose receipt could not be fetched yet.
  await sql`CREATE INDEX payment_transactions_receipt_due ON payment_transactions (confirmed_at) WHERE state = 'thanh-cong' AND receipt_sha256 IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE payment_transactions`.execute(db);
}
