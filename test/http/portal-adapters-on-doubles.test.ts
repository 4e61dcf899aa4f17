import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PORTAL_A_DEFAULTS, startPortalDoubleA } from '../../doubles/portal-double-a.js';
import { startPortalDoubleB } from '../../doubles/portal-double-b.js';
import type { PortalDouble } from '../../doubles/portal-double-contract.js';
import { deliveryKey } from '../../domain/outbox/deliveries.js';
import type { DeliveryContext } from '../../integrations/outbox/delivery-channel.js';
import { createPortalChannel, type PortalChannel } from '../../integrations/portal/create-portal-channel.js';
import { portalConfigSchema } from '../../integrations/portal/portal-config.js';
import { portalSyncWanted } from '../../domain/portal-sync/sync-rule.js';
import { watchPlays } from '../support/delivered-events.js';
import { documentedLandDossier } from '../support/documented-dossier.js';

// The portal's adapters against the portal's own doubles (doubles/portal-double-a.ts, -b.ts), which
// check the contract as the real portal would: the documented land dossier (supplements, a fee paid
// online, form 04, the e-result), every event the sync
// rule picks, delivered in order, each acted on once; a resend recognised; an expired session
// logged in again; every file link downloaded (generation B).

let files: FastifyInstance;
let filesUrl = '';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  files = Fastify();
  files.get('/*', async (_request, reply) => reply.type('application/pdf').send(PDF));
  filesUrl = await files.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => files.close());
afterEach(() => vi.restoreAllMocks());

const deps = () => ({ fileLink: (code: string, sha: string) => `${filesUrl}/portal-files/${code}/${sha}`, logger: pino({ level: 'silent' }), env: { PORTAL_PASSWORD: PORTAL_A_DEFAULTS.password } });

/** The documented land dossier's portal deliveries, in order, as the lanes would hand them over. */
function deliveries(serial: number): { code: string; contexts: DeliveryContext[] } {
  const plays = watchPlays();
  const dossier = documentedLandDossier(serial);
  const events = plays.delivered(dossier);
  const contexts = events
    .filter((delivered) => portalSyncWanted(delivered.event))
    .map((delivered) => {
      const sequence = delivered.version;
      return { key: deliveryKey('portal', dossier.dossierCode, sequence, 'status'), receiver: 'portal' as const, trigger: 'status' as const, dossierCode: dossier.dossierCode, sequence, attempt: 1, events: events.slice(0, sequence) };
    });
  return { code: dossier.dossierCode, contexts };
}

async function deliverAll(channel: PortalChannel, contexts: readonly DeliveryContext[]) {
  for (const context of contexts) {
    const result = await channel.deliver(context);
    expect(result.outcome, `${context.key}: ${result.outcome === 'failed' ? result.reason : ''}`).toBe('delivered');
  }
}

function expectActedOnceInOrder(portal: PortalDouble, code: string, contexts: readonly DeliveryContext[]) {
  const keys = [...new Set(portal.receipts().filter((receipt) => receipt.dossierCode === code).map((receipt) => receipt.key))];
  expect(keys).toEqual(contexts.map((context) => context.key));
  expect(portal.summary().outOfOrder).toEqual([]);
}

describe('generation A against its double', () => {
  it('syncs the whole dossier in order to status 9 (result ready), recognises a resend, and logs in again when the session expired', async () => {
    const code = deliveries(7301).code;
    const portal = await startPortalDoubleA({ unitIdentifier: code.split('-')[0]! });
    try {
      const channel = createPortalChannel(
        portalConfigSchema.parse({ generation: 'A', adapterUrl: portal.url, username: PORTAL_A_DEFAULTS.username, password: 'env:PORTAL_PASSWORD', dstcode: PORTAL_A_DEFAULTS.dstcode, madonvi: { default: '000.00.00.H99' }, provinceIdentifier: 'H99', timeoutMs: 2000 }),
        deps(),
      );
      const { contexts } = deliveries(7301);
      const half = Math.floor(contexts.length / 2);
      await deliverAll(channel, contexts.slice(0, half));
      portal.expireSessions();
      await deliverAll(channel, contexts.slice(half));
      expect(portal.dossier(code)?.status).toBe(9);
      expectActedOnceInOrder(portal, code, contexts);
      const resent = await channel.deliver({ ...contexts.at(-1)!, attempt: 2 });
      expect(resent.outcome).not.toBe('failed');
      expect(portal.summary().duplicateKeys).toContain(contexts.at(-1)!.key);
      expect((await channel.lookUp(code)).status).toBe(9);
    } finally {
      await portal.close();
    }
  });
});

describe('generation B against its double', () => {
  it('syncs the whole dossier in order to status 9 (result ready), every file link downloaded, and recognises a resend', async () => {
    const { code, contexts } = deliveries(7302);
    const portal = await startPortalDoubleB({ unitIdentifier: code.split('-')[0]! });
    try {
      const channel = createPortalChannel(portalConfigSchema.parse({ generation: 'B', base: portal.url, URLThemMoi: '/hoso/themmoi', URLCapNhat: '/hoso/capnhat', URLDongBoTienTrinh: '/tientrinh', provinceIdentifier: 'H99', timeoutMs: 2000 }), deps());
      await deliverAll(channel, contexts);
      expect(portal.dossier(code)?.status).toBe(9);
      expectActedOnceInOrder(portal, code, contexts);
      const fetched = (portal as PortalDouble & { fetched(): readonly { url: string; ok: boolean }[] }).fetched();
      expect(fetched.length).toBeGreaterThan(0);
      expect(fetched.every((file) => file.ok && file.url.startsWith(`${filesUrl}/portal-files/${code}/`))).toBe(true);
      const resent = await channel.deliver({ ...contexts.at(-1)!, attempt: 2 });
      expect(resent.outcome).not.toBe('failed');
      expect(portal.summary().duplicateKeys).toContain(contexts.at(-1)!.key);
    } finally {
      await portal.close();
    }
  });
});
