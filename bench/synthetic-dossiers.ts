// Synthetic dossiers for the report benchmarks: a fixed seed, many one-stop centres, a year of
// receptions, and every dossier played through the real decider, so the events are exactly what
// the engine would store (hash chain included). Fates: most resolved early or on time, some late,
// some open, some waiting for a supplement, some refused at reception; online channels and online
// payments in realistic shares.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { catalogueFileSchema } from '../domain/catalogue/catalogue-file.js';
import type { Agency } from '../domain/catalogue/agency.js';
import { resolveProcedure } from '../domain/catalogue/resolve-roles.js';
import type { Actor } from '../domain/dossier/actor.js';
import type { DossierCommand, LifecycleCommand } from '../domain/dossier/commands.js';
import { decideDossier } from '../domain/dossier/decide.js';
import { documentsCalledFor, type DocumentRequest } from '../domain/documents/documents-called-for.js';
import type { DocumentKind } from '../domain/documents/document-model.js';
import type { DossierEvent } from '../domain/dossier/events.js';
import { evolveDossier, newDossier, type DossierState } from '../domain/dossier/state.js';
import { eventHash, GENESIS_HASH } from '../db/event-hash.js';
import { eventIdFor } from '../db/event-store.js';
import type { Database } from '../db/schema.js';

const CATALOGUE = catalogueFileSchema.parse(JSON.parse(readFileSync(new URL('../catalogue/sample-catalogue.json', import.meta.url), 'utf8')));
// The sample names roles; the synthetic centres all send their dossiers to Hòa Bình's economic office.
const resolved = resolveProcedure({ procedure: CATALOGUE.procedures.find((procedure) => procedure.code === '2.000720')!, directory: CATALOGUE.directory ?? null, receivingAgencyCode: '000.01.01.H99', localityCode: '99001', day: '2026-01-01' });
if (!resolved.ok) throw new Error(resolved.error.message);
const PROCEDURE = resolved.procedure;
const ECONOMY = '000.03.01.H99';
const template = CATALOGUE.agencies.find((agency) => agency.code === '000.01.01.H99')!;

/** mulberry32: a small, fast PRNG with a fixed seed, so every run builds the same dataset. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function centreCode(index: number): string {
  return `000.${String(10 + Math.floor(index / 100)).padStart(2, '0')}.${String(index % 100).padStart(2, '0')}.H99`;
}

export interface SyntheticOptions {
  readonly dossiers: number;
  readonly centres: number;
  readonly seed?: number;
  /** Receptions spread over the working hours of this many days from 2 March 2026 (or `startMs`). */
  readonly days?: number;
  /** The first day's 08:00 (Vietnam time) as an instant; 2 March 2026 unless given. */
  readonly startMs?: number;
  /**
   * Each document the events call for recorded as issued right after them (DocumentIssued, with a
   * made-up file and signature report, as a worker records it), so a run resumed from such a log
   * owes none; without, the logs carry no document records (the reports read none).
   */
  readonly withDocuments?: boolean;
}

