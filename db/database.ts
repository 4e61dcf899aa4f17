import os from 'node:os';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const INT8_OID = 20;
const DATE_OID = 1082;

// bigint columns (global positions, counts) come back as numbers: they stay far below 2^53, and a
// value that does not fits is an error rather than a silently rounded number.
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JavaScript number`);
  return value;
}

/** Connections per process unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

export interface DatabaseOptions {
  readonly connectionString: string;
  /** Connections in the pool; PostgreSQL serves a 2-core machine best with few. */
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/**
 * The name a process gives its PostgreSQL sessions (pg_stat_activity.application_name): its role,
 * host and process id, so an operator can tell which of several workers holds a lock or a
 * connection. PostgreSQL keeps 63 bytes of it (host names are ASCII).
 */
export function sessionNameFor(role: string, host: string = os.hostname(), pid: number = process.pid): string {
  return `${role} ${host}:${pid}`.slice(0, 63);
}

export function createDatabase(options: DatabaseOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    application_name: options.applicationName ?? 'motcua',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID) return parseInt8;
        // A calendar date stays the string 'YYYY-MM-DD': as a JavaScript Date it would become
        // midnight in the server's zone and shift a day when read in Vietnam's.
        if (oid === DATE_OID) return (text: string) => text;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client that loses its connection (a database restart) must not crash the process. The pool
  // listens on idle clients; a client checked out between two queries (inside a transaction, say)
  // has no listener of the pool's, and an unheard 'error' event is an uncaught exception. The query
  // in flight still fails, the pool drops the broken client, and the caller's retry takes over.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** A round trip to the database, for the readiness probe: it fails when PostgreSQL does not answer. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
