// Runs before `npm start` and `npm test` (the `prestart` and `pretest` scripts), so that on a fresh
// clone those two commands are all the set-up there is. Plain JavaScript with no dependencies: it
// runs before any are installed. Installs with `npm ci` when node_modules is missing or older than
// package-lock.json; otherwise does nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
const installed = 'node_modules/.package-lock.json';

const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  console.log('motcua: installing dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('motcua: `npm ci` failed; see the lines above. Nothing else was changed.');
    process.exit(result.status ?? 1);
  }
}
