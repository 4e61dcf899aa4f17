// Credentials in configuration are references, never values (docs/integrations.md#configuration): `env:NAME`
// reads an environment variable, `file:/path` a file (a mounted secret; one trailing newline
// dropped). A reference that names nothing fails at start-up, saying which setting and what to do.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const secretReferenceSchema = z
  .string()
  .regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:\/.+)$/, 'must be a secret reference: env:VARIABLE_NAME or file:/absolute/path (never the secret itself)')
  .describe('A reference to a secret: env:NAME or file:/path');

export class SecretUnavailable extends Error {
  override readonly name = 'SecretUnavailable';
}

/** The secret a reference names; `setting` says where the reference was configured, for the error. */
export function resolveSecret(reference: string, setting: string, env: NodeJS.ProcessEnv = process.env): string {
  if (reference.startsWith('env:')) {
    const name = reference.slice(4);
    const value = env[name];
    if (value === undefined || value === '') throw new SecretUnavailable(`${setting}: the environment variable ${name} is not set; set it to the secret, or point ${setting} at file:/path`);
    return value;
  }
  if (reference.startsWith('file:')) {
    const file = reference.slice(5);
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new SecretUnavailable(`${setting}: the secret file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); mount it there, or point ${setting} at env:NAME`);
    }
  }
  throw new SecretUnavailable(`${setting}: "${reference.slice(0, 12)}…" is not a secret reference (env:NAME or file:/path)`);
}
