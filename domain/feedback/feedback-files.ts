// What a file attached to a feedback item must be, wherever it comes from (the public form, staff
// intake, the national PAKN system): PDF or a photo, judged by its bytes, 10 MiB and 50 pages each,
// at most 5 to an item. The national form also takes DOC/DOCX/XLS/XLSX; the engine's file rules
// (domain/files/file-rules.ts) know none of those, so they are refused here (docs/citizens.md#sending-feedback-or-a-complaint).
import type { FileRules } from '../files/file-rules.js';

export const FEEDBACK_FILE_RULES: FileRules = Object.freeze({ accept: Object.freeze(['application/pdf', 'image/jpeg', 'image/png'] as const), maxBytes: 10 * 1024 * 1024, maxPages: 50 });
export const FEEDBACK_MAX_FILES = 5;
