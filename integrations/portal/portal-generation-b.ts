// The national portal, API generation B (docs/integrations.md#how-each-generation-sends-a-delivery; TH's SyncLocalDataToDVCQGService):
//   POST {base}{URLThemMoi} [HoSoDongBoDVC] → {error_code, message}: "0" and "… thành công", or
//     "-3"/"3"/"… đã tồn tại" when the portal holds it already: then
//   POST {base}{URLCapNhat} [HoSoDongBoDVC] → {error_code, message} as above;
//   POST {base}{URLDongBoTienTrinh} [QuaTrinhXuLyDongBoDVC ≤ 10] → plain text "… thành công", only
//     after the dossier's push succeeded.
// TH sends no credentials (the province's integration platform or an allow-list guards it); a
// bearer token is sent when configured. Every call carries the delivery's Idempotency-Key.
//
// No look-up of a dossier is known for this generation from public code: the nightly
// reconciliation's look-up is the deployment's own capability, injected as `deps.lookUp`.
import type { DeliveryChannel, DeliveryContext, DeliveryResult } from '../outbox/delivery-channel.js';
import { inChunks } from '../../domain/portal-sync/progress-rows.js';
import { resolveSecret } from '../../platform/secret-reference.js';
import { readGenerationBAnswer, readProgressAnswer, type PortalReply, type PortalVerdict } from './portal-answers.js';
import { endpointUrl, type PortalGenerationBConfig } from './portal-config.js';
import { AttemptRecord, buildSync, maskedPayload, postJson, PortalUnavailable, resultOf, transportVerdict, type PortalChannelDeps, type PortalClient, type PortalLookUp } from './portal-wire.js';

export class PortalGenerationB implements DeliveryChannel, PortalClient {
  readonly receiver = 'portal' as const;
  readonly #config: PortalGenerationBConfig;
  readonly #deps: PortalChannelDeps;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(config: PortalGenerationBConfig, deps: PortalChannelDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#headers = config.bearer ? { authorization: `Bearer ${resolveSecret(config.bearer, 'portal.bearer', deps.env)}` } : {};
  }

  async deliver(context: DeliveryContext): Promise<DeliveryResult> {
    const sync = buildSync(context, this.#config, this.#deps.fileLink);
    if ('refused' in sync) return { outcome: 'failed', retryable: false, reason: sync.refused };
    const record = new AttemptRecord('B', sync);
    const body = JSON.stringify([sync.payload]);
    const masked = [maskedPayload(sync.payload)];
    let pushed = await this.#post('themmoi', this.#config.URLThemMoi, body, masked, context.key, record, readGenerationBAnswer);
    if (pushed.kind === 'already-exists') {
      pushed = await this.#post('capnhat', this.#config.URLCapNhat, body, masked, context.key, record, readGenerationBAnswer);
      // An update answered "already exists" is not one the portal made.
      if (pushed.kind === 'already-exists') return resultOf({ kind: 'refused', reason: `the portal answered the update of ${sync.dossierCode} with "already exists"`, message: pushed.message }, record);
    }
    if (pushed.kind !== 'delivered') return resultOf(pushed, record);
    for (const rows of inChunks(sync.rows, this.#config.progressChunkSize)) {
      const progress = await this.#post('tientrinh', this.#config.URLDongBoTienTrinh, JSON.stringify(rows), rows, context.key, record, readProgressAnswer);
      if (progress.kind !== 'delivered') return resultOf(progress, record);
    }
    return resultOf(pushed, record);
  }

  /** The reconciliation's look-up: the deployment's own (deps.lookUp), since none is known for this generation. */
  async lookUp(dossierCode: string): Promise<PortalLookUp> {
    if (!this.#deps.lookUp) throw new PortalUnavailable('generation B has no known dossier look-up: give the portal channel a lookUp capability to reconcile');
    return this.#deps.lookUp(dossierCode);
  }

  async #post(operation: string, path: string, body: string, masked: unknown, key: string, record: AttemptRecord, read: (reply: PortalReply) => PortalVerdict): Promise<PortalVerdict> {
    record.call(operation, masked);
    const reply = await postJson(endpointUrl(this.#config.base, path), body, { ...this.#headers, 'idempotency-key': key }, this.#config.timeoutMs);
    record.answer(operation, reply);
    return 'transport' in reply ? transportVerdict(operation, reply) : read(reply);
  }
}
