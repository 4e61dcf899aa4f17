import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../dev/temporal-server.js';
import { readEnvironment } from '../../platform/environment.js';
import { createOutbox, loadOutboxConfig } from '../../integrations/outbox/channels.js';
import { createLogger } from '../../platform/logger.js';
import { DOSSIER_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

// docker-compose.yml is the production topology. These checks read it as YAML and always run; they
// need neither a database nor Docker. Only the last test also asks `docker compose` itself, when
// the client and its compose plugin are installed (no engine is needed for `config`).

type Scalar = string | number | boolean | null;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, Scalar> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { source?: string; target?: string })[];
  ports?: (string | number | { target?: number; published?: string | number })[];
  restart?: string;
}
interface ComposeFile {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const composePath = path.join(root, 'docker-compose.yml');
// merge: the file shares the app environment through `<<: *motcua-environment`, as compose does.
const compose = parse(readFileSync(composePath, 'utf8'), { merge: true }) as ComposeFile;
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

function service(name: string): ComposeService {
  const found = compose.services?.[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** `${VAR:-default}` and `${VAR-default}` as compose resolves them with VAR unset; `$$` is `$`. */
function interpolateDefaults(value: string, given: Record<string, string> = {}): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*)|:\?([^}]*))?\}/g, (match, name?: string, fallback?: string, required?: string) => {
    if (match === '$$') return '$';
    if (name && given[name] !== undefined) return given[name]!;
    if (required !== undefined) throw new Error(`compose would refuse to start: ${name} is required (${required})`);
    return fallback ?? '';
  });
}

