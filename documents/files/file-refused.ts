import type { FileRefusal, FileRefusalCode } from '../../domain/files/file-rules.js';

/** A file the intake refused, with the rule that refused it; nothing of it was kept. */
export class FileRefused extends Error implements FileRefusal {
  override readonly name = 'FileRefused';
  constructor(
    readonly code: FileRefusalCode,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }

  get refusal(): FileRefusal {
    return { code: this.code, message: this.message, field: this.field };
  }
}
