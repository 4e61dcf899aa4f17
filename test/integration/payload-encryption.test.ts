// The applicant's personal data never rests in clear in Temporal: a dossier's history, read from
// the server as it stores it (no codec between), holds none of it, and the Temporal UI gets it back
// only through the API's codec endpoint, for the roles that read dossiers.
import { randomInt } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../platform/payload-codec.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents } from '../support/dossier-fixtures.js';
import { authAs, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'payload-encryption' });
});
afterAll(() => engine?.close());

const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');
// Unique to this run, so a match can only come from this dossier.
const applicant = {
  kind: 'citizen' as const,
  fullName: `Phạm Thị Kín Đáo ${digits(4)}`,
  identityNumber: `0011${digits(8)}`,
  phone: `09${digits(8)}`,
  address: `Số ${digits(3)}, ngõ Riêng Tư, phường Hoàn Kiếm, Hà Nội`,
};
const personalData = [applicant.fullName, applicant.identityNumber, applicant.phone, applicant.address];

/** Every leaf of a protobuf message tree: bytes as they are, strings, with where they sit. */
function* leaves(value: unknown, at: string): Generator<{ at: string; value: Uint8Array | string }> {
  if (value instanceof Uint8Array || typeof value === 'string') yield { at, value };
  else if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* leaves(item, `${at}[${index}]`);
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) yield* leaves(item, `${at}.${key}`);
}

/** Every payload of a message tree: an object with metadata.encoding and data. */
function* payloadsIn(value: unknown, at: string): Generator<{ at: string; payload: Payload }> {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  const candidate = value as Payload;
  if (candidate.metadata?.encoding instanceof Uint8Array) {
    yield { at, payload: candidate };
    return;
  }
  for (const [key, item] of Object.entries(value)) yield* payloadsIn(item, `${at}.${key}`);
}

const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const base64 = (text: string) => Buffer.from(text).toString('base64');

async function receivedAndAccepted(): Promise<string> {
  const reception = actor('reception', CENTRE);
  const created = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE, applicant }), await authAs(reception));
  expect(created.status).toBe(201);
  const code: string = created.json.dossierCode;
  const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) });
  expect(accepted.status).toBe(200);
  return code;
}

async function rawHistory(code: string) {
  const response = await engine.temporal.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: dossierWorkflowId(code) } });
  return response.history?.events ?? [];
}

const codecCall = async (direction: 'decode' | 'encode', payloads: unknown[], headers: Record<string, string>) => postJson(`${engine.url}/temporal-codec/${direction}`, { payloads }, { 'x-namespace': 'default', ...headers });
const wire = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')])),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

