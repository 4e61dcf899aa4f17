import { z } from 'zod';
import { agencyCodeSchema } from '../dossier/actor.js';
import { NOTICE_TRIGGERS, type NoticeTrigger } from '../outbox/deliveries.js';
import { DEFAULT_NOTICE_TEMPLATES } from './default-templates.js';
import type { NoticeContent } from './notice-content.js';
import { LINK_PLACEHOLDERS, oneLine, parseTemplate, placeholderValues, truncate, type NoticePlaceholder, type TemplatePart, type ValueStyle } from './placeholders.js';
import { gsmSeptets, smsParts, SMS_SINGLE_PART, toAscii } from './sms-text.js';

// The notices' templates per trigger and channel (./default-templates.ts), a unit's own wording
// over them (configuration, keyed by the receiving centre's agency code), and their rendering:
// e-mail as a subject, a text body and a simple HTML body; SMS in ASCII with its GSM length; ZNS
// as the approved template's parameters, each cut to its type's length cap.
export { toAscii } from './sms-text.js';
export { NOTICE_PLACEHOLDERS, type NoticePlaceholder } from './placeholders.js';

/**
 * ZNS parameter types and their length caps. name, code and address are ZSDK's (docs/integrations.md#sms-and-zalo);
 * time, amount and url are guesses kept under the caps seen for the types of that kind.
 */
export const ZNS_PARAM_CAPS = { name: 30, code: 30, address: 200, time: 20, amount: 20, url: 200 } as const;
export type ZnsParamType = keyof typeof ZNS_PARAM_CAPS;
const ZNS_PARAM_TYPES = Object.keys(ZNS_PARAM_CAPS) as [ZnsParamType, ...ZnsParamType[]];

export interface EmailTemplate {
  readonly subject: string;
  readonly text: string;
}
export interface SmsTemplate {
  readonly text: string;
}
export interface ZnsTemplate {
  /** template_data's parameters: name → its value's template and type. */
  readonly params: Readonly<Record<string, { readonly value: string; readonly type: ZnsParamType }>>;
}
export interface TriggerTemplates {
  readonly email: EmailTemplate;
  readonly sms: SmsTemplate;
  readonly zns: ZnsTemplate;
}
export type NoticeTemplates = Readonly<Record<NoticeTrigger, TriggerTemplates>>;

const AGENCY_PLACEHOLDERS: readonly NoticePlaceholder[] = ['tenDonVi', 'coQuanXinLoi'];
const TIME_PLACEHOLDERS: readonly NoticePlaceholder[] = ['thoiGian', 'ngayTiepNhan', 'ngayHenTra', 'ngayHenTraMoi'];

/**
 * What an e-mail's subject may not carry: the subject is kept in each attempt's record
 * (integrations/notifications/email-channel.ts) and shown in mail previews, so no name, secret,
 * link (a signed link opens the letter) or text a person typed.
 */
export const NOT_IN_SUBJECT: readonly NoticePlaceholder[] = ['tenNguoiNhan', 'maTraCuu', 'danhSachBoSung', 'lyDo', 'canCu', 'cachNop', 'linkThanhToan', 'lyDoXinLoi', 'linkVanBan'];

/** A template's text: only known placeholders; a notice's body also names the dossier, the agency and a time (Decree 224/2026 art. 15(1)(g)). */
function templateText(max: number, { body = false, singleLine = false, subject = false } = {}) {
  return z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, context) => {
      const parsed = parseTemplate(text);
      if ('error' in parsed) return void context.addIssue({ code: 'custom', message: parsed.error });
      if (singleLine && oneLine(text) !== text.trim()) context.addIssue({ code: 'custom', message: 'must be one line (no line breaks or control characters)' });
      const used = new Set(parsed.parts.flatMap((part) => ('placeholder' in part ? [part.placeholder] : [])));
      const personal = subject ? NOT_IN_SUBJECT.filter((name) => used.has(name)) : [];
      if (personal.length > 0) context.addIssue({ code: 'custom', message: `must not carry ${personal.map((name) => `{${name}}`).join(', ')}: the subject is kept in the delivery's record and shown in mail previews; put it in the text` });
      if (!body) return;
      const lacking = [
        used.has('maHoSo') ? null : '{maHoSo}',
        AGENCY_PLACEHOLDERS.some((name) => used.has(name)) ? null : '{tenDonVi}',
        TIME_PLACEHOLDERS.some((name) => used.has(name)) ? null : '{thoiGian}',
      ].filter((name) => name !== null);
      if (lacking.length > 0) context.addIssue({ code: 'custom', message: `must name the dossier, the agency and a time (Decree 224/2026 art. 15(1)(g)); add ${lacking.join(', ')}` });
    });
}

const triggerOverrideSchema = z
  .object({
    email: z.object({ subject: templateText(300, { singleLine: true, subject: true }), text: templateText(10_000, { body: true }) }).partial().strict().optional(),
    sms: z.object({ text: templateText(1000, { body: true }) }).strict().optional(),
    zns: z
      .object({
        params: z.record(
          z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be a ZNS parameter name: lower case letters, digits and _'),
          z.object({ value: templateText(400), type: z.enum(ZNS_PARAM_TYPES) }).strict(),
        ),
      })
      .strict()
      .optional(),
  })
  .strict();

const templateOverridesSchema = z.partialRecord(z.enum(NOTICE_TRIGGERS), triggerOverrideSchema);
export type NoticeTemplateOverrides = z.infer<typeof templateOverridesSchema>;

