#!/bin/sh
# Run once by the postgres image, on the first start of an empty data volume (docker-compose.yml
# mounts this folder at /docker-entrypoint-initdb.d). It gives motcua and Temporal a role each and
# the databases they own, so neither holds the superuser's password:
#   motcua    -> database motcua (the event store and projections; the apps migrate it at start)
#   temporal  -> databases temporal and temporal_visibility (the temporal-schema one-shot loads and
#                upgrades their schemas with deploy/temporal/setup-schema.sh; it creates no database)
# Later password changes are not picked up from the environment: use ALTER ROLE ... PASSWORD.
# (No `set -u`: the image sources a script that is not executable, and would inherit it.)
set -e

: "${MOTCUA_DB_PASSWORD:?MOTCUA_DB_PASSWORD must be set}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set motcua_password="$MOTCUA_DB_PASSWORD" \
  --set temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE motcua LOGIN PASSWORD :'motcua_password';
CREATE DATABASE motcua OWNER motcua;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
