// Where the operator's tools find a running cluster (dev/cluster.ts writes it; `npm run
// engine:check -- --cluster <dataDir>` reads it). Apart from dev/cluster.ts on purpose: the check's
// CLI is in the production build, and dev/cluster.ts would pull the launcher, the benchmark's
// process starter and the outbox doubles into it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../platform/environment.js';
import { localSecret } from './local-secrets.js';

/** What a running cluster writes into its data folder for the operator's tools. */
export interface ClusterFile {
  readonly apiUrl: string;
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly workflowBundle: string;
}

const CLUSTER_FILE = 'cluster.json';

/** A cluster's addresses (its cluster.json) and its secrets, read from its data folder. */
export function readClusterFile(dataDir: string): ClusterFile & { readonly payloadKeys: string; readonly applicantKey: string; readonly jwtSecret: string } {
  let described: ClusterFile;
  try {
    described = JSON.parse(readFileSync(path.join(dataDir, CLUSTER_FILE), 'utf8')) as ClusterFile;
  } catch (error) {
    throw new ConfigurationError(`${path.join(dataDir, CLUSTER_FILE)} could not be read (${(error as Error).message}): is it the data folder of a cluster started with npm run start:cluster (MOTCUA_DATA_DIR/cluster)?`);
  }
  return { ...described, payloadKeys: localSecret(dataDir, 'payload-keys'), applicantKey: localSecret(dataDir, 'applicant-key'), jwtSecret: localSecret(dataDir, 'jwt-secret') };
}

export function writeClusterFile(dataDir: string, described: ClusterFile): void {
  writeFileSync(path.join(dataDir, CLUSTER_FILE), `${JSON.stringify(described, null, 2)}\n`);
}