/** Values an operator must supply (`${VAR:?…}`), as a deployment would. */
const REQUIRED_SETTINGS = { MOTCUA_LOOKUP_KEY: 'a-deployment-lookup-key-of-32-chars-plus', MOTCUA_KEYSTORE_PASSPHRASE: 'a-keystore-passphrase', MOTCUA_PAYLOAD_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`, MOTCUA_APPLICANT_KEY: 'a-deployment-applicant-key-of-32-chars-plus', MOTCUA_FILE_LINK_KEY: 'a-deployment-file-link-key-of-32-chars-plus' };

/** A service's environment as compose would hand it over, with every optional variable left unset. */
function environmentOf(name: string): Record<string, string> {
  const raw = service(name).environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((item): [string, string] => {
        const at = item.indexOf('=');
        return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(raw).map(([key, value]): [string, string] => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolateDefaults(value, REQUIRED_SETTINGS)]));
}

function dependenciesOf(name: string): Record<string, string | undefined> {
  const raw = service(name).depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((dependency) => [dependency, 'service_started']));
  return Object.fromEntries(Object.entries(raw).map(([dependency, options]) => [dependency, options.condition]));
}

function commandText(name: string): string {
  const { entrypoint, command } = service(name);
  return [entrypoint, command].flat().filter((part) => part !== undefined).join(' ');
}

function buildContextOf(name: string): { context: string; dockerfile: string } {
  const { build } = service(name);
  if (build === undefined) throw new Error(`service "${name}" is not built from a Dockerfile`);
  if (typeof build === 'string') return { context: build, dockerfile: 'Dockerfile' };
  return { context: build.context ?? '.', dockerfile: build.dockerfile ?? 'Dockerfile' };
}

describe('docker-compose.yml', () => {
  it('has the production services', () => {
    expect(Object.keys(compose.services ?? {})).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-schema', 'temporal-search-attributes', 'temporal-ui', 'api', 'worker', 'relay']),
    );
  });

  it('keeps PostgreSQL 16 on a named volume, with a health check, and creates the motcua database', () => {
    const postgres = service('postgres');
    expect(postgres.image).toMatch(/^postgres:16(\.|$|-)/);
    expect(postgres.healthcheck?.test).toBeDefined();
    const mounts = (postgres.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`));
    const dataVolume = mounts.find((mount) => mount.split(':')[1] === '/var/lib/postgresql/data');
    expect(dataVolume, 'a volume for /var/lib/postgresql/data').toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume?.split(':')[0]);

    const initMount = mounts.find((mount) => mount.split(':')[1] === '/docker-entrypoint-initdb.d');
    expect(initMount, 'db/compose-init mounted as the init folder').toBeDefined();
    const initDir = path.join(root, initMount?.split(':')[0] ?? '');
    const initScripts = existsSync(initDir) ? readdirScripts(initDir) : '';
    const temporal = environmentOf('temporal');
    const databaseUrl = new URL(environmentOf('api').DATABASE_URL ?? '');
    for (const database of [databaseUrl.pathname.slice(1), temporal.TEMPORAL_DB_NAME, temporal.TEMPORAL_VISIBILITY_DB_NAME]) {
      expect(initScripts).toMatch(new RegExp(`CREATE DATABASE ${database} OWNER`));
    }
    expect(initScripts).toMatch(new RegExp(`CREATE ROLE ${databaseUrl.username} LOGIN`));
    expect(initScripts).toMatch(new RegExp(`CREATE ROLE ${temporal.TEMPORAL_DB_USER} LOGIN`));
    // The passwords the init script sets are the ones the clients log in with.
    const postgresRaw = service('postgres').environment as Record<string, Scalar>;
    const temporalRaw = service('temporal').environment as Record<string, Scalar>;
    expect(temporalRaw.TEMPORAL_DB_PASSWORD).toBe(postgresRaw.TEMPORAL_DB_PASSWORD);
    expect(decodeURIComponent(databaseUrl.password)).toBe(environmentOf('postgres').MOTCUA_DB_PASSWORD);
  });

  it('runs Temporal Server (pinned, not auto-setup) on that PostgreSQL, after its schemas are set up', () => {
    const temporal = service('temporal');
    expect(temporal.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    // test/unit/temporal-config-shared.test.ts checks the configuration file and the schema script.
    for (const name of ['temporal', 'temporal-schema']) {
      const env = environmentOf(name);
      expect(env.TEMPORAL_DB_HOST).toBe('postgres');
      expect(env.TEMPORAL_DB_PORT).toBe('5432');
      expect(env.TEMPORAL_DB_USER).toBeTruthy();
      expect(env.TEMPORAL_DB_PASSWORD).toBeTruthy();
    }
    expect(dependenciesOf('temporal-schema')).toMatchObject({ postgres: 'service_healthy' });
    expect(dependenciesOf('temporal')).toMatchObject({ postgres: 'service_healthy', 'temporal-schema': 'service_completed_successfully' });
    expect(temporal.healthcheck?.test).toBeDefined();
    expect(dependenciesOf('temporal-ui')).toMatchObject({ temporal: 'service_healthy' });
    expect(environmentOf('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(JSON.stringify(service('temporal-ui').ports)).toMatch(/:8080"/);
  });

  it('gives Temporal the dynamic configuration the dev server runs with, from a mounted file', () => {
    const target = environmentOf('temporal').DYNAMIC_CONFIG_FILE_PATH;
    expect(target).toBeTruthy();
    const mounts = (service('temporal').volumes ?? []).map(String);
    const mount = mounts.find((candidate) => candidate.split(':')[1] === target);
    expect(mount, `no volume mounts a file at ${target}`).toBeDefined();
    const source = path.join(root, mount!.split(':')[0]!);
    expect(existsSync(source), `${source} does not exist`).toBe(true);
    // Temporal's format: each key holds a list of values, each with optional constraints.
    const file = parse(readFileSync(source, 'utf8')) as Record<string, { value: unknown; constraints?: unknown }[]>;
    const unconstrained = Object.fromEntries(Object.entries(file).map(([key, values]) => [key, values.find((entry) => entry.constraints === undefined)?.value]));
    expect(unconstrained).toEqual(DEV_SERVER_DYNAMIC_CONFIG);
  });

  it('registers exactly the search attributes the workflows set, as Keyword', () => {
    const text = commandText('temporal-search-attributes');
    expect(text).toContain('temporal operator namespace create');
    expect(text).toContain('temporal operator search-attribute create');
    expect(text).toContain('--address temporal:7233');
    const registered = [...text.matchAll(/--name\s+(\w+)\s+--type\s+(\w+)/g)].map(([, name, type]) => ({ name, type }));
    expect(registered.map(({ name }) => name).sort()).toEqual(DOSSIER_SEARCH_ATTRIBUTES.map(({ name }) => name).sort());
    for (const { type } of registered) expect(type).toBe('Keyword');
    expect(dependenciesOf('temporal-search-attributes')).toMatchObject({ temporal: 'service_healthy' });
  });

  for (const name of ['api', 'worker', 'relay']) {
    it(`builds ${name} from the Dockerfile and gives it a valid environment`, () => {
      const { context, dockerfile: file } = buildContextOf(name);
      expect(existsSync(path.join(root, context, file)), `${context}/${file}`).toBe(true);

      const env = environmentOf(name);
      expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/[^@/]+@postgres:5432\/\w+$/);
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      // The same parser the process runs at start: a value it would refuse fails here.
      const parsed = readEnvironment(env);
      expect(parsed.DATABASE_URL).toBe(env.DATABASE_URL);
      expect(parsed.TEMPORAL_ADDRESS).toBe('temporal:7233');

      expect(dependenciesOf(name)).toMatchObject({
        postgres: 'service_healthy',
        temporal: 'service_healthy',
        'temporal-search-attributes': 'service_completed_successfully',
      });
      expect(service(name).restart).toMatch(/^(always|unless-stopped|on-failure)/);
    });
  }

  it('will not start the API without its lookup key, passes the token settings through, and checks readiness', () => {
    const raw = service('api').environment as Record<string, string>;
    expect(raw.MOTCUA_LOOKUP_KEY).toMatch(/^\$\{MOTCUA_LOOKUP_KEY:\?/);
    for (const name of ['MOTCUA_JWKS_URL', 'MOTCUA_JWT_SECRET', 'MOTCUA_JWT_ISSUER', 'MOTCUA_JWT_AUDIENCE', 'MOTCUA_TRUST_PROXY']) expect(raw).toHaveProperty(name);
    expect([service('api').healthcheck?.test].flat().join(' ')).toContain('/ready');
  });

  it('runs the API by default and the worker by its command, both compiled from real entries', () => {
    const defaultCommand = /^CMD \["node", "(dist\/[^"]+)"\]$/m.exec(dockerfile)?.[1];
    expect(defaultCommand).toBe('dist/api/main.js');
    expect(environmentOf('api').HOST).toBe('0.0.0.0');
    expect(service('api').command).toBeUndefined();
    const workerCommand = [service('worker').command].flat().join(' ');
    expect(workerCommand).toMatch(/dist\/worker\/main\.js/);
    for (const compiled of [defaultCommand ?? '', 'dist/worker/main.js']) {
      expect(existsSync(path.join(root, compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), compiled).toBe(true);
    }
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim|^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('runs the outbox relay from its compiled entry, with the configuration file it names mounted, a valid example of it, and its metrics', () => {
    expect([service('relay').command].flat().join(' ')).toMatch(/dist\/worker\/relay-main\.js/);
    expect(existsSync(path.join(root, 'worker', 'relay-main.ts'))).toBe(true);
    const env = environmentOf('relay');
    expect(readEnvironment(env).MOTCUA_METRICS_PORT).toBe(9464);
    expect(env.MOTCUA_FILE_LINK_KEY).toBe(environmentOf('api').MOTCUA_FILE_LINK_KEY);
    expect(env.MOTCUA_LOOKUP_KEY).toBe(environmentOf('api').MOTCUA_LOOKUP_KEY);
    const mount = (service('relay').volumes ?? []).map(String).map((entry) => interpolateDefaults(entry)).find((entry) => entry.split(':')[1] === env.MOTCUA_OUTBOX_CONFIG);
    expect(mount, `no volume mounts the outbox configuration at ${env.MOTCUA_OUTBOX_CONFIG}`).toBeDefined();
    // The example is the schema's: every receiver, its secrets as references the relay's environment passes through.
    const example = loadOutboxConfig(path.join(root, mount!.split(':')[0]!));
    expect(Object.keys(example)).toEqual(expect.arrayContaining(['portal', 'email', 'sms', 'zalo', 'interagency']));
    const references = JSON.stringify(example).match(/env:[A-Z_]+/g) ?? [];
    expect(references.length).toBeGreaterThan(3);
    for (const reference of references) expect(Object.keys(env)).toContain(reference.slice(4));
    const secrets = Object.fromEntries(references.map((reference) => [reference.slice(4), 'a-secret']));
    const outbox = createOutbox(example, { lookupKey: env.MOTCUA_LOOKUP_KEY!, fileLinkKey: env.MOTCUA_FILE_LINK_KEY!, logger: createLogger({ level: 'silent' }), env: secrets });
    expect(outbox.channels.map((channel) => channel.receiver)).toEqual(['portal', 'email', 'sms', 'zalo', 'land-registry', 'tax', 'civil-status']);
    expect(JSON.stringify(service('relay').ports)).toMatch(/:9464"/);
  });

  it('serves the API\'s and every worker\'s metrics on a port of their own, published to loopback only', () => {
    for (const name of ['api', 'worker', 'relay']) {
      const port = readEnvironment(environmentOf(name)).MOTCUA_METRICS_PORT;
      expect(port, `${name} has no MOTCUA_METRICS_PORT`).toBeDefined();
      const published = (service(name).ports ?? []).map((entry) => interpolateDefaults(String(entry))).filter((entry) => entry.endsWith(`:${port}`));
      expect(published, `${name} does not publish its metrics port`).toHaveLength(1);
      expect(published[0]).toMatch(/^127\.0\.0\.1:\d+(-\d+)?:\d+$/);
      // Every address inside the container, for a Prometheus on compose's network; outside compose
      // the tokenless port stays on loopback unless MOTCUA_METRICS_HOST says otherwise.
      expect(readEnvironment(environmentOf(name)).MOTCUA_METRICS_HOST, name).toBe('0.0.0.0');
    }
    expect(readEnvironment({}).MOTCUA_METRICS_HOST).toBe('127.0.0.1');
    // A range for the workers: each of `--scale worker=N` takes one of its ports.
    expect(interpolateDefaults(String(service('worker').ports?.[0]))).toMatch(/^127\.0\.0\.1:\d+-\d+:9464$/);
    // The example Prometheus configuration scrapes each service on its metrics port.
    const prometheus = parse(readFileSync(path.join(root, 'deploy/prometheus/prometheus.example.yml'), 'utf8')) as { scrape_configs: { dns_sd_configs?: { names: string[]; port: number }[] }[] };
    const scraped = Object.fromEntries(prometheus.scrape_configs.flatMap((job) => job.dns_sd_configs ?? []).flatMap((lookup) => lookup.names.map((name) => [name, lookup.port])));
    for (const name of ['api', 'worker', 'relay']) expect(scraped[name], name).toBe(readEnvironment(environmentOf(name)).MOTCUA_METRICS_PORT);
  });

  it('gives the worker a heap limit, which an operator can raise', () => {
    expect(environmentOf('worker').NODE_OPTIONS).toBe('--max-old-space-size=512');
    const raised = interpolateDefaults(String((service('worker').environment as Record<string, Scalar>).NODE_OPTIONS), { MOTCUA_WORKER_NODE_OPTIONS: '--max-old-space-size=2048' });
    expect(raised).toBe('--max-old-space-size=2048');
    expect(environmentOf('api').NODE_OPTIONS).toBeUndefined();
  });

  it('is accepted by `docker compose config` where the client is installed', () => {
    // The YAML checks above always run; this one needs the docker client with its compose plugin
    // (not an engine). Without them there is nothing more to ask, so it only checks the file parsed.
    expect(compose.services).toBeDefined();
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status === 0) {
      const result = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '--quiet'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...REQUIRED_SETTINGS } });
      expect(result.status, `docker compose config: ${result.stderr}`).toBe(0);
    }
  });
});

function readdirScripts(dir: string): string {
  return readdirSync(dir)
    .filter((file) => /\.(sh|sql)$/.test(file))
    .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    .join('\n');
}