/**
 * The `notices.templates` configuration: the deployment's wording (`default`) and each unit's own
 * (`units`, by the receiving centre's agency code) over the built-in templates, per trigger and
 * channel; e-mail's subject and text may be replaced separately, a ZNS template's parameters whole.
 */
export const noticeTemplatesConfigSchema = z
  .object({
    default: templateOverridesSchema.optional(),
    units: z.record(agencyCodeSchema, templateOverridesSchema).optional(),
  })
  .strict();
export type NoticeTemplatesConfig = z.infer<typeof noticeTemplatesConfigSchema>;

/** The templates a unit's notice of `trigger` uses: its own, else the deployment's, else the built-in ones. */
export function templatesFor(trigger: NoticeTrigger, agencyCode: string, config: NoticeTemplatesConfig | undefined): TriggerTemplates {
  const builtIn = DEFAULT_NOTICE_TEMPLATES[trigger];
  const layers = [config?.default?.[trigger], config?.units?.[agencyCode]?.[trigger]];
  let result = builtIn;
  for (const layer of layers) {
    if (!layer) continue;
    result = {
      email: { ...result.email, ...(layer.email ?? {}) },
      sms: layer.sms ?? result.sms,
      zns: layer.zns ?? result.zns,
    };
  }
  return result;
}

function partsOf(template: string): TemplatePart[] {
  const parsed = parseTemplate(template);
  if ('error' in parsed) throw new RangeError(`notice template: ${parsed.error}`);
  return parsed.parts;
}

function fill(template: string, values: Record<NoticePlaceholder, string | readonly string[]>, write: (placeholder: NoticePlaceholder, value: string | readonly string[]) => string, literal: (text: string) => string = (text) => text): string {
  return partsOf(template)
    .map((part) => ('literal' in part ? literal(part.literal) : write(part.placeholder, values[part.placeholder])))
    .join('');
}

const joined = (value: string | readonly string[], separator: string) => (typeof value === 'string' ? value : value.join(separator));

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The e-mail: subject on one line, the text body with lists as "- item" lines, and the same as simple HTML with every value escaped. */
export function renderEmail(content: NoticeContent, config?: NoticeTemplatesConfig): RenderedEmail {
  const template = templatesFor(content.trigger, content.agencyCode, config).email;
  const values = placeholderValues(content, 'long');
  const subject = truncate(oneLine(fill(template.subject, values, (_name, value) => joined(value, '; '))), 250);
  const text = fill(template.text, values, (_name, value) => (typeof value === 'string' ? value : value.map((item) => `- ${item}`).join('\n')));
  const htmlText = fill(
    template.text,
    values,
    (name, value) => {
      if (typeof value !== 'string') return value.map((item) => `- ${escapeHtml(item)}`).join('\n');
      return LINK_PLACEHOLDERS.has(name) && /^https?:\/\/\S+$/.test(value) ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
    },
    escapeHtml,
  );
  const paragraphs = htmlText
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>\n')}</p>`);
  const html = `<!DOCTYPE html>\n<html lang="vi">\n<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${paragraphs.join('\n')}\n</body>\n</html>\n`;
  return { subject, text, html };
}

export interface RenderedSms {
  /** ASCII only, on one line. */
  readonly text: string;
  /** GSM 7-bit septets. */
  readonly septets: number;
  readonly parts: number;
  /** Over one 160-character part: the gateway sends it as a concatenated message. */
  readonly multipart: boolean;
}

/** The SMS: the template filled with short values, without diacritics, on one line, with its length. */
export function renderSms(content: NoticeContent, config?: NoticeTemplatesConfig): RenderedSms {
  return smsOf(fill(templatesFor(content.trigger, content.agencyCode, config).sms.text, placeholderValues(content, 'short'), (_name, value) => joined(value, '; ')));
}

/** Any text as an SMS: ASCII, one line, measured. */
export function smsOf(text: string): RenderedSms {
  const ascii = oneLine(toAscii(text));
  const parts = smsParts(ascii);
  return { text: ascii, septets: gsmSeptets(ascii), parts, multipart: gsmSeptets(ascii) > SMS_SINGLE_PART };
}

export interface RenderedZns {
  /** template_data: parameter → value, each on one line and within its type's cap. */
  readonly templateData: Readonly<Record<string, string>>;
  /** Parameters whose value was cut to fit. */
  readonly truncated: readonly string[];
}

/** The ZNS template's parameters, filled with short values and cut to their caps (a cut ends in "…"). */
export function renderZns(content: NoticeContent, config?: NoticeTemplatesConfig): RenderedZns {
  const values = placeholderValues(content, 'short');
  const templateData: Record<string, string> = {};
  const truncated: string[] = [];
  for (const [name, param] of Object.entries(templatesFor(content.trigger, content.agencyCode, config).zns.params)) {
    const full = oneLine(fill(param.value, values, (_placeholder, value) => joined(value, '; ')));
    const value = truncate(full, ZNS_PARAM_CAPS[param.type]);
    if (value !== full) truncated.push(name);
    templateData[name] = value;
  }
  return { templateData, truncated };
}

/** Renders what `style` asks of a template given as text, for tools and previews. */
export function renderText(template: string, content: NoticeContent, style: ValueStyle): string {
  return fill(template, placeholderValues(content, style), (_name, value) => joined(value, '; '));
}
