// The portal intake's claims (docs/portal-intake.md#idempotency): a portal's dossier id is claimed
// with the dossier code it gets, in one transaction, so two posts of the same id can never allocate
// two codes: the second waits on the first's row and then finds it. api/intake/intake.ts decides when
// each function is called.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface PortalSubmissionKey {
  readonly portal: string;
  readonly portalDossierId: string;
}

export interface PortalSubmissionClaim extends PortalSubmissionKey {
  readonly submissionDigest: string;
  readonly dossierCode: string;
  readonly receivedAt: Date;
  readonly commandId: string;
  /** The first answer, once the dossier was received; undefined while the reception is in flight. */
  readonly answer?: unknown;
}

/**
 * Claims the portal's dossier id, allocating its dossier code inside the claim's transaction:
 * `{ claimed: true }` with the new claim, or `{ claimed: false }` with the claim already there.
 */
export async function claimPortalSubmission(
  db: Kysely<Database>,
  key: PortalSubmissionKey,
  submissionDigest: string,
  allocate: (trx: Kysely<Database>) => Promise<{ readonly dossierCode: string; readonly receivedAt: Date; readonly commandId: string }>,
): Promise<{ readonly claimed: boolean; readonly claim: PortalSubmissionClaim }> {
  for (;;) {
    const outcome = await db.transaction().execute(async (trx) => {
      // A concurrent claim of the same id holds the key until it commits; this insert waits for it.
      const inserted = await trx
        .insertInto('portal_submissions')
        .values({ portal: key.portal, portal_dossier_id: key.portalDossierId, submission_digest: submissionDigest, dossier_code: `pending:${key.portal}:${key.portalDossierId}`, received_at: new Date().toISOString(), command_id: 'pending' })
        .onConflict((oc) => oc.columns(['portal', 'portal_dossier_id']).doNothing())
        .returning('portal')
        .executeTakeFirst();
      if (!inserted) return undefined;
      const { dossierCode, receivedAt, commandId } = await allocate(trx);
      await trx
        .updateTable('portal_submissions')
        .set({ dossier_code: dossierCode, received_at: receivedAt.toISOString(), command_id: commandId })
        .where('portal', '=', key.portal)
        .where('portal_dossier_id', '=', key.portalDossierId)
        .execute();
      return { portal: key.portal, portalDossierId: key.portalDossierId, submissionDigest, dossierCode, receivedAt, commandId } satisfies PortalSubmissionClaim;
    });
    if (outcome) return { claimed: true, claim: outcome };
    const existing = await findPortalSubmission(db, key);
    // Released (a refused reception) between our insert and this read: claim it again.
    if (existing) return { claimed: false, claim: existing };
  }
}

export async function findPortalSubmission(db: Kysely<Database>, key: PortalSubmissionKey): Promise<PortalSubmissionClaim | undefined> {
  const row = await db.selectFrom('portal_submissions').selectAll().where('portal', '=', key.portal).where('portal_dossier_id', '=', key.portalDossierId).executeTakeFirst();
  if (!row) return undefined;
  return {
    portal: row.portal,
    portalDossierId: row.portal_dossier_id,
    submissionDigest: row.submission_digest,
    dossierCode: row.dossier_code,
    receivedAt: row.received_at,
    commandId: row.command_id,
    ...(row.answer !== null ? { answer: row.answer } : {}),
  };
}

/** Keeps the first answer, which every resend of the same submission replays. */
export async function keepPortalAnswer(db: Kysely<Database>, key: PortalSubmissionKey, answer: unknown): Promise<void> {
  await db
    .updateTable('portal_submissions')
    .set({ answer: JSON.stringify(answer), answered_at: new Date().toISOString() })
    .where('portal', '=', key.portal)
    .where('portal_dossier_id', '=', key.portalDossierId)
    .where('answer', 'is', null)
    .execute();
}

/**
 * Releases the claim of a reception the dossier's rules refused (no dossier was received), so a
 * corrected resend under the same id is received. A claim already answered is never released.
 */
export async function releasePortalSubmission(db: Kysely<Database>, key: PortalSubmissionKey): Promise<void> {
  await db.deleteFrom('portal_submissions').where('portal', '=', key.portal).where('portal_dossier_id', '=', key.portalDossierId).where('answer', 'is', null).execute();
}
