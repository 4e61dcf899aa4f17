#!/bin/sh
# Sets up or upgrades Temporal's two PostgreSQL schemas (persistence and SQL visibility) to the
# version the server needs, with Temporal's own SQL tool: the commands an operator runs by hand
# (docs/operations.md, "Temporal on PostgreSQL: running and upgrading"). The ONE script for every
# place motcua runs the production server: docker-compose.yml's `temporal-schema` one-shot runs it
# in temporalio/admin-tools, and dev/temporal-postgres.ts runs it with the Go-built tool.
# Idempotent: on a database already at the newest version it changes nothing. The databases must
# exist (db/compose-init/ creates them in compose; dev/temporal-postgres.ts creates them itself).
#
#   TEMPORAL_DB_HOST, TEMPORAL_DB_PORT (5432), TEMPORAL_DB_USER (temporal), TEMPORAL_DB_PASSWORD
#   TEMPORAL_DB_NAME (temporal), TEMPORAL_VISIBILITY_DB_NAME (temporal_visibility)
#   TEMPORAL_SQL_TOOL (temporal-sql-tool), TEMPORAL_SCHEMA_DIR (/etc/temporal/schema, the image's)
set -eu

tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
schema=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12
: "${TEMPORAL_DB_HOST:?set TEMPORAL_DB_HOST, the PostgreSQL server Temporal persists to}"

export SQL_PLUGIN=postgres12
export SQL_HOST="$TEMPORAL_DB_HOST"
export SQL_PORT="${TEMPORAL_DB_PORT:-5432}"
export SQL_USER="${TEMPORAL_DB_USER:-temporal}"
export SQL_PASSWORD="${TEMPORAL_DB_PASSWORD:-}"

for pair in "${TEMPORAL_DB_NAME:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB_NAME:-temporal_visibility}:visibility"; do
  database=${pair%%:*}
  kind=${pair##*:}
  # Version 0.0 only creates the schema_version bookkeeping tables (a no-op when they exist);
  # update-schema then applies every versioned step newer than the database's version, in order.
  "$tool" --db "$database" setup-schema -v 0.0
  "$tool" --db "$database" update-schema -d "$schema/$kind/versioned"
  echo "$database: $kind schema up to date"
done
