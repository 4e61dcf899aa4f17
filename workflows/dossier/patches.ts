// The dossier workflow's patches, in one place. A dossier's workflow can run for months, and every
// history recorded before a patch must still replay (test/fixtures/histories/ keeps one set per
// generation: v1- before documents, v2- with the append a remote activity). So an id never changes,
// and no patch goes while such histories may still be running.
//
// `patched(id)` records a marker at its first call in a run, among the run's other commands: each call
// must stay where it was when the histories were recorded, under the same conditions and in the
// same order relative to the activities, timers and search-attribute upserts around it.

/** Documents issued for the events that call for them; v1- histories replay without them. */
export const DOCUMENTS_PATCH = 'issue-documents';

/** A run behind its event log catches up with it and answers from it, instead of failing the command. */
export const CATCH_UP_PATCH = 'catch-up-with-log';

/** The append runs as a local activity in the worker that decided it; v2- histories replay the remote one. */
export const LOCAL_APPEND_PATCH = 'local-append';

/**
 * Staff no longer record online payments: the payment platform's confirmation does
 * (docs/rules.md#payment-requests-and-online-payments). Histories recorded before took staff's
 * online payments and replay them as they were decided. Called only when the handler decides a
 * staff online payment (the validator refuses new ones, so only a replay or a run behind its log gets there).
 */
export const PLATFORM_PAYMENTS_PATCH = 'online-payments-from-the-platform';
