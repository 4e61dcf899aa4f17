import { type Kysely, sql } from 'kysely';

// One row per payment attempt (docs/integrations.md#transactions-and-the-query-sweep): each INIT has a
// MaThamChieu of its own (`reference`: the request's reference for the first attempt, then
// `<request reference>x<n>`), mapped back to the payment request it pays by `request_reference`.
// `refund_due` keeps why a confirmed attempt's money is owed back (the request was paid by another
// attempt).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_transactions ADD COLUMN request_reference text, ADD COLUMN attempt integer NOT NULL DEFAULT 1 CHECK (attempt >= 1), ADD COLUMN refund_due text`.execute(db);
  await sql`UPDATE payment_transactions SET request_reference = reference`.execute(db);
  await sql`ALTER TABLE payment_transactions ALTER COLUMN request_reference SET NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX payment_transactions_attempt ON payment_transactions (request_reference, attempt)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX payment_transactions_attempt`.execute(db);
  await sql`ALTER TABLE payment_transactions DROP COLUMN request_reference, DROP COLUMN attempt, DROP COLUMN refund_due`.execute(db);
}
