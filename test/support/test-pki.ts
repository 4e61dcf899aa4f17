// The suite's local PKI: made once by the global set-up in the scratch folder, shared by every test
// file's engine and worker process.
import path from 'node:path';
import { inject } from 'vitest';
import type { SigningSettings } from '../../documents/document-issuer.js';

export const TEST_PKI_PASSPHRASE = 'test-pki-passphrase';

export function testSigningSettings(): SigningSettings {
  const keystoreDir = path.join(inject('scratchDir'), 'pki');
  return { keystoreDir, passphrase: TEST_PKI_PASSPHRASE, trustAnchorFiles: [path.join(keystoreDir, 'ca.pem')], localPki: true };
}

/** The same settings as environment variables, for a worker in a process of its own. */
export function testSigningEnvironment(): Record<string, string> {
  const settings = testSigningSettings();
  return { MOTCUA_KEYSTORE_DIR: settings.keystoreDir, MOTCUA_KEYSTORE_PASSPHRASE: settings.passphrase, MOTCUA_LOCAL_PKI: 'true' };
}
