// Holds an answer of the API to what its OpenAPI document declares for the operation: the status is
// declared, the media type is declared for that status, and a JSON body is valid against the
// declared schema. Shared by the http tests (refused and invalid calls, no infrastructure) and the
// integration tests (valid and refused calls on PostgreSQL and Temporal).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// ajv-formats is CommonJS: its default export arrives wrapped once more under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }>; parameters?: { in: string; name: string; required?: boolean; schema: Record<string, unknown> }[] }>>;
  readonly components?: object;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface Conformance {
  /** What in the answer the document does not declare; empty when it conforms. */
  check(method: string, template: string, answer: Answer): string[];
  /** The path template (`/dossiers/{code}`) a concrete path is served under, static segments first. */
  templateOf(path: string): string | undefined;
}

export function conformanceTo(document: OpenApiDocument): Conformance {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<object, ValidateFunction>();
  const validatorOf = (schema: object) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: document.components });
      compiled.set(schema, validate);
    }
    return validate;
  };
  const templates = Object.keys(document.paths)
    .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`), statics: template.split('/').filter((part) => !part.startsWith('{')).length }))
    .sort((a, b) => b.statics - a.statics);
  return {
    templateOf: (path) => templates.find(({ pattern }) => pattern.test(path))?.template,
    check(method, template, answer) {
      const at = `${method.toUpperCase()} ${template} → ${answer.status}`;
      const operation = document.paths[template]?.[method.toLowerCase()];
      if (!operation) return [`${method.toUpperCase()} ${template} is not in the document`];
      const response = operation.responses[String(answer.status)];
      if (!response) return [`${at}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
      const mediaType = answer.contentType?.split(';')[0]?.trim();
      const media = mediaType === undefined ? undefined : response.content?.[mediaType];
      if (!media) return [`${at}: media type ${mediaType} not declared (declared: ${Object.keys(response.content ?? {}).join(', ')})`];
      if (!mediaType!.endsWith('json') || !media.schema) return [];
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        return [`${at}: the ${mediaType} body is not JSON`];
      }
      const validate = validatorOf(media.schema);
      return validate(body) ? [] : [`${at}: body does not match the declared schema: ${ajv.errorsText(validate.errors)}`];
    },
  };
}
