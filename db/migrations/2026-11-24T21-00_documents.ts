import { type Kysely, sql } from 'kysely';

// The content-addressed document store: each file once, under the SHA-256 of its bytes. The bytes
// live here, or in a configured directory (MOTCUA_DOCUMENT_DIR) with only the record here. Events
// carry the digests; a stored file is never changed or removed, like the events that name it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE documents (
      sha256     text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      media_type text        NOT NULL,
      size       integer     NOT NULL CHECK (size > 0),
      content    bytea,
      stored_at  timestamptz NOT NULL DEFAULT now(),
      CHECK (content IS NULL OR length(content) = size)
    )`.execute(db);
  // Which dossier a file or a result number belongs to, for access checks and verification.
  await sql`CREATE INDEX events_document_digest ON events ((payload->'file'->>'sha256')) WHERE type = 'DocumentIssued'`.execute(db);
  await sql`CREATE INDEX events_document_number ON events ((payload->>'number')) WHERE type = 'DocumentIssued'`.execute(db);
  // Which agency signs with a certificate (serial number), for verifications.
  await sql`CREATE INDEX events_document_signer ON events ((payload->'signature'->'signer'->>'serialNumber')) WHERE type = 'DocumentIssued'`.execute(db);
  await sql`
    CREATE FUNCTION documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'stored documents are never changed: % refused on the document store', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_refuse_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX events_document_signer`.execute(db);
  await sql`DROP INDEX events_document_number`.execute(db);
  await sql`DROP INDEX events_document_digest`.execute(db);
  await sql`DROP TABLE documents`.execute(db);
  await sql`DROP FUNCTION documents_refuse_change()`.execute(db);
}
