#!/usr/bin/env bash
# Creates every database named in POSTGRES_DBS (comma or space separated).
# With POSTGRES_APP_USER (and POSTGRES_APP_PASSWORD) set, it first creates
# that role, a plain login with no superuser, CREATEDB or CREATEROLE rights,
# and makes it the databases' owner: pamps connects as it, never as the
# superuser. Otherwise the databases are owned by POSTGRES_USER. Safe to run
# again: existing roles and databases are kept.
# The official postgres image runs it from /docker-entrypoint-initdb.d on
# first start; test.sh runs it against its throwaway cluster.
set -euo pipefail

user=${POSTGRES_USER:-postgres}
owner=$user
sql() { psql -v ON_ERROR_STOP=1 -XtA --username "$user" --dbname postgres "$@"; }
name_ok() { [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; }

if [ -n "${POSTGRES_APP_USER:-}" ]; then
	owner=$POSTGRES_APP_USER
	name_ok "$owner" || { echo "create-databases.sh: refusing role name '$owner' (letters, digits and _ only)" >&2; exit 1; }
	[ -n "${POSTGRES_APP_PASSWORD:-}" ] || { echo "create-databases.sh: POSTGRES_APP_USER needs POSTGRES_APP_PASSWORD" >&2; exit 1; }
	if [ "$(sql -c "SELECT 1 FROM pg_roles WHERE rolname = '$owner'")" = 1 ]; then
		echo "role $owner exists"
	else
		echo "creating role $owner (no superuser)"
		# The password goes through a psql variable, quoted by psql itself.
		sql -v pw="$POSTGRES_APP_PASSWORD" <<<"CREATE ROLE \"$owner\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';" >/dev/null
	fi
fi

for db in $(echo "${POSTGRES_DBS:-}" | tr ',' ' '); do
	name_ok "$db" || { echo "create-databases.sh: refusing database name '$db' (letters, digits and _ only)" >&2; exit 1; }
	if [ "$(sql -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ]; then
		echo "database $db exists"
		continue
	fi
	echo "creating database $db"
	sql -c "CREATE DATABASE \"$db\" OWNER \"$owner\"" >/dev/null
done
