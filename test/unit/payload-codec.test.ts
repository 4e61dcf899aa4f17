import { randomBytes } from 'node:crypto';
import vm from 'node:vm';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, payloadKeys, readEnvironment } from '../../platform/environment.js';
import { createPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionFailed } from '../../platform/payload-codec.js';
import { parsePayloadKeys, PayloadKeysMalformed } from '../../platform/payload-keys.js';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const applicant = { fullName: 'Nguyễn Thị Hoa', identityNumber: '001190000123', phone: '0912 345 678', address: 'Số 5, thôn Đông, xã Diễn Châu, tỉnh Nghệ An' };
const plain = (): Payload => defaultPayloadConverter.toPayload({ dossierCode: '000.01.01.H99-250701-0001', applicant });
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('the payload codec', () => {
  const older = keyText('2026-01');
  const newer = keyText('2026-12');

  it('encrypts a payload so none of its content shows, and decrypts it back to the same payload', async () => {
    const codec = createPayloadCodec(parsePayloadKeys(newer));
    const original = plain();
    const [encrypted] = await codec.encode([original]);
    expect(utf8(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8(encrypted!.metadata![KEY_ID_METADATA])).toBe('2026-12');
    for (const secret of Object.values(applicant)) expect(Buffer.from(encrypted!.data!).includes(Buffer.from(secret))).toBe(false);
    const [decrypted] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual({ dossierCode: '000.01.01.H99-250701-0001', applicant });
    expect(Object.keys(decrypted!.metadata!)).toEqual(Object.keys(original.metadata!));
  });

  it('gives the same payload a different ciphertext each time (a fresh IV)', async () => {
    const codec = createPayloadCodec(parsePayloadKeys(newer));
    const [first, second] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
  });

  it('after a rotation, encrypts with the newest key and still reads what the older one encrypted', async () => {
    const [beforeRotation] = await createPayloadCodec(parsePayloadKeys(older)).encode([plain()]);
    const rotated = createPayloadCodec(parsePayloadKeys(`${newer},${older}`));
    const [afterRotation] = await rotated.encode([plain()]);
    expect(utf8(afterRotation!.metadata![KEY_ID_METADATA])).toBe('2026-12');
    const decoded = await rotated.decode([beforeRotation!, afterRotation!]);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([expect.objectContaining({ applicant }), expect.objectContaining({ applicant })]);
  });

  it('refuses, naming the key id, a payload whose key is not listed', async () => {
    const [encrypted] = await createPayloadCodec(parsePayloadKeys(older)).encode([plain()]);
    const codec = createPayloadCodec(parsePayloadKeys(newer));
    await expect(codec.decode([encrypted!])).rejects.toThrow(PayloadDecryptionFailed);
    await expect(codec.decode([encrypted!])).rejects.toThrow(/key "2026-01", which MOTCUA_PAYLOAD_KEYS does not list/);
  });

  it('refuses a payload whose ciphertext was altered, or that was relabelled with another key id', async () => {
    const codec = createPayloadCodec(parsePayloadKeys(`${newer},${older}`));
    const [encrypted] = await codec.encode([plain()]);
    const data = Buffer.from(encrypted!.data!);
    data[data.length - 1]! ^= 1;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow(/key 2026-12 does not decrypt: it was altered/);
    const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('2026-01') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(PayloadDecryptionFailed);
    await expect(codec.decode([{ ...encrypted!, data: data.subarray(0, 5) }])).rejects.toThrow(PayloadDecryptionFailed);
  });

  it('encrypts bytes as the SDK hands them over: from the workflow sandbox’s realm, or protobuf’s empty `[]`', async () => {
    const codec = createPayloadCodec(parsePayloadKeys(newer));
    const original = plain();
    const foreign = (bytes: Uint8Array) => vm.runInNewContext('new Uint8Array(source)', { source: [...bytes] }) as Uint8Array;
    const sandboxed = { metadata: { encoding: foreign(original.metadata!.encoding!) }, data: foreign(original.data!) };
    expect(sandboxed.data instanceof Uint8Array).toBe(false);
    const [decoded] = await codec.decode(await codec.encode([sandboxed]));
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(expect.objectContaining({ applicant }));
    const empty = { metadata: { encoding: Buffer.from('binary/null') }, data: [] as unknown as Uint8Array };
    const [emptyBack] = await codec.decode(await codec.encode([empty]));
    expect(utf8(emptyBack!.metadata!.encoding)).toBe('binary/null');
    expect(emptyBack!.data).toHaveLength(0);
  });

  it('passes through, unchanged, a payload recorded before encryption', async () => {
    const codec = createPayloadCodec(parsePayloadKeys(newer));
    const original = plain();
    const [decoded] = await codec.decode([original]);
    expect(decoded).toBe(original);
  });
});

describe('the payload keys', () => {
  it('reads ids and 32-byte keys, newest first', () => {
    const keys = parsePayloadKeys(` ${keyText('k2')} , ${keyText('k1')}`);
    expect(keys.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(keys.every((key) => key.key.length === 32)).toBe(true);
  });

  it.each([
    ['', /lists no key/],
    [randomBytes(32).toString('base64'), /key 1 has no id/],
    [`k 1:${randomBytes(32).toString('base64')}`, /id must be/],
    [`k1:${randomBytes(16).toString('base64')}`, /key k1 must be 32 bytes in base64/],
    ['k1:not*base64*at*all*not*base64*at*all*not*base64*', /key k1 must be 32 bytes/],
    [`${keyText('k1')},${keyText('k1')}`, /the id k1 is given twice/],
  ])('refuses %j with a message that says what to write', (text, message) => {
    expect(() => parsePayloadKeys(text)).toThrow(PayloadKeysMalformed);
    expect(() => parsePayloadKeys(text)).toThrow(message);
  });

  it('names MOTCUA_PAYLOAD_KEYS when it is malformed, without repeating its value', () => {
    const secret = randomBytes(16).toString('base64');
    const read = () => readEnvironment({ MOTCUA_PAYLOAD_KEYS: `k1:${secret}` });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/MOTCUA_PAYLOAD_KEYS: key k1 must be 32 bytes/);
    expect(read).not.toThrow(secret);
  });

  it('is required where no local keys stand in, with a message that says how to make one', () => {
    expect(() => payloadKeys(readEnvironment({}))).toThrow(/set MOTCUA_PAYLOAD_KEYS.*openssl rand -base64 32/);
    const local = keyText('local-1');
    expect(payloadKeys(readEnvironment({}), { keys: () => local }).map((key) => key.id)).toEqual(['local-1']);
    expect(payloadKeys(readEnvironment({ MOTCUA_PAYLOAD_KEYS: keyText('prod-1') }), { keys: () => local }).map((key) => key.id)).toEqual(['prod-1']);
  });
});
