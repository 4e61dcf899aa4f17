import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryContext } from '../../integrations/outbox/delivery-channel.js';
import { interagencyConfigSchema } from '../../integrations/interagency/interagency-config.js';
import { classifyHandOffAnswer, createReferenceChannel } from '../../integrations/interagency/reference-channel.js';
import { actor, ECONOMY } from '../support/dossier-fixtures.js';
import { type HandOffReceiver, startHandOffReceiver } from '../support/hand-off-receiver.js';
import { landDossier } from '../support/interagency-dossier.js';

// The reference adapter (integrations/interagency/reference-channel.ts) against a loopback system
// that enforces the contract: the token, the schema, the key; and how each answer is classified.
const TOKEN = 'land-token-for-tests';
let land: HandOffReceiver;

beforeAll(async () => {
  land = await startHandOffReceiver({ token: TOKEN, system: 'land-registry' });
});
afterAll(async () => {
  await land?.close();
});

const fileLink = (dossierCode: string, sha256: string) => `https://motcua.example.gov.vn/portal-files/${dossierCode}/v1.${sha256.slice(0, 8)}.mac`;

function channel(token = 'LAND_TOKEN', url = land.url) {
  const config = interagencyConfigSchema.parse({ systems: { 'land-registry': { baseUrl: url, token: `env:${token}`, answers: 'callback', callbackSecret: 'env:LAND_CALLBACK', timeoutMs: 2000 } } });
  return createReferenceChannel('land-registry', config, { publicBaseUrl: 'https://motcua.example.gov.vn', fileLink, env: { LAND_TOKEN: TOKEN, WRONG_TOKEN: 'not-it' } });
}

let serial = 0;
/** The hand-off of a new dossier's land step. */
function handOff(): DeliveryContext {
  serial += 1;
  const scenario = landDossier(serial);
  scenario.play(scenario.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
  const events = scenario.events.map((event, index) => ({ version: index + 1, event, occurredAt: '2026-03-03T02:00:00.000Z', actor: { userId: 'u', role: 'officer', agencyCode: ECONOMY } }));
  const sequence = events.length;
  return { key: `land-registry/${scenario.dossierCode}/${sequence}/hand-off`, receiver: 'land-registry', trigger: 'hand-off', dossierCode: scenario.dossierCode, sequence, attempt: 1, events };
}

describe('the reference adapter of a system that carries out steps', () => {
  it('hands the step over with its token and key, gets the system’s reference, and recognises a resend', async () => {
    const context = handOff();
    const first = await channel().deliver(context);
    expect(first).toMatchObject({ outcome: 'delivered', reference: 'LAND-REGISTRY-1' });
    const receipt = land.receipts().find((entry) => entry.key === context.key)!;
    expect(receipt.message).toMatchObject({ kind: 'hand-off', system: 'land-registry', step: { stepId: 'land-registration', run: 1 }, answers: { mode: 'callback', callbackUrl: 'https://motcua.example.gov.vn/interagency/land-registry/answers' } });
    // The record: masked, with the digest of the body really sent.
    if (first.outcome === 'failed' || !first.exchange) throw new Error('no exchange');
    expect(JSON.stringify(first.exchange.request)).not.toContain('Trần Thị Bình');
    expect(first.exchange.requestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.exchange.response).toMatch(/^HTTP 202 /);
    const again = await channel().deliver({ ...context, attempt: 2 });
    expect(again).toMatchObject({ outcome: 'already-delivered', reference: 'LAND-REGISTRY-1' });
    if (again.outcome === 'failed' || !again.exchange) throw new Error('no exchange');
    // A retry sends the same body.
    expect(again.exchange.requestSha256).toBe(first.exchange.requestSha256);
    expect(land.receipts().filter((entry) => entry.key === context.key)).toHaveLength(1);
  });

  it('dead-letters at once what the system refuses for good (a wrong token, a broken contract), and retries what may pass', async () => {
    const context = handOff();
    const wrong = await channel('WRONG_TOKEN').deliver(context);
    expect(wrong).toMatchObject({ outcome: 'failed', retryable: false, reason: expect.stringMatching(/HTTP 401.*interagency\.systems\.land-registry\.token/) });
    for (const [status, retryable] of [[400, false], [422, false], [408, true], [429, true], [503, true]] as const) {
      land.fail({ mode: 'status', status, times: 1 });
      expect(await channel().deliver(context), `HTTP ${status}`).toMatchObject({ outcome: 'failed', retryable });
    }
    const down = await channel('LAND_TOKEN', 'http://127.0.0.1:9').deliver(context);
    expect(down).toMatchObject({ outcome: 'failed', retryable: true, reason: expect.stringMatching(/could not be reached/) });
    expect(land.receipts().filter((entry) => entry.key === context.key)).toHaveLength(0);
  });

  it('takes a 409 to a cancel as done (the system does not hold the step), and a 409 to a hand-off as a broken contract', () => {
    const conflict = { status: 409, text: '{"error":"not held"}' };
    expect(classifyHandOffAnswer('tax', conflict, 'cancel')).toEqual({ outcome: 'already-delivered' });
    expect(classifyHandOffAnswer('tax', conflict, 'hand-off')).toMatchObject({ outcome: 'failed', retryable: false });
    expect(classifyHandOffAnswer('tax', conflict, 'update')).toMatchObject({ outcome: 'failed', retryable: false });
  });

  it('is refused by the loopback system when it breaks the contract: no token, a body off the schema, a key that is not the message’s', async () => {
    const post = (body: unknown, headers: Record<string, string>) => fetch(`${land.url}/steps`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await post({}, {})).status).toBe(401);
    expect((await post({ key: 'k', kind: 'hand-off' }, { authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'k' })).status).toBe(400);
  });

  it('sends nothing for a delivery it cannot build (no step of the system), and says why', async () => {
    const context = handOff();
    const early = { ...context, events: context.events.slice(0, 3), sequence: 3, key: `land-registry/${context.dossierCode}/3/hand-off` };
    expect(await channel().deliver(early)).toMatchObject({ outcome: 'failed', retryable: false });
    expect(land.requests().some((request) => request.key === early.key)).toBe(false);
  });
});
