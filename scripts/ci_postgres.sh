#!/usr/bin/env bash
# Install (if missing) and start a local PostgreSQL for the store tests, then print the line that
# points the tests at it. Use:  eval "$(scripts/ci_postgres.sh)"
# Runs as root on Debian; idempotent: each step is skipped when its result is already there.
set -euo pipefail
ROLE=sayso
DB=sayso_test

if ! command -v pg_ctlcluster >/dev/null; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$VERSION main "; then
  pg_createcluster "$VERSION" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$VERSION main .* online "; then
  pg_ctlcluster "$VERSION" main start >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')

psql_admin() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -tAc \"$1\""; }
if [ -z "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
  psql_admin "CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE'" >&2
fi
if [ -z "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  psql_admin "CREATE DATABASE $DB OWNER $ROLE" >&2
fi
echo "export SAYSO_TEST_PG=postgresql://$ROLE:$ROLE@localhost:$PORT/$DB"
