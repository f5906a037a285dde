#!/usr/bin/env bash
# Creates every database named in POSTGRES_DBS (comma or space separated),
# owned by POSTGRES_USER. Safe to run again: existing databases are kept.
# The official postgres image runs it from /docker-entrypoint-initdb.d on
# first start; test.sh runs it against its throwaway cluster.
set -euo pipefail

user=${POSTGRES_USER:-postgres}
for db in $(echo "${POSTGRES_DBS:-}" | tr ',' ' '); do
	if ! [[ $db =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
		echo "create-databases.sh: refusing database name '$db' (letters, digits and _ only)" >&2
		exit 1
	fi
	if [ "$(psql -v ON_ERROR_STOP=1 -XtA --username "$user" --dbname postgres \
		-c "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ]; then
		echo "database $db exists"
		continue
	fi
	echo "creating database $db"
	psql -v ON_ERROR_STOP=1 -X --username "$user" --dbname postgres \
		-c "CREATE DATABASE \"$db\" OWNER \"$user\""
done
