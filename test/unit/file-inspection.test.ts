// The intake's checks of a staged file: type by the bytes, PDF parse/encryption/pages, e-forms,
// digests, strict base64, hostile inputs. Files written to a scratch directory: no database.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FILE_RULES, type FileRules, fileRulesSchema } from '../../domain/files/file-rules.js';
import { decodeBase64File } from '../../documents/files/base64.js';
import { FileRefused } from '../../documents/files/file-refused.js';
import { inspectStagedFile } from '../../documents/files/inspect.js';
import { sniffMediaType } from '../../documents/files/sniff.js';
import { documentDirectory, readEnvironment } from '../../platform/environment.js';
import { BILLION_LAUGHS, encryptedPdf, JSON_EFORM, jpeg, objectStreamBomb, pdfOf, png, XML_EFORM } from '../support/file-fixtures.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-inspect-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const staged = (bytes: Uint8Array) => {
  const file = path.join(scratch, `${n++}.part`);
  writeFileSync(file, bytes);
  return { path: file, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
};
const EFORMS: FileRules = { ...DEFAULT_FILE_RULES, accept: ['application/xml', 'application/json'] };
const ALL: FileRules = { ...DEFAULT_FILE_RULES, accept: ['application/pdf', 'image/jpeg', 'image/png', 'application/xml', 'application/json'] };

async function refusal(bytes: Uint8Array, rules: FileRules = DEFAULT_FILE_RULES, declared = {}) {
  const error = await inspectStagedFile(staged(bytes), rules, declared).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileRefused);
  return error as FileRefused;
}

describe('the type of a file is read from its bytes', () => {
  it('accepts a PDF, counting its pages', async () => {
    expect(await inspectStagedFile(staged(await pdfOf(3)), DEFAULT_FILE_RULES)).toMatchObject({ mediaType: 'application/pdf', pages: 3 });
  });
  it('accepts a PNG and a JPEG', async () => {
    expect(await inspectStagedFile(staged(png()), DEFAULT_FILE_RULES)).toMatchObject({ mediaType: 'image/png' });
    expect(await inspectStagedFile(staged(jpeg()), DEFAULT_FILE_RULES)).toMatchObject({ mediaType: 'image/jpeg' });
  });
  it('accepts XML and JSON e-forms where the component takes them', async () => {
    expect(await inspectStagedFile(staged(XML_EFORM), EFORMS)).toMatchObject({ mediaType: 'application/xml' });
    expect(await inspectStagedFile(staged(JSON_EFORM), EFORMS)).toMatchObject({ mediaType: 'application/json' });
  });
  it('refuses a PNG sent as scan.pdf: the name and declared type count for nothing', async () => {
    const refused = await refusal(png(), { ...DEFAULT_FILE_RULES, accept: ['application/pdf'] }, { field: 'file' });
    expect(refused).toMatchObject({ code: 'FILE_TYPE_NOT_ACCEPTED', field: 'file' });
    expect(refused.message).toMatch(/is a PNG file by its content.*accepts PDF/);
  });
  it('refuses bytes of no known type, and an e-form where none is accepted', async () => {
    expect((await refusal(Buffer.from('PK\x03\x04 a zip'))).code).toBe('FILE_TYPE_NOT_ACCEPTED');
    expect((await refusal(XML_EFORM)).code).toBe('FILE_TYPE_NOT_ACCEPTED');
  });
  it('sniffs past a byte-order mark and white space to an e-form, never a PDF header past byte 0', () => {
    expect(sniffMediaType(Buffer.from('\uFEFF  \n<a/>'))).toBe('application/xml');
    expect(sniffMediaType(Buffer.from('\t[1]'))).toBe('application/json');
    expect(sniffMediaType(Buffer.from(' %PDF-1.7'))).toBeUndefined();
  });
});

describe('a PDF must parse, be readable and within the page limit', () => {
  it('refuses an encrypted PDF', async () => {
    expect((await refusal(await encryptedPdf())).code).toBe('FILE_ENCRYPTED');
  });
  it('refuses a truncated PDF', async () => {
    const pdf = await pdfOf(2);
    expect(await refusal(pdf.subarray(0, pdf.length - 100))).toMatchObject({ code: 'FILE_NOT_A_PDF', message: expect.stringMatching(/truncated/) });
  });
  it('refuses a PDF header over garbage', async () => {
    expect((await refusal(Buffer.from('%PDF-1.7\nnot really a pdf at all\n%%EOF\n'))).code).toBe('FILE_NOT_A_PDF');
  });
  it('refuses 101 pages where 100 are the most', async () => {
    expect(await refusal(await pdfOf(101))).toMatchObject({ code: 'FILE_TOO_MANY_PAGES', message: expect.stringMatching(/101 pages.*at most 100/) });
  });
  it('refuses an object stream that inflates past the check’s memory, in a process of its own the API outlives', async () => {
    // 300 KiB on the wire, 600 MiB inflated: the parse dies in its own process, the test process does not.
    const bomb = objectStreamBomb(600);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await refusal(bomb)).toMatchObject({ code: 'FILE_NOT_A_PDF', message: expect.stringMatching(/memory/) });
  }, 60_000);
});

