// The mail sink: a real SMTP server (smtp-server) on 127.0.0.1 that the e-mail channel hands its
// notices to in tests and in `npm start` (docs/integrations.md#the-mail-sink-test-double). It is the mailbox the
// channel's contract is checked against, so it never just accepts:
//   - a message must have From, To, Subject and a Message-ID, be UTF-8 (or ASCII) throughout, and
//     have a non-empty text/plain part; otherwise it answers 554 naming what is wrong;
//   - the Message-ID must be <delivery key@domain> with the same key in X-Motcua-Delivery-Key; the
//     key (receiver/dossierCode/sequence/trigger) is recorded in a ReceiptLedger, so a resent
//     Message-ID is counted as a duplicate (and answered 250, as a mailbox would take it again).
// Faults (POST /__faults on its HTTP side, or `fail()`), per message transaction:
//   5xx         answers `status` after the data (451 by default: transient; 550: permanent);
//   timeout     never answers the data (the client's deadline ends it);
//   slow        answers after `delayMs`;
//   malformed   answers a line that is not SMTP, then closes;
//   lose-answer acts on the message, then drops the connection before the final 250;
//   down        drops the connection at MAIL FROM, without acting.
// HTTP side (Fastify): GET /__inspect (the messages received), GET /__receipts, POST /__faults.
import type { Socket } from 'node:net';
import Fastify from 'fastify';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { installReceiverControls, ReceiptLedger, type Receipt, type ReceiptSummary, type ReceiverFault } from './receiver-double.js';

export interface SinkMessage {
  readonly at: string;
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly messageId?: string;
  /** The delivery key the Message-ID carries. */
  readonly key?: string;
  readonly from?: string;
  readonly to?: string;
  readonly subject?: string;
  readonly text?: string;
  readonly html?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Accepted (a receipt was recorded, new or duplicate) or refused for breaking the contract. */
  readonly outcome: 'new' | 'duplicate' | 'refused' | 'faulted';
  readonly violation?: string;
}

export interface SmtpSink {
  readonly smtpPort: number;
  /** The HTTP side's base URL. */
  readonly url: string;
  messages(): readonly SinkMessage[];
  readonly ledger: ReceiptLedger;
  /** What the sink acted on, by Message-ID's key, in arrival order. */
  receipts(): readonly Receipt[];
  summary(): ReceiptSummary;
  fail(fault: ReceiverFault): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  readonly smtpPort?: number;
  readonly httpPort?: number;
  /** Require AUTH (PLAIN or LOGIN) with these credentials; none by default. */
  readonly auth?: { readonly user: string; readonly password: string };
}

// ---- A minimal MIME reader: headers, encoded words, multipart, quoted-printable and base64. ----

interface Entity {
  readonly headers: Map<string, string>;
  readonly body: Buffer;
}

