// Every receiver of the outbox as a loopback double (docs/integrations.md), started together by
// `npm start` (so a newcomer sees deliveries happen) and by tests that want the real contracts: the
// national portal (generation B, which downloads every file link it is sent), the SMTP sink, the
// SMS gateway (Viettel's plain-text SOAP) and Zalo ZNS, and on request the outside systems that carry
// out route steps (doubles/interagency-doubles.ts), with an outbox configuration pointing at them. The doubles' accounts are their published development ones; the configuration reaches
// them through secret references to files, as a deployment's would.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_NOTICE_TEMPLATES } from '../domain/notifications/default-templates.js';
import type { ZnsParamType as NoticeParamType } from '../domain/notifications/templates.js';
import { NOTICE_TRIGGERS, type NoticeTrigger } from '../domain/outbox/deliveries.js';
import type { OutboxConfig } from '../integrations/outbox/channels.js';
import { outboxConfigSchema } from '../integrations/outbox/channels.js';
import { type InteragencyDoubles, type InteragencyDoublesOptions, startInteragencyDoubles } from './interagency-doubles.js';
import type { PortalDouble } from './portal-double-contract.js';
import { startPortalDoubleB } from './portal-double-b.js';
import { SMS_DOUBLE_ACCOUNTS, type SmsGatewayDouble, startSmsGatewayDouble } from './sms-gateway-double.js';
import { emailConfigForSink, type SmtpSink, startSmtpSink } from './smtp-sink.js';
import { startZnsDouble, ZNS_DOUBLE_DEFAULTS, type ZnsDouble, type ZnsParamType } from './zns-double.js';

export interface OutboxDoubles {
  readonly portal: PortalDouble;
  readonly smtp: SmtpSink;
  readonly sms: SmsGatewayDouble;
  readonly zns: ZnsDouble;
  /** The land, tax and civil-status systems, when started with `interagency`. */
  readonly interagency?: InteragencyDoubles;
  /** The outbox configuration that sends to these doubles, links pointing at `publicBaseUrl`. */
  config(publicBaseUrl: string, overrides?: Partial<OutboxConfig>): OutboxConfig;
  /** Where each double's inspection page is (GET /__inspect, /__receipts; POST /__faults). */
  urls(): Record<string, string>;
  close(): Promise<void>;
}

// The notices' ZNS parameter types as the ZNS double names them (the same caps).
const ZNS_TYPE: Readonly<Record<NoticeParamType, ZnsParamType>> = { name: 'name', code: 'code', address: 'address', time: 'date', amount: 'currency', url: 'text' };

/** One approved ZNS template per notice, with the notices' default parameters. */
function znsTemplates(): { ids: Partial<Record<NoticeTrigger, string>>; registry: Record<string, Record<string, ZnsParamType>> } {
  const ids: Partial<Record<NoticeTrigger, string>> = {};
  const registry: Record<string, Record<string, ZnsParamType>> = {};
  NOTICE_TRIGGERS.forEach((trigger, index) => {
    const id = String(302_001 + index);
    ids[trigger] = id;
    registry[id] = Object.fromEntries(Object.entries(DEFAULT_NOTICE_TEMPLATES[trigger].zns.params).map(([name, param]) => [name, ZNS_TYPE[param.type]]));
  });
  return { ids, registry };
}

/**
 * Starts the doubles; `secretsDir` receives the files their credentials are referenced from.
 * `unitIdentifier`: what every dossier code the portal accepts starts with (the sample's agencies: "000.");
 * `provinceIdentifier`: the province's MaDinhDanhTinh the adapter checks codes against ("H99", the sample's).
 */
export async function startOutboxDoubles(options: {
  readonly secretsDir: string;
  readonly unitIdentifier?: string;
  readonly provinceIdentifier?: string;
  /** Also start the interagency systems' doubles (npm start: each answers 20 s after the last thing it did). */
  readonly interagency?: Omit<InteragencyDoublesOptions, 'secretsDir'>;
}): Promise<OutboxDoubles> {
  const zns = znsTemplates();
  const portal = await startPortalDoubleB({ unitIdentifier: options.unitIdentifier ?? '000.' });
  const smtp = await startSmtpSink();
  const sms = await startSmsGatewayDouble();
  const znsDouble = await startZnsDouble({ templates: zns.registry });
  const interagency = options.interagency ? await startInteragencyDoubles({ ...options.interagency, secretsDir: path.join(options.secretsDir, 'interagency') }) : undefined;
  mkdirSync(options.secretsDir, { recursive: true, mode: 0o700 });
  const secret = (name: string, value: string) => {
    const file = path.join(options.secretsDir, name);
    writeFileSync(file, value, { mode: 0o600 });
    return `file:${path.resolve(file)}`;
  };
  const smsPassword = secret('sms-viettel-password', SMS_DOUBLE_ACCOUNTS.viettel.password);
  const znsSecret = secret('zalo-secret-key', ZNS_DOUBLE_DEFAULTS.secretKey);
  const znsRefresh = secret('zalo-refresh-token', ZNS_DOUBLE_DEFAULTS.refreshToken);
  return {
    portal,
    smtp,
    sms,
    zns: znsDouble,
    ...(interagency ? { interagency } : {}),
    config(publicBaseUrl, overrides = {}) {
      const interagencySection = interagency ? { interagency: interagency.config(publicBaseUrl) } : {};
      return outboxConfigSchema.parse({
        ...interagencySection,
        publicBaseUrl,
        portal: { generation: 'B', base: portal.url, URLThemMoi: '/hoso/themmoi', URLCapNhat: '/hoso/capnhat', URLDongBoTienTrinh: '/tientrinh', provinceIdentifier: options.provinceIdentifier ?? 'H99' },
        email: emailConfigForSink(smtp),
        sms: { default: { provider: 'viettel', url: sms.viettelUrl, user: SMS_DOUBLE_ACCOUNTS.viettel.user, password: smsPassword, cpCode: SMS_DOUBLE_ACCOUNTS.viettel.cpCode, serviceId: SMS_DOUBLE_ACCOUNTS.viettel.serviceId } },
        zalo: { baseUrl: znsDouble.url, oauthBaseUrl: znsDouble.url, appId: ZNS_DOUBLE_DEFAULTS.appId, secretKey: znsSecret, refreshToken: znsRefresh, templates: zns.ids },
        ...overrides,
      });
    },
    urls: () => ({ portal: portal.url, smtp: smtp.url, sms: sms.url, zns: znsDouble.url, ...Object.fromEntries(Object.entries(interagency?.urls() ?? {}).map(([system, url]) => [`interagency:${system}`, url])) }),
    async close() {
      await Promise.allSettled([portal.close(), smtp.close(), sms.close(), znsDouble.close(), interagency?.close()]);
    },
  };
}
