#!/usr/bin/env bash
PAMPS_ROOT=${PAMPS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
pg_die() { printf '%s\n' "$*" >&2; exit 1; }

# Sourced by test.sh and the bench/ scripts: start_postgres starts a throwaway
# PostgreSQL cluster from the local server binaries in a private temp dir, on a
# random free 127.0.0.1 port (never 5432), fsync off; stop_postgres (run by an
# EXIT trap) removes it. After start_postgres: PGHOST, PGPORT, PGUSER, PG_URL
# (database pamps) and PG_TEST_URL (database pamps_test) are set.

find_pg_bindir() {
	local d
	if command -v pg_config >/dev/null && d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ]; then
		echo "$d"; return 0
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	return 1
}

# free_port picks below Linux's ephemeral range (32768+), where outgoing
# connections could take the port between this check and the server's bind.
free_port() {
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 12000))
		[ "$port" = 5432 ] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"; return 0
		fi
	done
	return 1
}

start_postgres() {
	local bindir
	if ! bindir=$(find_pg_bindir); then
		if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
			echo "installing the PostgreSQL server (apt-get install postgresql)"
			apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
		fi
		bindir=$(find_pg_bindir) || pg_die "no PostgreSQL server binaries found. Install them (apt-get install postgresql) or start one (docker compose up -d db) and set PAMPS_TEST_DATABASE_URL."
	fi
	pgtmp=$(mktemp -d /tmp/pamps-pg.XXXXXX)
	local as=()
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
		chown postgres "$pgtmp"
		as=(runuser -u postgres --)
	fi
	PG_BINDIR=$bindir
	PG_AS=("${as[@]}")
	trap 'stop_postgres' EXIT
	"${as[@]}" "$bindir/initdb" -D "$pgtmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$pgtmp/initdb.log" 2>&1 ||
		{ cat "$pgtmp/initdb.log" >&2; pg_die "initdb failed"; }
	local started=
	for _ in 1 2 3 4 5; do # a port can still be taken in the meantime: try another
		pgport=$(free_port) || pg_die "no free port for PostgreSQL"
		echo "starting a throwaway PostgreSQL ($bindir) on 127.0.0.1:$pgport"
		if "${as[@]}" "$bindir/pg_ctl" -D "$pgtmp/data" -l "$pgtmp/server.log" -w -t 60 start \
			-o "-p $pgport -k $pgtmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_OPTS:-}" >/dev/null; then
			started=1
			break
		fi
	done
	[ -n "$started" ] || { cat "$pgtmp/server.log" >&2; pg_die "PostgreSQL did not start"; }
	export PGHOST=127.0.0.1 PGPORT=$pgport PGUSER=postgres

	echo "postgres/create-databases.sh (twice: it must be idempotent), with the compose file's owner role"
	for _ in 1 2; do
		POSTGRES_USER=postgres POSTGRES_APP_USER=pamps POSTGRES_APP_PASSWORD=pamps POSTGRES_DBS="pamps, pamps_test" \
			bash "$PAMPS_ROOT/postgres/create-databases.sh" >/dev/null
	done
	for db in pamps pamps_test; do
		[ "$(psql -XtAc "SELECT pg_get_userbyid(datdba) || ' ' || (SELECT rolsuper FROM pg_roles WHERE rolname = 'pamps')
			FROM pg_database WHERE datname = current_database()" "$db")" = "pamps false" ] ||
			pg_die "create-databases.sh did not create $db owned by the role pamps, no superuser"
	done
	PG_URL="postgres://postgres@127.0.0.1:$pgport/pamps?sslmode=disable"
	PG_TEST_URL="postgres://postgres@127.0.0.1:$pgport/pamps_test?sslmode=disable"
}

stop_postgres() {
	if [ -n "${pgtmp:-}" ] && [ -d "$pgtmp" ]; then
		"${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$pgtmp/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$pgtmp"
	fi
}

