// The national portal, API generation A (docs/integrations.md#how-each-generation-sends-a-delivery; OCPS DVCQGIntegrationActionImpl):
//   POST {adapterUrl}{authEndpoint} {username, password}, header dstcode → {session, error_code: 0}
//   POST {adapterUrl}{integrationEndpoint} {session, madonvi, service, ...}, header dstcode:
//     TraCuuHoSo {mahoso} → {result: [...]}: the portal holds the dossier when the list is not empty;
//     DongBoHoSoMC {isUpdating: "True"|"False", data: [dossier]};
//     CapNhatTienDoHoSoMC {data: [rows ≤ 10]}, only after the dossier's push succeeded.
// The session is cached and shared by every lane; an answer that says it expired gets one new
// session and one repeat of the call. Which dossiers the portal holds is remembered, so the look-up
// is asked once per dossier per process. Every call carries the delivery's Idempotency-Key.
import type { DeliveryChannel, DeliveryContext, DeliveryResult } from '../outbox/delivery-channel.js';
import type { PortalDossierPayload } from '../../domain/portal-sync/dossier-payload.js';
import { inChunks } from '../../domain/portal-sync/progress-rows.js';
import { resolveSecret } from '../../platform/secret-reference.js';
import { lookedUpStatus, readAuthAnswer, readGenerationAAnswer, readLookUpAnswer, type LookUpVerdict, type PortalReply, type PortalVerdict } from './portal-answers.js';
import { endpointUrl, type PortalGenerationAConfig } from './portal-config.js';
import { AttemptRecord, buildSync, lookUpAnswerAsRecorded, maskedPayload, postJson, PortalUnavailable, resultOf, transportVerdict, type PortalChannelDeps, type PortalClient, type PortalLookUp } from './portal-wire.js';

/** How many dossiers the adapter remembers the portal holding (the oldest are forgotten, then looked up again). */
const REMEMBERED = 50_000;

export class PortalGenerationA implements DeliveryChannel, PortalClient {
  readonly receiver = 'portal' as const;
  readonly #config: PortalGenerationAConfig;
  readonly #deps: PortalChannelDeps;
  readonly #password: string;
  readonly #held = new Set<string>();
  #session: Promise<string | PortalVerdict> | undefined;

  constructor(config: PortalGenerationAConfig, deps: PortalChannelDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#password = resolveSecret(config.password, 'portal.password', deps.env);
  }

  async deliver(context: DeliveryContext): Promise<DeliveryResult> {
    const sync = buildSync(context, this.#config, this.#deps.fileLink);
    if ('refused' in sync) return { outcome: 'failed', retryable: false, reason: sync.refused };
    const record = new AttemptRecord('A', sync);
    const madonvi = this.#unitOf(sync.agencyCode);
    let updating = this.#held.has(sync.dossierCode);
    if (!updating) {
      const found = await this.#lookUp(sync.dossierCode, madonvi, context.key, record);
      if (found.kind !== 'found') return resultOf(found, record);
      updating = found.records.length > 0;
    }
    let pushed = await this.#push(sync.payload, updating, madonvi, context.key, record);
    // The portal had it after all (a push whose answer was lost): the same data as an update.
    if (pushed.kind === 'already-exists' && !updating) pushed = await this.#push(sync.payload, true, madonvi, context.key, record);
    if (pushed.kind !== 'delivered') return resultOf(pushed, record);
    this.#remember(sync.dossierCode);
    for (const data of inChunks(sync.rows, this.#config.progressChunkSize)) {
      const progress = await this.#call('CapNhatTienDoHoSoMC', { madonvi, data }, { madonvi, data }, context.key, record, readGenerationAAnswer);
      if (progress.verdict.kind !== 'delivered') return resultOf(progress.verdict, record);
    }
    return resultOf(pushed, record);
  }

  /** TraCuuHoSo for the nightly reconciliation: the status the portal holds, or null when it holds none. */
  async lookUp(dossierCode: string): Promise<PortalLookUp> {
    const record = new AttemptRecord('A', undefined);
    const found = await this.#lookUp(dossierCode, this.#unitOf(dossierCode.split('-')[0] ?? ''), undefined, record);
    if (found.kind !== 'found') throw new PortalUnavailable(`TraCuuHoSo ${dossierCode}: ${'reason' in found ? found.reason : found.message}`);
    if (found.records.length > 0) this.#remember(dossierCode);
    return { status: found.records.length > 0 ? lookedUpStatus(found.records[0]) : null, raw: found.records };
  }

  async close(): Promise<void> {
    this.#session = undefined;
  }

  /** madonvi of a receiving agency: its own, else the unit-code map's, else the default. */
  #unitOf(agencyCode: string): string {
    return this.#config.madonvi.byAgency[agencyCode] ?? this.#config.unitCodes[agencyCode] ?? this.#config.madonvi.default;
  }

  async #lookUp(dossierCode: string, madonvi: string, key: string | undefined, record: AttemptRecord): Promise<LookUpVerdict> {
    const call = await this.#call('TraCuuHoSo', { madonvi, mahoso: dossierCode }, { madonvi, mahoso: dossierCode }, key, record, readLookUpAnswer);
    return call.verdict.kind === 'delivered' || call.verdict.kind === 'already-exists' ? { kind: 'retryable', reason: 'TraCuuHoSo: unexpected answer' } : call.verdict;
  }

