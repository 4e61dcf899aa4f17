// The console's files under /console/ against hostile paths: a request that climbs out of the build
// folder, plainly, percent-encoded or with encoded dots, never gets a file from outside it (the
// project's package.json, its code). The folder here is a temporary one holding an index.html and
// assets/x.js, with a secret file beside it that must stay unreachable.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApp, startHttpApp } from './http-app.js';

const INDEX = '<!doctype html><title>console</title><div id="root"></div>';
const SCRIPT = 'console.log("the console");';
const SECRET = '{"secret":"outside the console build"}';

let http: HttpApp;
let parent: string;
beforeAll(async () => {
  // parent/secret.json and parent/secret.js beside parent/dist, the console's folder.
  parent = mkdtempSync(path.join(tmpdir(), 'motcua-console-files-'));
  const directory = path.join(parent, 'dist');
  mkdirSync(path.join(directory, 'assets'), { recursive: true });
  writeFileSync(path.join(directory, 'index.html'), INDEX);
  writeFileSync(path.join(directory, 'assets', 'x.js'), SCRIPT);
  writeFileSync(path.join(parent, 'secret.json'), SECRET);
  writeFileSync(path.join(parent, 'secret.js'), SECRET);
  http = await startHttpApp({ console: { directory } });
});
afterAll(async () => {
  await http?.close();
  if (parent) rmSync(parent, { recursive: true, force: true });
});

const get = (url: string) => http.app.inject({ method: 'GET', url });

describe('the console files under /console/', () => {
  it('serves the build: its index with the policy, its hashed asset for a year', async () => {
    const index = await get('/console/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toBe(INDEX);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(index.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    const script = await get('/console/assets/x.js');
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe(SCRIPT);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each([
    '/console/..%2fsecret.json',
    '/console/..%2F..%2Fpackage.json',
    '/console/..%2f..%2f..%2fpackage.json',
    '/console/assets/..%2f..%2fsecret.js',
    '/console/assets/%2e%2e/%2e%2e/secret.js',
    '/console/%2e%2e%2fsecret.json',
    '/console/%2E%2E%2Fsecret.json',
    '/console/assets/%2e%2e%2f%2e%2e%2fsecret.js',
    '/console/..%5csecret.json',
    '/console/assets/..%5c..%5csecret.js',
    '/console/%2fetc%2fpasswd.txt',
    '/console/assets/x.js%00.json',
    '/console/..%252fsecret.json',
  ])('never serves a file from outside the build for %s', async (url) => {
    const response = await get(url);
    expect(response.body).not.toContain('outside the console build');
    expect(response.body).not.toContain('"name": "motcua"');
    expect(response.body).not.toContain('root:');
    // Refused (404/400), or the app's own index (a screen's address), never a file of elsewhere.
    if (response.statusCode === 200) expect(response.body).toBe(INDEX);
    else expect([400, 403, 404]).toContain(response.statusCode);
  });

  it.each(['/console/assets/../../api/app.ts', '/console/../package.json', '/console/assets/../../secret.js', '/console/./../secret.json'])(
    'never serves a file from outside the build for the plain dots of %s',
    async (url) => {
      const response = await get(url);
      expect(response.body).not.toContain('outside the console build');
      expect(response.body).not.toContain('buildApp');
      expect(response.body).not.toContain('"name": "motcua"');
      if (response.statusCode === 200) expect(response.body).toBe(INDEX);
      else expect([400, 403, 404]).toContain(response.statusCode);
    },
  );

  it('answers a missing build file with a problem, not the index', async () => {
    const response = await get('/console/assets/nothing.js');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

// The app as api/main.ts builds it: a console, no local sign-in, no trial signer (those two exist
// only under npm start, dev/start.ts, which the production image does not contain).
describe('the console as production serves it', () => {
  it('has no local sign-in and no trial result: both answer 404 as routes that do not exist', async () => {
    const signIn = await http.app.inject({ method: 'POST', url: '/auth/local-sign-in', payload: { role: 'admin', agency: '000.00.31.H38' } });
    expect(signIn.statusCode).toBe(404);
    expect(signIn.body).not.toContain('token');
    const trial = await http.app.inject({ method: 'POST', url: '/dossiers/000.00.31.H38-250701-0005/trial-result', headers: await http.authAs('head') });
    expect(trial.statusCode).toBe(404);
    expect(trial.headers['content-type']).not.toMatch(/pdf/);
    const options = await http.app.inject({ method: 'GET', url: '/auth/sign-in-options' });
    expect(options.json()).toEqual({ mode: 'none' });
  });
});

// The local sign-in of npm start: the name it puts in the token is the actor's name every event
// will carry, so it follows the one rule for names before anything is minted.
describe('the local sign-in of npm start', () => {
  let local: HttpApp;
  beforeAll(async () => {
    local = await startHttpApp({ console: { directory: path.join(parent, 'dist'), localSignIn: { secret: 'local-sign-in-test-secret-of-32-characters', audience: 'motcua' } } });
  });
  afterAll(() => local?.close());

  it.each([
    ['a NUL', 'Lễ tân\u0000 An'],
    ['a line break', 'Lễ tân\nAn'],
    ['a bell', 'Lễ tân\u0007'],
    ['symbols only', '<script>'],
    ['121 characters', 'A'.repeat(121)],
  ])('refuses a name with %s with 400 naming the field, minting nothing', async (_case, name) => {
    const response = await local.app.inject({ method: 'POST', url: '/auth/local-sign-in', payload: { role: 'reception', agency: '000.00.31.H38', name } });
    expect(response.statusCode).toBe(400);
    expect([...new Set(response.json().errors.map((error: { field: string }) => error.field))]).toEqual(['body.name']);
    expect(response.body).not.toContain('token');
  });
});
