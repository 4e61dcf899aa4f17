// The multipart form a feedback item comes in with (the public form, staff intake on the sender's
// behalf, the sender's reply to a request for information): its text fields as zod reads them, its
// attachments (`attachment`, up to 5) streamed and checked by the shared upload path (api/uploads.ts),
// and the stored file of each. The national form takes JPG/PDF/DOC/DOCX/XLS/XLSX; the engine's file
// rules know PDF, JPEG and PNG only, so those are what it takes (docs/citizens.md#sending-feedback-or-a-complaint).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DocumentStore } from '../../documents/document-store.js';
import { feedbackSubmitterSchema } from '../../domain/feedback/commands.js';
import type { StoredFile } from '../../domain/files/file-model.js';
import { FEEDBACK_FILE_RULES, FEEDBACK_MAX_FILES } from '../../domain/feedback/feedback-files.js';
import { freeText, lineText, nameText } from '../../domain/text.js';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { fileNameOf } from '../file-names.js';
import { ProblemError } from '../problem-details.js';
import { readUpload } from '../uploads.js';

export { FEEDBACK_FILE_RULES, FEEDBACK_MAX_FILES };
/** A text field may hold the 10,000 characters of a content in Vietnamese (up to 3 bytes each). */
const FEEDBACK_FIELD_BYTES = 40 * 1024;

/** An empty text field is a field not sent (an HTML form sends every input). */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const submitter = feedbackSubmitterSchema.shape;
export const feedbackFormFields = {
  agencyCode: agencyCodeSchema.describe('The unit the item is sent to (its code in the catalogue)'),
  fullName: submitter.fullName.describe('Họ và tên'),
  email: optional(submitter.email.unwrap()).describe('Thư điện tử'),
  phone: optional(submitter.phone.unwrap()).describe('Số điện thoại'),
  address: optional(submitter.address.unwrap()).describe('Địa chỉ'),
  title: freeText({ max: 300 }).describe('Tiêu đề'),
  content: freeText({ max: 10_000, multiline: true }).min(1).describe('Nội dung'),
  dossierCode: optional(lineText(100).min(1)).describe('The dossier it is about: its code on the receipt'),
  followUpOf: optional(z.string().regex(/^PAKN-/, 'must be a feedback id PAKN-…')).describe('An earlier item whose answer this one is dissatisfied with'),
};

/** The public form's fields. */
export const publicFeedbackForm = z
  .object({
    ...feedbackFormFields,
    followUpSecret: optional(z.string().regex(/^[0-9A-Za-z -]{1,40}$/, 'must be the lookup secret given with the earlier item')).describe(
      'With followUpOf: the lookup secret given with the earlier item, which proves it is the sender\'s own',
    ),
  })
  .strict()
  .meta({ examples: [{ agencyCode: '000.01.01.H99', fullName: 'Nguyễn Thị Hoa', phone: '0912345678', title: 'Thời gian chờ tại Bộ phận Một cửa quá lâu', content: 'Ngày 01/12 tôi chờ hơn hai giờ mới được tiếp nhận hồ sơ.', dossierCode: '000.01.01.H99-261201-0007' }] });

/** Staff intake's fields: the public form's, how it came and when the sender sent it. */
export const staffIntakeForm = z
  .object({
    ...feedbackFormFields,
    agencyCode: optional(agencyCodeSchema).describe('The unit receiving it; the caller\'s own by default'),
    channel: z.enum(['paper', 'phone', 'email', 'in-person']).describe('How the sender sent it'),
    sentAt: optional(z.iso.datetime({ offset: true })).describe('When the sender sent it (the date on the paper, the call, the e-mail); now by default. The clocks start here'),
    externalId: optional(lineText(200).min(1)).describe('Its id in the national PAKN system, when it was entered there too'),
  })
  .strict()
  .meta({ examples: [{ channel: 'paper', sentAt: '2026-12-01T09:30:00+07:00', fullName: 'Phạm Văn Lâm', address: 'Xóm Mới, xã Hòa Bình', title: 'Kiến nghị về thủ tục cấp giấy phép xây dựng', content: 'Đề nghị công khai rõ thời hạn giải quyết tại Bộ phận Một cửa.' }] });

/** The sender's reply to a request for information, with the secret. */
export const informationForm = z
  .object({
    secret: z.string().regex(/^[0-9A-Za-z -]{1,40}$/, 'must be the lookup secret given with the feedback id (letters and digits)'),
    content: freeText({ max: 10_000, multiline: true }).min(1).describe('The information asked for'),
  })
  .strict()
  .meta({ examples: [{ secret: 'Q2M7K0XR4T', content: 'Mã hồ sơ 000.01.01.H99-261201-0007, nộp ngày 01/12.' }] });

