import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';

// The time-skipping Temporal test server (docs/testing.md, "Timers in workflow time"): the Java test
// server of Temporal's Java SDK, from Maven Central, run with the machine's Java. @temporalio/testing
// would download a native build of it from a website these machines cannot reach; Maven Central they
// can. Its jars are fetched once per machine into a cache beside the Temporal CLI's, with a launcher
// script that @temporalio/testing runs as an `existing-path` executable.
export const TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';
export const TEST_SERVER_VERSION = '1.38.0';
/** The jar's own Main-Class: `TestServer <port> [--enable-time-skipping]`. */
export const TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export type TestServerOrigin = 'TEMPORAL_TEST_SERVER' | 'cache' | 'maven';

export interface LocatedTestServer {
  readonly origin: TestServerOrigin;
  /** An executable taking the contract of @temporalio/testing's test server: `<port> [extra args…]`. */
  readonly launcher: string;
}

export function testServerCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'motcua', `temporal-test-server-${TEST_SERVER_VERSION}`);
}

export const NO_TEST_SERVER_HELP = [
  'The time-skipping Temporal test server could not be provided. Any one of these fixes it:',
  `  1. install Java (17 or later) and Maven, then run \`npm run setup:test-server\` (fetches ${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION} from Maven Central)`,
  '  2. point TEMPORAL_TEST_SERVER at an executable that starts a Temporal test server on the port given as its first argument',
].join('\n');

/**
 * The test server's launcher: TEMPORAL_TEST_SERVER if set, else the cached one, else fetched now
 * with Maven (a few seconds to a minute, once per machine).
 */
export async function locateTestServer(logger: Logger, configured = process.env.TEMPORAL_TEST_SERVER): Promise<LocatedTestServer> {
  if (configured) {
    if (!existsSync(configured)) throw new Error(`TEMPORAL_TEST_SERVER=${configured} does not exist. Fix the path or unset it.`);
    return { origin: 'TEMPORAL_TEST_SERVER', launcher: configured };
  }
  const cacheDir = testServerCacheDir();
  const launcher = path.join(cacheDir, 'temporal-test-server');
  if (existsSync(launcher)) return { origin: 'cache', launcher };
  await fetchWithMaven(cacheDir, logger);
  return { origin: 'maven', launcher };
}

/** The launcher, if it is already in the cache (tests read this; they never fetch). */
export function cachedTestServer(): string | undefined {
  if (process.env.TEMPORAL_TEST_SERVER) return process.env.TEMPORAL_TEST_SERVER;
  const launcher = path.join(testServerCacheDir(), 'temporal-test-server');
  return existsSync(launcher) ? launcher : undefined;
}

async function fetchWithMaven(cacheDir: string, logger: Logger): Promise<void> {
  // Fetched into a private folder and moved into place whole, so a concurrent run never sees half a
  // cache; the launcher is written last, and its presence is what marks the cache complete.
  const parent = path.dirname(cacheDir);
  mkdirSync(parent, { recursive: true });
  const work = path.join(parent, `.temporal-test-server-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'pom.xml'), pomFor(TEST_SERVER_ARTIFACT, TEST_SERVER_VERSION));
  logger.info({ artifact: `${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION}`, into: cacheDir }, 'fetching the Temporal test server with Maven, once per machine');
  const started = Date.now();
  try {
    const { code, output } = await run('mvn', ['-B', '-q', '-f', path.join(work, 'pom.xml'), `${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${path.join(work, 'lib')}`, '-DincludeScope=runtime'], work);
    if (code !== 0) throw new Error(`mvn exited with ${code}:\n${output.slice(-40).join('\n')}\n\n${NO_TEST_SERVER_HELP}`);
    const jars = readdirSync(path.join(work, 'lib'));
    if (!jars.includes(`temporal-test-server-${TEST_SERVER_VERSION}.jar`)) throw new Error(`Maven copied no temporal-test-server jar (found ${jars.join(', ')})`);
    const launcher = path.join(work, 'temporal-test-server');
    writeFileSync(launcher, launcherScript());
    chmodSync(launcher, 0o755);
    try {
      renameSync(work, cacheDir);
    } catch (error) {
      // Another run finished first: its cache is as good as ours.
      if (!existsSync(path.join(cacheDir, 'temporal-test-server'))) throw error;
    }
    logger.info({ seconds: (Date.now() - started) / 1000, jars: jars.length }, 'Temporal test server fetched');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`Maven (mvn) is not installed.\n\n${NO_TEST_SERVER_HELP}`);
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A project whose only dependency is the test server: Maven resolves its runtime classpath. */
function pomFor(artifact: string, version: string): string {
  const [groupId, artifactId] = artifact.split(':');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>motcua.local</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>
    <!-- The server logs through SLF4J 1.7 and warns on every start when no binding is present. -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`;
}

/**
 * The contract of @temporalio/testing (sdk-core's TestServerConfig): it runs the executable with the
 * port as first argument, then its extraArgs; it expects the server to answer on 127.0.0.1:<port>
 * within 5 s, and kills the process (SIGKILL) at teardown, hence `exec`. No --enable-time-skipping:
 * the server starts with time skipping locked, as the SDK's own download does, and time then moves
 * only while a test sleeps (env.sleep) or awaits a workflow's result.
 */
function launcherScript(): string {
  return `#!/bin/sh
# Written by dev/temporal-test-server.ts: Temporal's Java test server (${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION}).
# Usage: temporal-test-server <port> [--enable-time-skipping]
here="$(cd "$(dirname "$0")" && pwd)"
java="java"
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; fi
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms64m -Xmx512m -cp "$here/lib/*" ${TEST_SERVER_MAIN_CLASS} "$@"
`;
}

function run(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; output: string[] }> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
