// An e-form (XML or JSON) must parse, read from the stored file. XML goes through saxes, a strict
// streaming parser (XML 1.0 well-formedness, no DTD processing), chunk by chunk, so its memory does
// not grow with the file; a DOCTYPE is refused outright, which shuts out entity expansion ("billion
// laughs") and external entities whatever the parser would do with them. JSON is parsed whole with
// JSON.parse (V8's parser is iterative: no stack to exhaust), bounded by the rule's maxBytes.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SaxesParser } from 'saxes';
import type { FileMediaType } from '../../domain/files/file-rules.js';

/** Why the e-form does not parse, in words for the sender; undefined when it parses. */
export async function eformFault(file: string, mediaType: Extract<FileMediaType, 'application/xml' | 'application/json'>): Promise<string | undefined> {
  return mediaType === 'application/xml' ? xmlFault(file) : jsonFault(file);
}

async function xmlFault(file: string): Promise<string | undefined> {
  const parser = new SaxesParser({ position: true });
  let fault: string | undefined;
  parser.on('error', (error) => {
    fault ??= error.message;
  });
  parser.on('doctype', () => {
    fault ??= 'it declares a DOCTYPE, which e-forms may not carry (no DTD, no entities)';
  });
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    for await (const chunk of createReadStream(file)) {
      parser.write(decoder.decode(chunk as Buffer, { stream: true }));
      if (fault) return fault;
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    if (error instanceof TypeError) return 'it is not UTF-8 text';
    fault ??= (error as Error).message;
  }
  return fault;
}

async function jsonFault(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch (error) {
    if (error instanceof TypeError) return 'it is not UTF-8 text';
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return 'it is not a JSON object or array';
  } catch (error) {
    return `it is not JSON (${(error as Error).message})`;
  }
  return undefined;
}
