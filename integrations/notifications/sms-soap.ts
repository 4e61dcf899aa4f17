// SOAP by hand for Viettel's bulkSms CcApi (docs/integrations.md#sms-and-zalo): one fixed envelope for `wsCpMt`,
// every value escaped, and a reader that takes an envelope apart with saxes (strict XML 1.0, no
// DTD: a DOCTYPE is refused) into the operation (the Body's first element) and the text of its
// leaf elements by local name. Enough for wsCpMt's call and its answer
// (<return><message>Insert MT_QUEUE: OK</message><result>1</result></return>), and for a Fault.
import { SaxesParser } from 'saxes';

export const BULKSMS_NAMESPACE = 'http://impl.bulkSms.ws/';
const SOAP_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';

export const WS_CP_MT_FIELDS = ['User', 'Password', 'CPCode', 'RequestID', 'UserID', 'ReceiverID', 'ServiceID', 'CommandCode', 'Content', 'ContentType'] as const;
export type WsCpMt = Record<(typeof WS_CP_MT_FIELDS)[number], string>;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE}" xmlns:impl="${BULKSMS_NAMESPACE}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

/** The wsCpMt call, fields in the WSDL's order. */
export function wsCpMtEnvelope(call: WsCpMt): string {
  return envelope(`<impl:wsCpMt>${WS_CP_MT_FIELDS.map((name) => `<${name}>${escapeXml(call[name])}</${name}>`).join('')}</impl:wsCpMt>`);
}

/** The gateway's answer to wsCpMt (the double writes it; the adapter reads it). */
export function wsCpMtResponseEnvelope(result: string, message: string): string {
  return `<?xml version="1.0" ?><S:Envelope xmlns:S="${SOAP_ENVELOPE}"><S:Body><ns2:wsCpMtResponse xmlns:ns2="${BULKSMS_NAMESPACE}"><return><message>${escapeXml(message)}</message><result>${escapeXml(result)}</result></return></ns2:wsCpMtResponse></S:Body></S:Envelope>`;
}

export function soapFaultEnvelope(faultString: string): string {
  return envelope(`<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>${escapeXml(faultString)}</faultstring></soapenv:Fault>`);
}

export interface SoapMessage {
  /** Local name of the Body's first element (`wsCpMt`, `wsCpMtResponse`, `Fault`). */
  readonly operation: string;
  /** Text of the leaf elements under it, by local name (the first of each name). */
  readonly fields: Readonly<Record<string, string>>;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** The envelope's operation and fields, or an Error saying why it is not a SOAP envelope. */
export function readSoap(xml: string): SoapMessage | Error {
  const parser = new SaxesParser();
  const path: string[] = [];
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let operation: string | undefined;
  let textBuffer = '';
  let leaf = true;
  let fault: Error | undefined;
  parser.on('error', (error) => {
    fault ??= error;
  });
  parser.on('doctype', () => {
    fault ??= new Error('a DOCTYPE is not accepted');
  });
  parser.on('opentag', (tag) => {
    path.push(local(tag.name));
    textBuffer = '';
    leaf = true;
    if (operation === undefined && path.length === 3 && path[0] === 'Envelope' && path[1] === 'Body') operation = local(tag.name);
  });
  parser.on('text', (text) => {
    textBuffer += text;
  });
  parser.on('closetag', (tag) => {
    const name = local(tag.name);
    if (leaf && operation !== undefined && path.length > 3 && !Object.hasOwn(fields, name)) fields[name] = textBuffer;
    path.pop();
    leaf = false;
    textBuffer = '';
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    fault ??= error as Error;
  }
  if (fault) return fault;
  if (operation === undefined) return new Error('no SOAP Body with an operation');
  return { operation, fields };
}
