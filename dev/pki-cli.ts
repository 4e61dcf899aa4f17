// `npm run pki:sign -- --agency <code> <in.pdf> <out.pdf> [--dir <dir>] [--passphrase-file <file>]`
// signs a PDF (PAdES) with an agency's local keystore: the competent body's result of a demo on
// `npm start` (docs/api.md). Without --dir it signs with the data folder's local PKI and issues the
// agency's keystore there first if it has none (`npm start` issues them only as the engine signs).
// A real competent body signs its results with its own tools and CA.
//
// `npm run pki:init -- [--dir <dir>] [--catalogue <catalogue.json>] [--passphrase-file <file>]`
// creates the local PKI of the embedded default, or extends it with the catalogue's new agencies:
// a root CA (ca.pem, ca-key.p12) and one keystore per agency (agencies/<code>.p12). Existing files
// are kept. The defaults are those of `npm start`: <MOTCUA_DATA_DIR>/pki, the sample catalogue, and
// the passphrase kept in <MOTCUA_DATA_DIR>/secrets/pki-passphrase. `npm start` makes the PKI by
// itself; this is for agencies loaded later, or a PKI elsewhere. Production keystores come from the
// agencies' certificate authority, not from here.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../db/catalogue.js';
import { agencyKeystoreFile, loadAgencySigner } from '../documents/signing/keystore.js';
import { ensureLocalPki } from '../documents/signing/local-pki.js';
import { signPdf } from '../documents/signing/pades-signer.js';
import { readEnvironment } from '../platform/environment.js';
import { localSecret } from './local-secrets.js';

const usage = 'usage: npm run pki:init -- [--dir <dir>] [--catalogue <catalogue.json>] [--passphrase-file <file>]\n       npm run pki:sign -- --agency <code> <in.pdf> <out.pdf> [--dir <dir>] [--passphrase-file <file>]';

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: 'string' }, catalogue: { type: 'string' }, 'passphrase-file': { type: 'string' }, agency: { type: 'string' } },
  });
  const signing = positionals[0] === 'sign' && positionals.length === 3 && values.agency !== undefined;
  if (!signing && (positionals[0] !== 'init' || positionals.length !== 1)) {
    console.error(usage);
    process.exit(2);
  }
  const env = readEnvironment();
  const dir = path.resolve(values.dir ?? path.join(env.dataDir, 'pki'));
  if (signing) {
    const passphrase = values['passphrase-file'] ? readPassphrase(values['passphrase-file']) : localSecret(env.dataDir, 'pki-passphrase');
    // `npm start`'s local PKI issues an agency's keystore when the engine first signs for it, so the
    // competent body of a demo usually has none yet: issue it here too, from the catalogue, as
    // `pki:init` would. Only for the local PKI of the data folder, never for a --dir named by hand.
    if (values.dir === undefined && !existsSync(agencyKeystoreFile(dir, values.agency!))) {
      const agency = readCatalogueFile(values.catalogue ?? env.MOTCUA_CATALOGUE ?? SAMPLE_CATALOGUE_FILE).agencies.find((candidate) => candidate.code === values.agency);
      if (agency) ensureLocalPki({ dir, agencies: [agency], passphrase });
    }
    const signer = await loadAgencySigner(dir, values.agency!, passphrase);
    const signed = await signPdf(new Uint8Array(readFileSync(positionals[1]!)), signer, { signingTime: new Date(), reason: 'Ket qua giai quyet thu tuc hanh chinh', location: 'VN', name: values.agency! });
    writeFileSync(positionals[2]!, signed);
    console.log(`signed ${positionals[2]} for ${values.agency}`);
    process.exit(0);
  }
  const catalogue = readCatalogueFile(values.catalogue ?? env.MOTCUA_CATALOGUE ?? SAMPLE_CATALOGUE_FILE);
  const passphrase = values['passphrase-file'] ? readPassphrase(values['passphrase-file']) : localSecret(env.dataDir, 'pki-passphrase');
  const result = ensureLocalPki({ dir, agencies: catalogue.agencies, passphrase });
  console.log(`${result.caCreated ? 'created' : 'kept   '} CA ${result.caFile}`);
  for (const [code, file] of result.created) console.log(`created ${code} ${file}`);
  for (const [code, file] of result.kept) console.log(`kept    ${code} ${file}`);
  console.log(`Trust anchor for verifiers (MOTCUA_TRUST_ANCHORS): ${result.caFile}`);
  console.log(`Keystore passphrase: in ${values['passphrase-file'] ?? path.join(env.dataDir, 'secrets', 'pki-passphrase')}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

function readPassphrase(file: string): string {
  // Editors end files with a newline; it is not part of the passphrase.
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}