function parseEntity(raw: Buffer): Entity {
  let split = raw.indexOf('\r\n\r\n');
  let gap = 4;
  if (split < 0) {
    split = raw.indexOf('\n\n');
    gap = 2;
  }
  const head = (split < 0 ? raw : raw.subarray(0, split)).toString('utf8');
  const body = split < 0 ? Buffer.alloc(0) : raw.subarray(split + gap);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** `text/plain; charset=utf-8` → type and parameters (lower-case names). */
function parameters(value: string | undefined): { readonly type: string; readonly params: Map<string, string> } {
  const [type = '', ...rest] = (value ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const part of rest) {
    const equals = part.indexOf('=');
    if (equals > 0) params.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8Charset = (charset: string | undefined) => charset === undefined || /^(utf-?8|us-ascii)$/i.test(charset);

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let index = 0; index < soft.length; index += 1) {
    const character = soft[index]!;
    if (character === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(index + 1, index + 3))) {
      bytes.push(parseInt(soft.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(...Buffer.from(character, 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeBody(entity: Entity): Buffer {
  const encoding = (entity.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.toString('ascii').replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(entity.body.toString('latin1'));
  return entity.body;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / ?Q?); throws on a charset other than UTF-8. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(\s+(?==\?))?/g, (_word, charset: string, encoding: string, text: string) => {
    if (!isUtf8Charset(charset)) throw new Error(`a header is encoded in ${charset}, not UTF-8`);
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' '));
    return UTF8.decode(bytes);
  });
}

/** The text/plain and text/html parts, decoded; throws on a part that is not UTF-8. */
function textParts(entity: Entity, found: { text?: string; html?: string } = {}): { text?: string; html?: string } {
  const { type, params } = parameters(entity.headers.get('content-type'));
  if (type.startsWith('multipart/')) {
    const boundary = params.get('boundary');
    if (!boundary) throw new Error(`a ${type} part has no boundary`);
    const pieces = entity.body.toString('latin1').split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    for (const piece of pieces.slice(1, -1)) if (piece.trim() !== '') textParts(parseEntity(Buffer.from(piece, 'latin1')), found);
    return found;
  }
  if (type === 'text/plain' || type === 'text/html') {
    if (!isUtf8Charset(params.get('charset'))) throw new Error(`the ${type} part is in ${params.get('charset')}, not UTF-8`);
    const text = UTF8.decode(decodeBody(entity));
    if (type === 'text/plain' && found.text === undefined) found.text = text;
    if (type === 'text/html' && found.html === undefined) found.html = text;
  }
  return found;
}

/** receiver/dossierCode/sequence/trigger (domain/outbox/deliveries.ts deliveryKey). */
function parseKey(key: string): { readonly dossierCode: string; readonly sequence: number; readonly trigger: string } | null {
  const parts = key.split('/');
  if (parts.length < 4 || parts[0] !== 'email' || !/^[1-9][0-9]*$/.test(parts[2]!)) return null;
  return { dossierCode: parts[1]!, sequence: Number(parts[2]), trigger: parts[3]! };
}

type Checked = Omit<SinkMessage, 'at' | 'envelope' | 'outcome'> & { readonly violation?: string };

/** What the message says and, when it breaks the contract, how. */
function checkMessage(raw: Buffer): Checked {
  const entity = parseEntity(raw);
  const headers = Object.fromEntries(entity.headers);
  const problems: string[] = [];
  let subject: string | undefined;
  let parts: { text?: string; html?: string } = {};
  try {
    subject = entity.headers.has('subject') ? decodeWords(entity.headers.get('subject')!) : undefined;
    parts = textParts(entity);
  } catch (error) {
    problems.push((error as Error).message);
  }
  for (const name of ['from', 'to', 'message-id'] as const) if (!entity.headers.get(name)) problems.push(`no ${name} header`);
  if (!subject?.trim()) problems.push('no Subject');
  if (!parts.text?.trim()) problems.push('no text/plain part, or an empty one');
  const messageId = entity.headers.get('message-id');
  const key = /^<([^<>@\s]+)@[^<>@\s]+>$/.exec(messageId ?? '')?.[1];
  if (messageId && !key) problems.push(`the Message-ID ${messageId.slice(0, 100)} is not <key@domain>`);
  if (key && !parseKey(key)) problems.push(`the Message-ID's key ${key.slice(0, 100)} is not an e-mail delivery key (email/dossierCode/sequence/trigger)`);
  if (key && entity.headers.get('x-motcua-delivery-key') !== key) problems.push('X-Motcua-Delivery-Key does not repeat the Message-ID\'s key');
  return {
    headers,
    ...(messageId ? { messageId } : {}),
    ...(key ? { key } : {}),
    ...(entity.headers.get('from') ? { from: decodeWords(entity.headers.get('from')!) } : {}),
    ...(entity.headers.get('to') ? { to: entity.headers.get('to')! } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(parts.text !== undefined ? { text: parts.text } : {}),
    ...(parts.html !== undefined ? { html: parts.html } : {}),
    ...(problems.length > 0 ? { violation: problems.join('; ') } : {}),
  };
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const ledger = new ReceiptLedger();
  const received: SinkMessage[] = [];
  const http = Fastify({ logger: false });
  const faults = installReceiverControls(http, ledger);
  http.get('/__inspect', async () => ({ messages: received }));
  // Clearing the faults over HTTP releases the transactions `timeout` holds, as fail() does.
  http.addHook('preHandler', async (request) => {
    if (request.url === '/__faults' && (request.body as { mode?: string } | null)?.mode === 'none') releaseAll();
  });
  const activeFaults = new Map<string, ReceiverFault>();
  const hanging = new Set<() => void>();
  const releaseAll = () => {
    for (const release of hanging) release();
    hanging.clear();
  };

  const server: SMTPServer = new SMTPServer({
    logger: false,
    banner: 'motcua mail sink',
    disabledCommands: ['STARTTLS'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.password) return callback(null, { user: auth.username });
      callback(smtpError(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address, session, callback) {
      const fault = faults.take('message');
      if (fault?.mode === 'down') return void socketOf(session)?.destroy();
      if (fault) activeFaults.set(session.id, fault);
      else activeFaults.delete(session.id);
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void answer(Buffer.concat(chunks), session, callback);
      });
    },
  });

  const socketOf = (session: SMTPServerSession): Socket | undefined =>
    [...(server.connections as unknown as Set<{ id: string; _socket: Socket }>)].find((connection) => connection.id === session.id)?._socket;

  async function answer(raw: Buffer, session: SMTPServerSession, callback: (error?: Error | null, message?: string) => void): Promise<void> {
    const fault = activeFaults.get(session.id);
    activeFaults.delete(session.id);
    const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address) };
    const checked = checkMessage(raw);
    const record = (outcome: SinkMessage['outcome']) => received.push({ at: new Date().toISOString(), envelope, ...checked, outcome });
    if (fault && fault.mode !== 'slow' && fault.mode !== 'lose-answer') {
      record('faulted');
      if (fault.mode === '5xx') {
        const status = fault.status !== undefined && fault.status >= 400 && fault.status < 600 ? fault.status : 451;
        return callback(smtpError(status, status < 500 ? 'Requested action aborted: local error in processing' : 'Requested action not taken: mailbox unavailable'));
      }
      if (fault.mode === 'timeout') return void hanging.add(() => socketOf(session)?.destroy());
      if (fault.mode === 'malformed') {
        const socket = socketOf(session);
        socket?.end('HTTP/1.1 200 OK\r\n\r\n');
        return;
      }
    }
    if (checked.violation || !checked.key) {
      record('refused');
      return callback(smtpError(554, `Message refused: ${checked.violation ?? 'no delivery key'}`));
    }
    const parsed = parseKey(checked.key)!;
    const outcome = ledger.act({ key: checked.key, dossierCode: parsed.dossierCode, sequence: parsed.sequence, detail: { trigger: parsed.trigger } });
    record(outcome);
    if (fault?.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 2000));
    if (fault?.mode === 'lose-answer') return void socketOf(session)?.destroy();
    callback(null, outcome === 'duplicate' ? `Message ${checked.messageId} already received; ignored` : `Message ${checked.messageId} accepted`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.smtpPort ?? 0, '127.0.0.1', () => resolve());
  });
  const smtpPort = (server.server.address() as { port: number }).port;
  const url = await http.listen({ host: '127.0.0.1', port: options.httpPort ?? 0 });
  return {
    smtpPort,
    url,
    messages: () => [...received],
    ledger,
    receipts: () => ledger.receipts(),
    summary: () => ledger.summary(),
    fail(fault) {
      faults.fail(fault);
      if (fault.mode === 'none') releaseAll();
    },
    async close() {
      releaseAll();
      for (const connection of server.connections as unknown as Set<{ _socket: Socket }>) connection._socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await http.close();
    },
  };
}

/** The `email` configuration that points the channel at a sink (for `npm start` and the tests). */
export function emailConfigForSink(sink: Pick<SmtpSink, 'smtpPort'>, auth?: { readonly user: string; readonly passwordReference: string }) {
  return {
    host: '127.0.0.1',
    port: sink.smtpPort,
    secure: false,
    requireTLS: false,
    ...(auth ? { auth: { user: auth.user, password: auth.passwordReference } } : {}),
    from: { address: 'thongbao@motcua.local', name: 'Hệ thống một cửa điện tử (thử nghiệm)' },
    timeoutMs: 10_000,
  };
}