describe("a dossier's history in Temporal", () => {
  let code: string;
  let events: Awaited<ReturnType<typeof rawHistory>>;
  beforeAll(async () => {
    code = await receivedAndAccepted();
    events = await rawHistory(code);
  });

  it('holds none of the applicant’s personal data, in any payload of any event, in clear or in base64', () => {
    expect(events.length).toBeGreaterThan(5);
    const found: string[] = [];
    for (const [index, event] of events.entries()) {
      for (const leaf of leaves(event, `event ${index + 1}`)) {
        const text = typeof leaf.value === 'string' ? leaf.value : utf8(leaf.value);
        const asBase64 = typeof leaf.value === 'string' ? '' : Buffer.from(leaf.value).toString('base64');
        for (const secret of personalData) {
          if (text.includes(secret) || text.includes(base64(secret)) || asBase64.includes(base64(secret))) found.push(`${leaf.at}: ${secret}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  // In clear by design: the search attributes the server indexes, and the SDK's own bookkeeping in
  // markers (a patch's id; a local activity's sequence number, type and times), which its core
  // writes without the codec. The local activity's result beside them is encrypted.
  const CLEAR_BY_DESIGN = /searchAttributes|markerRecordedEventAttributes\.details\.(patch-data|data)\./;

  it('encrypts every payload with the newest key, except the search attributes and the SDK’s markers', () => {
    const payloads = events.flatMap((event, index) => [...payloadsIn(event, `event ${index + 1}`)]);
    const inClear = payloads.filter(({ at, payload }) => !CLEAR_BY_DESIGN.test(at) && utf8(payload.metadata?.encoding) !== ENCRYPTED_ENCODING).map(({ at }) => at);
    expect(inClear).toEqual([]);
    const encrypted = payloads.filter(({ payload }) => utf8(payload.metadata?.encoding) === ENCRYPTED_ENCODING);
    // The reception's and the acceptance's arguments, their answers, the appends' inputs and results.
    expect(encrypted.length).toBeGreaterThan(4);
    expect(new Set(encrypted.map(({ payload }) => utf8(payload.metadata?.[KEY_ID_METADATA])))).toEqual(new Set(['test-1']));
  });

  it('names the workflow and its search attributes without personal data', async () => {
    const description = await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).describe();
    const visible = JSON.stringify({ workflowId: description.workflowId, searchAttributes: description.searchAttributes, memo: description.memo ?? null });
    expect(description.workflowId).toBe(`dossier-${code}`);
    for (const secret of personalData) expect(visible).not.toContain(secret);
  });

  describe('through the codec endpoint the Temporal UI calls', () => {
    const receptionArguments = () => {
      const accepted = events.find((event) => event.workflowExecutionUpdateAcceptedEventAttributes)!;
      return accepted.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads!.map((payload) => wire(payload as Payload));
    };

    it('gives the payloads back in clear to every role that reads dossiers', async () => {
      for (const role of ['reception', 'officer', 'head', 'auditor'] as const) {
        const decoded = await codecCall('decode', receptionArguments(), await authAs(actor(role, CENTRE)));
        expect(decoded.status, role).toBe(200);
        const text = decoded.json.payloads.map((payload: { data: string }) => Buffer.from(payload.data, 'base64').toString('utf8')).join('\n');
        for (const secret of personalData) expect(text, role).toContain(secret);
        expect(Buffer.from(decoded.json.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
      }
    });

    it('refuses a caller without a token (401) and an admin (403), who manages catalogues, not dossiers', async () => {
      expect((await codecCall('decode', receptionArguments(), {})).status).toBe(401);
      const admin = await codecCall('decode', receptionArguments(), await authAs(actor('admin', CENTRE)));
      expect(admin.status).toBe(403);
      expect(JSON.stringify(admin.json)).not.toContain(applicant.fullName);
    });

    it('encodes as the engine does, refuses another namespace, and says so when a payload was altered', async () => {
      const headers = await authAs(actor('auditor', CENTRE));
      const plain = { metadata: { encoding: base64('json/plain') }, data: base64(JSON.stringify({ fullName: applicant.fullName })) };
      const encoded = await codecCall('encode', [plain], headers);
      expect(encoded.status).toBe(200);
      expect(Buffer.from(encoded.json.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(encoded.json.payloads[0].data, 'base64').toString('utf8')).not.toContain(applicant.fullName);
      expect((await codecCall('decode', encoded.json.payloads, headers)).json.payloads).toEqual([plain]);
      // Unencrypted payloads (histories recorded before encryption) come back as they were.
      expect((await codecCall('decode', [plain], headers)).json.payloads).toEqual([plain]);

      expect((await codecCall('decode', [plain], { ...headers, 'x-namespace': 'elsewhere' })).status).toBe(400);
      expect((await codecCall('decode', [plain], { ...headers, 'x-namespace': '' })).status).toBe(200);
      const data = Buffer.from(encoded.json.payloads[0].data, 'base64');
      data[data.length - 1]! ^= 1;
      const altered = await codecCall('decode', [{ ...encoded.json.payloads[0], data: data.toString('base64') }], headers);
      expect(altered.status).toBe(422);
      expect(altered.json.detail).toMatch(/does not decrypt: it was altered/);
      expect((await codecCall('decode', [{ data: 'not base64!' }], headers)).status).toBe(400);
    });
  });
});

describe('the codec endpoint of `npm start`, whose Temporal UI has no login', () => {
  let local: TestEngine;
  beforeAll(async () => {
    local = await startTestEngine({ name: 'codec-loopback', worker: false, codecCallers: 'loopback' });
  });
  afterAll(() => local?.close());

  const plain = { metadata: { encoding: base64('json/plain') }, data: base64('{}') };
  const call = async (options: { remoteAddress?: string; headers?: Record<string, string> }) =>
    local.app.inject({ method: 'POST', url: '/temporal-codec/decode', remoteAddress: options.remoteAddress ?? '127.0.0.1', headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', ...options.headers }, payload: { payloads: [plain] } });

  it('answers a caller on this machine without a token', async () => {
    expect((await call({})).statusCode).toBe(200);
    expect((await call({ headers: { host: 'localhost:3000' } })).statusCode).toBe(200);
  });

  it('refuses callers from elsewhere, through a proxy, or under a foreign host name, unless they bring a reader’s token', async () => {
    expect((await call({ remoteAddress: '192.0.2.10' })).statusCode).toBe(401);
    expect((await call({ headers: { 'x-forwarded-for': '192.0.2.10' } })).statusCode).toBe(401);
    expect((await call({ headers: { host: 'rebound.example:3000' } })).statusCode).toBe(401);
    expect((await call({ remoteAddress: '192.0.2.10', headers: await authAs(actor('auditor', CENTRE)) })).statusCode).toBe(200);
    expect((await call({ headers: await authAs(actor('admin', CENTRE)) })).statusCode).toBe(403);
  });
});
