// npm run docs:errors: writes docs/errors.md from the error catalogue.
import { writeFileSync } from 'node:fs';
import { ERROR_DOCS_FILE, renderErrorDocs } from './error-docs.js';

writeFileSync(ERROR_DOCS_FILE, renderErrorDocs());
console.log(`wrote ${ERROR_DOCS_FILE}`);
