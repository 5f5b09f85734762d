#!/bin/sh
# One-shot: creates or updates Temporal's schemas in its PostgreSQL (run by the compose service
# temporal-schema on temporalio/admin-tools before the server starts; safe to run again).
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
port="${DB_PORT:-5432}"
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$port" "$@"; }

for db in temporal temporal_visibility; do
  sql --db "$db" create || echo "database $db exists"
done
# setup-schema -v 0.0 only creates the version table when it is missing; update-schema then applies
# every versioned step not yet applied, so a newer admin-tools image upgrades the schema in place.
sql --db temporal setup-schema -v 0.0
sql --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned
sql --db temporal_visibility setup-schema -v 0.0
sql --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned
echo "Temporal schemas are up to date"