/** Puts the synthetic centres into the agency catalogue (the reports walk agencies for units). */
export async function loadSyntheticCentres(db: Kysely<Database>, centres: number): Promise<void> {
  for (let index = 0; index < centres; index += 1) {
    const code = centreCode(index);
    await db.insertInto('agencies').values({ code, name: `Trung tâm thử nghiệm ${index}`, kind: 'one-stop-centre', parent_code: null, definition: JSON.stringify({ ...template, code }) }).onConflict((oc) => oc.column('code').doNothing()).execute();
  }
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const START = Date.parse('2026-03-02T08:00:00+07:00');

/** The dossiers, one at a time: each as its events, ready for the log. */
export function* syntheticDossiers(options: SyntheticOptions): Generator<{ code: string; events: DossierEvent[] }> {
  const next = random(options.seed ?? 20261124);
  const days = options.days ?? 365;
  const serials = new Map<string, number>();
  const agencyCache = new Map<string, Agency[]>();
  for (let n = 0; n < options.dossiers; n += 1) {
    const centre = centreCode(Math.floor(next() * options.centres));
    // A reception on a weekday morning (weekends and holidays move forward a little; the clock knows).
    const day = Math.floor(next() * days);
    const receivedMs = (options.startMs ?? START) + day * DAY + Math.floor(next() * 180) * MINUTE;
    const date = new Date(receivedMs + 7 * 60 * MINUTE).toISOString().slice(2, 10).replaceAll('-', '');
    const key = `${centre}-${date}`;
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    const code = `${centre}-${date}-${String(serial).padStart(4, '0')}`;
    let agencies = agencyCache.get(centre);
    if (!agencies) {
      agencies = [{ ...template, code: centre }, ...CATALOGUE.agencies.filter((agency) => agency.code !== template.code)];
      agencyCache.set(centre, agencies);
    }
    const reception: Actor = { userId: 'bench-reception', role: 'reception', agencyCode: centre };
    const PLATFORM: Actor = { userId: 'payment-platform:national', role: 'payment-platform', agencyCode: centre };
    const officer: Actor = { userId: 'bench-officer', role: 'officer', agencyCode: ECONOMY };
    const head: Actor = { userId: 'bench-head', role: 'head', agencyCode: ECONOMY };

    let state: DossierState = newDossier(code);
    const events: DossierEvent[] = [];
    let clock = receivedMs;
    let commands = 0;
    const documentCounts: Partial<Record<DocumentKind, number>> = {};
    const play = (command: DossierCommand, atMs: number) => {
      clock = Math.max(clock, atMs);
      const decision = decideDossier(state, command, { now: new Date(clock).toISOString(), streamVersion: events.length });
      if (!decision.ok) throw new Error(`synthetic ${command.type} on ${code} refused: ${decision.error.code}`);
      const firstVersion = events.length + 1;
      for (const event of decision.events) state = evolveDossier(state, event);
      events.push(...decision.events);
      if (!options.withDocuments || command.type === 'RecordDocumentIssued') return;
      for (const request of documentsCalledFor(code, decision.events, firstVersion, documentCounts)) {
        documentCounts[request.kind] = (documentCounts[request.kind] ?? 0) + 1;
        play(syntheticDocument(code, request, centre, new Date(clock).toISOString(), (commands += 1)), clock);
      }
    };
    const command = <T extends LifecycleCommand['type']>(type: T, actor: Actor, fields: Record<string, unknown>) =>
      ({ type, commandId: `c${(commands += 1)}`, dossierCode: code, actor, ...fields }) as unknown as DossierCommand;

    const channelRoll = next();
    const channel = channelRoll < 0.55 ? 'online' : channelRoll < 0.95 ? 'counter' : 'post';
    play({ type: 'ReceiveDossier', commandId: 'receive', actor: reception, dossierCode: code, agencyCode: centre, procedureCode: PROCEDURE.code, channel, applicant: { kind: 'citizen', fullName: 'Người dùng thử', identityNumber: '001090000000' }, receivedAt: new Date(receivedMs).toISOString() }, receivedMs);
    const fate = next();
    if (fate < 0.04) {
      play(command('RefuseAtReception', reception, { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 01/2021/NĐ-CP' }), receivedMs + 20 * MINUTE);
      yield { code, events };
      continue;
    }
    const reused = next() < 0.6;
    const required = PROCEDURE.components.filter((component) => component.required);
    // Reception digitises most papers (a scan approved as attached), and takes the reusable ones from
    // the citizen's data store for most applicants: the file events the reports derive 4.2 and 4.3 from.
    for (const component of required) {
      const reuse = reused && component.reusableFromData;
      if (!reuse && next() >= 0.9) continue;
      play(command('AttachComponentFile', reception, {
        componentId: component.id,
        file: { sha256: createHash('sha256').update(`${code}/${component.id}`).digest('hex'), size: 250_000, mediaType: 'application/pdf', pages: 2 },
        origin: reuse ? { kind: 'data-store', store: 'national-portal' } : { kind: 'upload' },
        approve: true,
      }), receivedMs + 25 * MINUTE);
    }
    play(command('AcceptDossier', reception, {
      components: required.map((component) => ({ componentId: component.id, form: component.form })),
      pinned: { procedure: PROCEDURE, agencies, calendarVersion: '2025.1' },
    }), receivedMs + 30 * MINUTE);
    if (next() < 0.5) {
      // Paid online: the applicant pays a payment request and the payment platform confirms it; else at the counter.
      if (next() < 0.7) {
        play(command('RequestPayment', reception, { purpose: 'fees' }), receivedMs + 35 * MINUTE);
        const requested = events.at(-1)!;
        const reference = requested.type === 'PaymentRequested' ? requested.data.reference : '';
        play(command('RecordPayment', PLATFORM, { amountVnd: 100_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: `GD-${n}`, platformPayment: { reference, transactionId: `GD-${n}` } }), receivedMs + 40 * MINUTE);
      } else {
        play(command('RecordPayment', reception, { amountVnd: 100_000, method: 'counter', receiptNumber: `BL-${n}` }), receivedMs + 40 * MINUTE);
      }
    }
    if (fate < 0.09) {
      play(command('RequestSupplement', officer, { stepId: 'business-registration', missing: [{ description: 'Bản sao giấy tờ', reason: 'Không rõ' }] }), receivedMs + DAY);
      yield { code, events };
      continue;
    }
    if (fate < 0.15) {
      yield { code, events }; // still in processing
      continue;
    }
    // Resolved: mostly within 3 working days, some late (up to 8 days).
    const late = fate > 0.95;
    const doneMs = receivedMs + (late ? 6 * DAY + Math.floor(next() * 3 * DAY) : DAY + Math.floor(next() * DAY));
    play(command('CompleteStep', officer, { stepId: 'business-registration', outcome: 'approved' }), doneMs);
    play(command('IssueResult', head, syntheticResult(`GCN-${n}`, head.agencyCode)), doneMs + 10 * MINUTE);
    play(command('ReturnResult', reception, { method: channel === 'online' ? 'electronic' : 'counter', applicantNotifiedInAdvance: true }), doneMs + 60 * MINUTE);
    if (next() < 0.5) play(command('RecordEvaluation', reception, { rating: next() < 0.9 ? 'satisfied' : 'not-satisfied', source: 'paper-form', paperFormReference: `PĐG-${n}` }), doneMs + 70 * MINUTE);
    yield { code, events };
  }
}

/** A document's record as the worker makes it after rendering and signing (docs/documents.md), with a made-up file. */
function syntheticDocument(dossierCode: string, request: DocumentRequest, issuerAgencyCode: string, issuedAt: string, serial: number): DossierCommand {
  return {
    type: 'RecordDocumentIssued',
    commandId: `c${serial}`,
    dossierCode,
    actor: { userId: 'document-issuer', role: 'system', agencyCode: issuerAgencyCode },
    kind: request.kind,
    documentId: request.documentId,
    number: `${request.documentId.split('/').at(-2)}-${serial}`,
    forVersion: request.forVersion,
    issuerAgencyCode,
    issuedAt,
    file: { sha256: createHash('sha256').update(request.documentId).digest('hex'), size: 40_000, mediaType: 'application/pdf' },
    signature: { valid: true, reasons: [], coversWholeDocument: true },
  } as DossierCommand;
}

/**
 * A result as the API records it after verifying the competent body's signed file. These dossiers
 * are loaded straight into the log (no file in the store): only the reports read them.
 */
function syntheticResult(reference: string, agencyCode: string) {
  return {
    document: { reference, sha256: 'c'.repeat(64), size: 65_536, mediaType: 'application/pdf' as const },
    signature: {
      valid: true,
      reasons: [],
      signer: { subject: `C=VN, OU=${agencyCode}, CN=${agencyCode}`, serialNumber: '01', issuer: 'C=VN, CN=CA', notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2035-01-01T00:00:00.000Z', organizationalUnits: [agencyCode] },
      coversWholeDocument: true,
    },
    signerAgencyCode: agencyCode,
  };
}

/** Appends the dossiers to the event log with their hash chains, in large batches (bulk load, not the append path). */
export function loadSyntheticDossiers(db: Kysely<Database>, options: SyntheticOptions, onProgress?: (dossiers: number, events: number) => void): Promise<{ dossiers: number; events: number }> {
  return loadDossierLogs(db, syntheticDossiers(options), onProgress);
}

/** Appends these dossiers' events (a selection of syntheticDossiers) to the log, as loadSyntheticDossiers does. */
export async function loadDossierLogs(db: Kysely<Database>, logs: Iterable<{ code: string; events: DossierEvent[] }>, onProgress?: (dossiers: number, events: number) => void): Promise<{ dossiers: number; events: number }> {
  const metadataOf = (actor: Actor, commandId: string) => ({ actor: { userId: actor.userId, role: actor.role, agencyCode: actor.agencyCode }, commandId });
  type Row = [string, number, string, string, number, string, string, string, string];
  let batch: Row[] = [];
  let dossiers = 0;
  let events = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const column = <T>(index: number) => batch.map((row) => row[index] as T);
    await sql`
      INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, payload, metadata, occurred_at, hash)
      SELECT stream_id, stream_version, event_id, type, schema_version, payload, metadata, occurred_at, decode(hash, 'hex')
      FROM unnest(${column(0)}::text[], ${column(1)}::int[], ${column(2)}::uuid[], ${column(3)}::text[], ${column(4)}::int[],
                  ${column(5)}::jsonb[], ${column(6)}::jsonb[], ${column(7)}::timestamptz[], ${column(8)}::text[])
        AS t(stream_id, stream_version, event_id, type, schema_version, payload, metadata, occurred_at, hash)`.execute(db);
    batch = [];
  };
  for (const dossier of logs) {
    let previous: Buffer = GENESIS_HASH;
    dossier.events.forEach((event, index) => {
      const streamVersion = index + 1;
      const eventId = eventIdFor(dossier.code, streamVersion);
      const occurredAt = new Date(event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at).toISOString();
      const metadata = metadataOf({ userId: 'bench', role: 'reception', agencyCode: dossier.code.slice(0, 13) }, createHash('sha1').update(`${dossier.code}/${streamVersion}`).digest('hex'));
      previous = eventHash(previous, { streamId: dossier.code, streamVersion, eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata, occurredAt });
      batch.push([dossier.code, streamVersion, eventId, event.type, event.schemaVersion, JSON.stringify(event.data), JSON.stringify(metadata), occurredAt, previous.toString('hex')]);
    });
    dossiers += 1;
    events += dossier.events.length;
    if (batch.length >= 5000) {
      await flush();
      onProgress?.(dossiers, events);
    }
  }
  await flush();
  onProgress?.(dossiers, events);
  return { dossiers, events };
}