  async #push(payload: PortalDossierPayload, updating: boolean, madonvi: string, key: string, record: AttemptRecord): Promise<PortalVerdict> {
    const params = { madonvi, isUpdating: updating ? 'True' : 'False', data: [payload] };
    const masked = { ...params, data: [maskedPayload(payload)] };
    return (await this.#call('DongBoHoSoMC', params, masked, key, record, readGenerationAAnswer)).verdict;
  }

  /** One integration call with the session; an expired session is renewed once and the call repeated. */
  async #call<V extends { readonly kind: string }>(
    service: string,
    params: Record<string, unknown>,
    recorded: unknown,
    key: string | undefined,
    record: AttemptRecord,
    read: (reply: PortalReply) => V,
  ): Promise<{ readonly verdict: V | PortalVerdict }> {
    for (let round = 0; ; round += 1) {
      const pending = this.#sessionPromise(record);
      const session = await pending;
      if (typeof session !== 'string') return { verdict: session };
      const body = JSON.stringify({ session, ...params, service });
      record.call(service, { ...(recorded as object), service });
      const reply = await postJson(endpointUrl(this.#config.adapterUrl, this.#config.integrationEndpoint), body, { dstcode: this.#config.dstcode, ...(key ? { 'idempotency-key': key } : {}) }, this.#config.timeoutMs);
      record.answer(service, reply, service === 'TraCuuHoSo' ? lookUpAnswerAsRecorded : true);
      if ('transport' in reply) return { verdict: transportVerdict(service, reply) };
      const verdict = read(reply);
      if (verdict.kind !== 'session-expired' || round > 0) return { verdict };
      this.#deps.logger.info({ receiver: 'portal', service }, 'the portal did not accept the session: authenticating again');
      // Another lane may have renewed it already: only the session this call used is dropped.
      if (this.#session === pending) this.#session = undefined;
    }
  }

  /** The cached session, or a new one shared by every lane that asks meanwhile; a failed authentication is not cached. */
  #sessionPromise(record: AttemptRecord): Promise<string | PortalVerdict> {
    if (this.#session) return this.#session;
    const pending = this.#authenticate(record).then((session) => {
      if (typeof session !== 'string' && this.#session === pending) this.#session = undefined;
      return session;
    });
    this.#session = pending;
    return pending;
  }

  async #authenticate(record: AttemptRecord): Promise<string | PortalVerdict> {
    record.call('auth');
    const reply = await postJson(endpointUrl(this.#config.adapterUrl, this.#config.authEndpoint), JSON.stringify({ username: this.#config.username, password: this.#password }), { dstcode: this.#config.dstcode }, this.#config.timeoutMs);
    // The answer carries the session: only its status is recorded.
    record.answer('auth', reply, false);
    if ('transport' in reply) return transportVerdict('auth', reply);
    const verdict = readAuthAnswer(reply);
    return verdict.kind === 'session' ? verdict.session : verdict;
  }

  #remember(dossierCode: string): void {
    this.#held.delete(dossierCode);
    this.#held.add(dossierCode);
    if (this.#held.size > REMEMBERED) this.#held.delete(this.#held.values().next().value!);
  }
}
