// Runs before `npm start` and `npm test` (the `prestart` and `pretest` scripts), so that on a fresh
// clone those two commands are all the set-up there is. Plain JavaScript with no dependencies: it
// runs before any are installed. Installs with `npm ci` when node_modules is missing or older than
// package-lock.json; otherwise does nothing. A node_modules that is a symbolic link (a git worktree
// sharing another checkout's install) is never reinstalled: `npm ci` empties the folder the link
// points to before it replaces the link, which would wipe the other checkout's dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
const installed = 'node_modules/.package-lock.json';

const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
const shared = existsSync('node_modules') && lstatSync('node_modules').isSymbolicLink();
if (stale && shared) {
  console.log(
    `motcua: node_modules is a link to ${realpathSync('node_modules')}, shared with another checkout; not reinstalling it here (run \`npm ci\` in that checkout if its dependencies are out of date).`,
  );
} else if (stale) {
  console.log('motcua: installing dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('motcua: `npm ci` failed; see the lines above. Nothing else was changed.');
    process.exit(result.status ?? 1);
  }
}