describe('size, emptiness and the declared digest', () => {
  it('refuses an empty file', async () => {
    expect((await refusal(Buffer.alloc(0))).code).toBe('FILE_EMPTY');
  });
  it('refuses a file larger than the rule', async () => {
    expect(await refusal(png(), { ...DEFAULT_FILE_RULES, maxBytes: 10 })).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringMatching(/10 bytes/) });
  });
  it('refuses a file whose digest is not the one declared, and takes the declared one in any case', async () => {
    const bytes = png();
    expect((await refusal(bytes, DEFAULT_FILE_RULES, { sha256: 'a'.repeat(64) })).code).toBe('FILE_DIGEST_MISMATCH');
    const digest = createHash('sha256').update(bytes).digest('hex').toUpperCase();
    expect(await inspectStagedFile(staged(bytes), DEFAULT_FILE_RULES, { sha256: digest })).toMatchObject({ mediaType: 'image/png' });
  });
});

describe('e-forms must parse, and cannot expand entities', () => {
  it('refuses the billion laughs at its DOCTYPE, quickly and without memory to speak of', async () => {
    expect(await refusal(BILLION_LAUGHS, EFORMS)).toMatchObject({ code: 'FILE_MALFORMED_EFORM', message: expect.stringMatching(/DOCTYPE/) });
  });
  it('refuses an external entity (XXE) the same way', async () => {
    const xxe = Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>');
    expect((await refusal(xxe, EFORMS)).code).toBe('FILE_MALFORMED_EFORM');
  });
  it('refuses XML that is not well-formed, not UTF-8, or has an undeclared entity', async () => {
    expect((await refusal(Buffer.from('<a><b></a>'), EFORMS)).code).toBe('FILE_MALFORMED_EFORM');
    expect((await refusal(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]), EFORMS)).message).toMatch(/not UTF-8/);
    expect((await refusal(Buffer.from('<a>&lol9;</a>'), EFORMS)).code).toBe('FILE_MALFORMED_EFORM');
  });
  it('parses XML nested a hundred thousand deep without a stack to exhaust', async () => {
    const deep = Buffer.from(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`);
    expect(await inspectStagedFile(staged(deep), EFORMS)).toMatchObject({ mediaType: 'application/xml' });
  });
  it('refuses JSON that does not parse, and JSON that is a bare value', async () => {
    expect((await refusal(Buffer.from('{"a": 1,}'), EFORMS)).code).toBe('FILE_MALFORMED_EFORM');
    expect((await refusal(Buffer.from('[1, 2'), EFORMS)).code).toBe('FILE_MALFORMED_EFORM');
  });
  it('takes JSON nested a million deep without a stack overflow (V8 parses JSON iteratively)', async () => {
    const deep = Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    const outcome = await inspectStagedFile(staged(deep), ALL).catch((e: unknown) => e);
    // Either accepted or refused as malformed: never a crash.
    expect(outcome instanceof FileRefused ? outcome.code : (outcome as { mediaType: string }).mediaType).toMatch(/application\/json|FILE_MALFORMED_EFORM/);
  });
});

describe('strict base64', () => {
  const rules = DEFAULT_FILE_RULES.maxBytes;
  it('decodes padded standard base64', () => {
    expect(decodeBase64File(Buffer.from('xin chào').toString('base64'), 'content', rules).toString()).toBe('xin chào');
  });
  it.each([
    ['a data: URL', 'data:application/pdf;base64,AAAA', /data: URL/],
    ['a line break', 'AAAA\nAAAA', /outside the alphabet at position 4/],
    ['the URL-safe alphabet', 'AA-_', /outside the alphabet/],
    ['missing padding', 'AAA', /multiple of 4/],
    ['padding inside', 'AA==AAAA', /before the end/],
    ['non-zero bits after the last byte', 'AB==', /bits/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => decodeBase64File(text, 'components[0].files[0].content', rules)).toThrow(message);
  });
  it('refuses an oversized file before decoding it', () => {
    expect(() => decodeBase64File('A'.repeat(400), 'content', 100)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }));
  });
});

describe('the rules and the store directory', () => {
  it('defaults to PDF, JPEG and PNG of at most 20 MiB and 100 pages', () => {
    expect(fileRulesSchema.parse({})).toEqual({ accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 20 * 1024 * 1024, maxPages: 100 });
    expect(fileRulesSchema.safeParse({ accept: ['application/zip'] }).success).toBe(false);
    expect(fileRulesSchema.safeParse({ accept: ['image/png', 'image/png'] }).success).toBe(false);
    expect(fileRulesSchema.safeParse({ maxBytes: 2 * 1024 ** 3 }).success).toBe(false);
  });
  it('keeps documents in <data dir>/documents unless MOTCUA_DOCUMENT_DIR says otherwise', () => {
    expect(documentDirectory(readEnvironment({ MOTCUA_DATA_DIR: '/srv/motcua' }))).toBe('/srv/motcua/documents');
    expect(documentDirectory(readEnvironment({ MOTCUA_DOCUMENT_DIR: '/mnt/shared/documents' }))).toBe('/mnt/shared/documents');
  });
});

describe('a file already held, against a component’s rules', () => {
  it('fits when its type, size and pages are within them, and says which rule it misses otherwise', async () => {
    const { heldFileMisfit } = await import('../../domain/files/file-rules.js');
    const rules = fileRulesSchema.parse({ accept: ['application/pdf'], maxBytes: 1000, maxPages: 2 });
    expect(heldFileMisfit(rules, { mediaType: 'application/pdf', size: 1000, pages: 2 })).toBeUndefined();
    expect(heldFileMisfit(rules, { mediaType: 'image/png', size: 10 })).toContain('accepts application/pdf');
    expect(heldFileMisfit(rules, { mediaType: 'application/pdf', size: 1001 })).toContain('more than the 1000 bytes');
    expect(heldFileMisfit(rules, { mediaType: 'application/pdf', size: 10, pages: 3 })).toContain('3 pages');
  });
});
