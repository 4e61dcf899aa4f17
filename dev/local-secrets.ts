// Secrets of the embedded default, kept in the data folder so a restart (and `npm run token`) uses
// the same ones: the HS256 token secret, the key behind receipts' lookup secrets and the local PKI's
// passphrase. Production sets MOTCUA_JWT_SECRET (or MOTCUA_JWKS_URL), MOTCUA_LOOKUP_KEY and
// MOTCUA_KEYSTORE_PASSPHRASE instead.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function localSecret(dataDir: string, name: 'jwt-secret' | 'lookup-key' | 'pki-passphrase'): string {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // `wx`: if two processes race, the second fails here and reads the first one's secret instead.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}
