#!/usr/bin/env bash
# Search at the standard dataset (bench/load.sh's: 10,000 users, 1,000,000
# posts, 100 follows per user, 2,000,000 likes), on PostgreSQL and on SQLite:
#   - the search migration's index build on the seeded posts, timed: the
#     index and its migration's record are dropped, then `pamps db migrate`
#     builds it again, as when an existing database is upgraded;
#   - GET /search/posts/?limit=20 with wrk, 8 connections, for a word in a
#     fifth of the posts ("pamps"), a word in a thousandth ("glacier") and
#     two words ("pamps coffee"): requests/s, p50, p99, each after a 3 s
#     warm-up whose figures are not kept.
#   bench/search.sh            the standard dataset
#   bench/search.sh --quick    100,000 posts
# Set DURATION (seconds per measurement, default 10). Rate limits are off.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source postgres/throwaway.sh
source bench/lib.sh
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

users=10000 posts=1000000 follows=100 likes=2000000 duration=${DURATION:-10}
if [ "${1:-}" = --quick ]; then users=1000 posts=100000 follows=50 likes=200000 duration=${DURATION:-5}; fi
password=bench-password

start_postgres >/dev/null
bench_begin search
export HOME=$work WRK_DIR=$root/bench/wrk
echo "machine: $(nproc) cores; dataset: $users users, $posts posts, $follows follows/user, $likes likes; wrk -c 8 -t 2 -d ${duration}s, limit=20"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# one DATABASE_URI NAME SQL_DROP: seed, time the index build, measure.
one() {
	local uri=$1 name=$2 drop=$3
	export PAMPS_DB__URI=$uri
	local t0
	t0=$(date +%s%N)
	"$work/pamps" -q seed --users "$users" --posts "$posts" --follows "$follows" --likes "$likes" --password "$password"
	echo "$name: seed $(ms "$t0") ms (the search index kept up on every row)"
	run_sql "$uri" "$drop"
	t0=$(date +%s%N)
	"$work/pamps" db migrate >/dev/null
	echo "$name: search migration on $posts posts: $(ms "$t0") ms"
	# What autovacuum does after the table's rewrite, done now: measured
	# during it, the searches share the two cores with it (a rare word's
	# p99 read 112 ms then, 41 ms after).
	case $uri in postgres*) run_sql "$uri" "VACUUM ANALYZE post" ;; esac
	local port
	port=$(free_port)
	serve "$work/$name.log" "$port"
	for q in pamps glacier "pamps%20coffee"; do
		# A warm-up, discarded: the server's and the cluster's caches, as a
		# server that has run for a while has them (the first run's figures
		# were of pages the new cluster had never read).
		wrk -c 8 -t 2 -d 3s --timeout 15s -s "$root/bench/wrk/plain.lua" "http://127.0.0.1:$port/search/posts/?q=$q&limit=20" >/dev/null
		out=$(wrk -c 8 -t 2 -d "${duration}s" --timeout 15s -s "$root/bench/wrk/plain.lua" "http://127.0.0.1:$port/search/posts/?q=$q&limit=20" | grep '^RESULT')
		echo "$name: q=$q $out"
	done
	kill "$spid"
}

# run_sql URI SQL: for the drop, PostgreSQL through psql, SQLite through
# the Go driver (no sqlite3 binary needed).
run_sql() {
	case $1 in
	postgres*) "$PG_BINDIR/psql" -q "$1" -c "$2" ;;
	*) (cd "$root" && go run ./bench/internal/sqliteexec "${1#sqlite:}" "$2") ;;
	esac
}

one "$PG_URL" postgres "DROP INDEX post_search_idx; ALTER TABLE post DROP COLUMN search; DELETE FROM pamps_migrations WHERE name = '20261206000003'"
one "sqlite:$work/search.db" sqlite "DROP TRIGGER post_fts_insert; DROP TRIGGER post_fts_delete; DROP TRIGGER post_fts_update; DROP TABLE post_fts; DELETE FROM pamps_migrations WHERE name = '20261206000003'"
