#!/usr/bin/env bash
# The one test command: gofmt, go vet, staticcheck, then every Go test on SQLite
# and on a throwaway PostgreSQL cluster that this script starts (and removes).
#   ./test.sh            everything
#   ./test.sh -run X     extra arguments go to `go test`
# Set PAMPS_TEST_DATABASE_URL to use a PostgreSQL server of your own instead.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "Go is not installed (https://go.dev/dl)"

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*'))
if [ -n "$unformatted" ]; then
	printf 'gofmt would change:\n%s\n' "$unformatted" >&2
	exit 1
fi

step "go vet"
go vet ./...

step "staticcheck"
STATICCHECK_VERSION=v0.8.2
GOBIN="$root/bin" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
"$root/bin/staticcheck" ./...

# --- PostgreSQL -------------------------------------------------------------
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

free_port() {
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 40000))
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
			step "installing the PostgreSQL server (apt-get install postgresql)"
			apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
		fi
		bindir=$(find_pg_bindir) || die "no PostgreSQL server binaries found. Install them (apt-get install postgresql) or start one (docker compose up -d db) and set PAMPS_TEST_DATABASE_URL."
	fi
	pgtmp=$(mktemp -d /tmp/pamps-pg.XXXXXX)
	local as=()
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
		chown postgres "$pgtmp"
		as=(runuser -u postgres --)
	fi
	trap 'stop_postgres' EXIT
	pgport=$(free_port) || die "no free port for PostgreSQL"
	step "starting a throwaway PostgreSQL ($bindir) on 127.0.0.1:$pgport"
	"${as[@]}" "$bindir/initdb" -D "$pgtmp/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$pgtmp/initdb.log" 2>&1 ||
		{ cat "$pgtmp/initdb.log" >&2; die "initdb failed"; }
	"${as[@]}" "$bindir/pg_ctl" -D "$pgtmp/data" -l "$pgtmp/server.log" -w -t 60 start \
		-o "-p $pgport -k $pgtmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null ||
		{ cat "$pgtmp/server.log" >&2; die "PostgreSQL did not start"; }
	export PGHOST=127.0.0.1 PGPORT=$pgport PGUSER=postgres
	PG_BINDIR=$bindir
	PG_AS=("${as[@]}")

	step "postgres/create-databases.sh (twice: it must be idempotent)"
	for _ in 1 2; do
		POSTGRES_USER=postgres POSTGRES_DBS="pamps, pamps_test" bash postgres/create-databases.sh >/dev/null
	done
	for db in pamps pamps_test; do
		psql -XtAc "SELECT 1" "$db" >/dev/null || die "create-databases.sh did not create $db"
	done
	export PAMPS_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/pamps_test?sslmode=disable"
	export PAMPS_TEST_PG_CTL="${as[*]:+${as[*]} }$bindir/pg_ctl -D $pgtmp/data"
}

stop_postgres() {
	if [ -n "${pgtmp:-}" ] && [ -d "$pgtmp" ]; then
		"${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$pgtmp/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$pgtmp"
	fi
}

if [ -z "${PAMPS_TEST_DATABASE_URL:-}" ]; then
	start_postgres
fi

step "go test ./..."
go test -count=1 "$@" ./...
