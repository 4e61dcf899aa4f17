// The production Temporal server runs in two places: docker-compose.yml (temporalio/server and
// admin-tools images) and the cluster mode / cluster tests (the Go-built server,
// dev/temporal-postgres.ts). Both must run the same version, on the same configuration file, with
// the same schema script and dynamic configuration, so that what the tests prove is what compose
// deploys (docs/decisions/0025-temporal-server-on-postgresql.md). Reads files only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  TEMPORAL_CONFIG_DIR,
  TEMPORAL_CONFIG_ENV,
  TEMPORAL_DYNAMIC_CONFIG,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SETUP_SCHEMA_SCRIPT,
  temporalServerEnvironment,
} from '../../dev/temporal-postgres.js';

interface Service {
  image?: string;
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
const commandOf = (name: string) => [service(name).entrypoint, service(name).command].flat().filter(Boolean).join(' ');
/** Where compose mounts `./<repoPath>` in the service, or undefined. */
const mountTarget = (name: string, repoPath: string) =>
  (service(name).volumes ?? []).map((volume) => volume.split(':')).find(([source]) => path.normalize(source!) === path.normalize(repoPath))?.[1];

const configFile = `${TEMPORAL_CONFIG_DIR}/${TEMPORAL_CONFIG_ENV}.yaml`;
const template = readFileSync(path.join(root, configFile), 'utf8');
/** Variables the configuration reads, and whether it has a default for each. */
const templateVariables = [...template.matchAll(/(default\s+"[^"]*"\s+)?\(?env\s+"(\w+)"\)?/g)].map(([, fallback, name]) => ({ name: name!, defaulted: Boolean(fallback) }));
const localEnvironment = temporalServerEnvironment(
  { dataDir: '/tmp/x', postgres: { host: '127.0.0.1', port: 5432, user: 'motcua' }, namespace: 'default' },
  { main: 'temporal', visibility: 'temporal_visibility' },
  { frontendGrpc: 1, frontendHttp: 2, frontendMembership: 3, historyGrpc: 4, historyMembership: 5, matchingGrpc: 6, matchingMembership: 7, workerGrpc: 8, workerMembership: 9, metrics: 10 },
);

describe('the Temporal server of compose and of the cluster mode', () => {
  it('is one version: the images are those of TEMPORAL_SERVER_VERSION, the version the Go build installs', () => {
    const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
    expect(service('temporal').image).toBe(`temporalio/server:${version}`);
    for (const name of ['temporal-schema', 'temporal-search-attributes']) expect(service(name).image).toMatch(new RegExp(`^temporalio/admin-tools:${version.replaceAll('.', '\\.')}-`));
    expect(JSON.stringify(compose)).not.toContain('auto-setup');
  });

  it('reads one configuration file: compose mounts it where its server loads it from, the cluster mode points its server at it', () => {
    expect(template.slice(0, 1024)).toContain('enable-template');
    const target = mountTarget('temporal', `./${configFile}`);
    expect(target, `compose mounts ./${configFile}`).toBeDefined();
    const command = commandOf('temporal');
    // temporal-server loads <root>/<config>/<env>.yaml.
    const root = /--root\s+(\S+)/.exec(command)?.[1];
    const config = /--config\s+(\S+)/.exec(command)?.[1];
    const env = /--env\s+(\S+)/.exec(command)?.[1];
    expect(command).toMatch(/temporal-server .* start/);
    expect(path.posix.join(root ?? '', config ?? '', `${env}.yaml`)).toBe(target);
    expect(env).toBe(TEMPORAL_CONFIG_ENV);
  });

  it('gives the file every value it has no default for, in both places', () => {
    const composeEnvironment = Object.keys(service('temporal').environment ?? {});
    const required = templateVariables.filter((variable) => !variable.defaulted).map((variable) => variable.name);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) {
      // The broadcast address is the container's, found by the command at start.
      const inCompose = composeEnvironment.includes(name) || commandOf('temporal').includes(`${name}=`);
      expect(inCompose, `compose's temporal service sets ${name}`).toBe(true);
      expect(localEnvironment[name], `dev/temporal-postgres.ts sets ${name}`).toBeDefined();
    }
    // Nothing set in either place that the file does not read (a misspelt name would go unnoticed).
    const read = new Set(templateVariables.map((variable) => variable.name));
    for (const name of Object.keys(localEnvironment).filter((name) => name !== 'PATH')) expect(read, `${configFile} reads ${name}`).toContain(name);
    for (const name of composeEnvironment) expect(read, `${configFile} reads ${name}`).toContain(name);
  });

  it('sets up the schemas with one script: compose runs it in admin-tools with the same database settings as the server', () => {
    const target = mountTarget('temporal-schema', `./${TEMPORAL_SETUP_SCHEMA_SCRIPT}`);
    expect(target, `compose mounts ./${TEMPORAL_SETUP_SCHEMA_SCRIPT}`).toBeDefined();
    expect(commandOf('temporal-schema')).toContain(target);
    const script = readFileSync(path.join(root, TEMPORAL_SETUP_SCHEMA_SCRIPT), 'utf8');
    expect(script).toMatch(/setup-schema -v 0\.0/);
    expect(script).toMatch(/update-schema -d /);
    const database = (name: string) => Object.fromEntries(Object.entries(service(name).environment ?? {}).filter(([key]) => key.startsWith('TEMPORAL_DB_') || key === 'TEMPORAL_VISIBILITY_DB_NAME'));
    expect(database('temporal-schema')).toEqual(database('temporal'));
    for (const name of Object.keys(database('temporal'))) expect(script, `setup-schema.sh reads ${name}`).toContain(name);
  });

  it('runs on the same dynamic configuration file', () => {
    const target = mountTarget('temporal', `./${TEMPORAL_DYNAMIC_CONFIG}`);
    expect(target).toBeDefined();
    expect(service('temporal').environment?.DYNAMIC_CONFIG_FILE_PATH).toBe(target);
    expect(localEnvironment.DYNAMIC_CONFIG_FILE_PATH).toBe(path.join(root, TEMPORAL_DYNAMIC_CONFIG));
  });
});
