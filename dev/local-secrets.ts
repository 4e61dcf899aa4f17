// Secrets of the embedded default, kept in the data folder so a restart (and `npm run token`) uses
// the same ones: the HS256 token secret, the key behind receipts' lookup secrets, the local PKI's
// passphrase, the key that encrypts Temporal payloads and the one that signs public file links. Production sets MOTCUA_JWT_SECRET (or
// MOTCUA_JWKS_URL), MOTCUA_LOOKUP_KEY, MOTCUA_KEYSTORE_PASSPHRASE and MOTCUA_PAYLOAD_KEYS instead.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Each secret as its variable would hold it; the payload keys' file is MOTCUA_PAYLOAD_KEYS's format,
// so a rotation edits it the same way (a new key first).
const randomSecret = () => randomBytes(32).toString('base64url');
const MAKERS = {
  'jwt-secret': randomSecret,
  'lookup-key': randomSecret,
  'applicant-key': randomSecret,
  'file-link-key': randomSecret,
  'pki-passphrase': randomSecret,
  'payload-keys': () => `local-1:${randomBytes(32).toString('base64')}`,
} as const;

export function localSecret(dataDir: string, name: keyof typeof MAKERS): string {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // The data folder itself stays enterable by others (PostgreSQL's own user works in it); only
  // secrets/ is private. A recursive mkdir would make both 0700 when this runs first.
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = MAKERS[name]();
  // `wx`: if two processes race, the second fails here and reads the first one's secret instead.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}