/** A reply to a request for information that came on paper, by phone, e-mail or in person, as staff enter it. */
export const staffInformationForm = z
  .object({
    content: freeText({ max: 10_000, multiline: true }).min(1).describe('The information the sender gave, as it came (a summary of the call, the text of the letter)'),
    channel: z.enum(['paper', 'phone', 'email', 'in-person']).describe('How it came'),
  })
  .strict()
  .meta({ examples: [{ channel: 'phone', content: 'Ông Lâm gọi điện ngày 04/12: mã hồ sơ 000.01.01.H99-261201-0007.' }] });

/**
 * The head's answer as a multipart form, with its attachments: the signer's fields are named as the
 * JSON body's path (`signer.fullName`), `publish` is `true` or `false` (true when left out).
 */
export const answerForm = z
  .object({
    answer: freeText({ max: 20_000, multiline: true }).min(1).describe('Nội dung trả lời'),
    'signer.fullName': nameText(300).describe('Họ và tên người ký'),
    'signer.title': lineText(200).min(1).describe('Chức vụ người ký'),
    legalBasis: optional(freeText({ max: 1000, multiline: true })).describe('Căn cứ pháp lý'),
    publish: optional(z.enum(['true', 'false'])).describe('false: the answer is the sender\'s alone (about their own case) and is not published'),
  })
  .strict()
  .meta({ examples: [{ answer: 'Từ ngày 10/12/2026, Bộ phận Một cửa bố trí thêm một công chức tiếp nhận vào buổi sáng.', 'signer.fullName': 'Trần Văn Minh', 'signer.title': 'Chủ tịch UBND xã', legalBasis: 'Nghị định 20/2008/NĐ-CP', publish: 'true' }] });

export interface ReadForm<T> {
  readonly fields: T;
  readonly attachments: StoredFile[];
}

/**
 * Reads a feedback form: its fields through `schema`, then its files into the store. A field that
 * does not pass is refused with a 400 naming it (`body.<field>`) before any file is kept, as is
 * anything `check` throws (a ProblemError).
 */
export async function readFeedbackForm<S extends z.ZodType>(request: FastifyRequest, store: DocumentStore, schema: S, check?: (fields: z.infer<S>) => void | Promise<void>): Promise<ReadForm<z.infer<S>>> {
  // Without files, the same fields may come as a JSON object (a script, a form posted by fetch).
  if (!request.isMultipart() && typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)) {
    const fields = fieldsOrRefused(schema, request.body);
    await check?.(fields);
    return { fields, attachments: [] };
  }
  let parsed: z.infer<S> | undefined;
  const upload = await readUpload(request, store, {
    rules: FEEDBACK_FILE_RULES,
    fileField: 'attachment',
    maxFiles: FEEDBACK_MAX_FILES,
    minFiles: 0,
    fieldSize: FEEDBACK_FIELD_BYTES,
    checkFields: async (fields) => {
      const result = fieldsOrRefused(schema, fields);
      await check?.(result);
      parsed = result;
    },
  });
  const attachments = upload.files.map((file): StoredFile => {
    const name = fileNameOf(file.filename);
    return { sha256: file.sha256, size: file.size, mediaType: file.mediaType, ...(file.pages !== undefined ? { pages: file.pages } : {}), ...(name ? { name } : {}) };
  });
  return { fields: parsed as z.infer<S>, attachments };
}

/** The fields as the schema reads them, or a 400 naming each field at fault (a ProblemError). */
function fieldsOrRefused<S extends z.ZodType>(schema: S, fields: unknown): z.infer<S> {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const errors = result.error.issues.slice(0, 20).map((issue) => ({ field: `body.${issue.path.join('.') || '(form)'}`, message: issue.message }));
  throw new ProblemError({ type: 'urn:motcua:problem:validation-failed', title: 'The request is invalid', status: 400, detail: `The form is refused: ${errors.map((error) => `${error.field} ${error.message}`).join('; ')}. Nothing was kept.`, errors });
}

/** A route's document that takes the form as multipart/form-data (with files) or as a JSON object (without). */
export function withFormBody<T extends { schema?: unknown }>(transformed: T, fields: z.ZodObject): T {
  const schema = transformed.schema as { body?: { content?: Record<string, unknown> } };
  // zod leaves a schema's examples out of its input JSON Schema when a field is preprocessed (the empty-field rule): put them back.
  const examples = z.globalRegistry.get(fields)?.examples;
  const json = { ...z.toJSONSchema(fields, { io: 'input', target: 'draft-2020-12' }), ...(examples ? { examples } : {}) };
  return { ...transformed, schema: { ...schema, body: { ...schema.body, content: { ...schema.body?.content, 'application/json': { schema: json } } } } };
}

/** The submitter of a form's fields. */
export function submitterOf(fields: { fullName: string; email?: string | undefined; phone?: string | undefined; address?: string | undefined }) {
  return { fullName: fields.fullName, ...(fields.email ? { email: fields.email } : {}), ...(fields.phone ? { phone: fields.phone } : {}), ...(fields.address ? { address: fields.address } : {}) };
}
