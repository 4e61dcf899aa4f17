// The little DER the signer writes and the verifier reads around pkijs: element headers, and
// elements built from their parts (X.690: single-byte tags, definite lengths).

export interface DerHeader {
  readonly tag: number;
  /** Where the element starts, where its contents start, and where it ends. */
  readonly at: number;
  readonly start: number;
  readonly end: number;
}

/** The tag and length of the DER element at `at` (single-byte tags, definite lengths), or undefined. */
export function derHeader(bytes: Uint8Array, at: number): DerHeader | undefined {
  if (at + 2 > bytes.length) return undefined;
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = bytes[at + 1]!;
  if (first < 0x80) return { tag, at, start: at + 2, end: at + 2 + first };
  const count = first & 0x7f;
  if (count === 0 || count > 4 || at + 2 + count > bytes.length) return undefined;
  let length = 0;
  for (let index = 0; index < count; index++) length = length * 256 + bytes[at + 2 + index]!;
  return { tag, at, start: at + 2 + count, end: at + 2 + count + length };
}

/** The children of the constructed element whose header is `parent`, as headers; undefined if they do not fill it exactly. */
export function derChildren(bytes: Uint8Array, parent: DerHeader): DerHeader[] | undefined {
  const children: DerHeader[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = derHeader(bytes, at);
    if (!child || child.end > parent.end) return undefined;
    children.push(child);
    at = child.end;
  }
  return children;
}

/** The whole element `header` describes, tag and length included. */
export const derBytes = (bytes: Uint8Array, header: DerHeader): Uint8Array => bytes.subarray(header.at, header.end);

export function derElement(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  const lengthBytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
  const header = length < 0x80 ? [tag, length] : [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  return Buffer.concat([Uint8Array.from(header), ...contents]);
}

export const DER = { INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30, SET: 0x31, CONTEXT_0: 0xa0 } as const;
