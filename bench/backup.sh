#!/usr/bin/env bash
# Backups at the standard dataset (bench/load.sh's: 10,000 users, 1,000,000
# posts, 100 follows per user, 2,000,000 likes), timed with their peak
# memory (GNU time's maximum resident set):
#   - pamps db dump of the PostgreSQL database to a file;
#   - pamps db restore of it into an empty PostgreSQL database;
#   - pamps db copy PostgreSQL -> SQLite, then SQLite -> an empty PostgreSQL;
#   - a dump taken while writers post, reply and like through pamps serve
#     (wrk, 8 connections), restored: the restore checks every table's count
#     and every counter against its rows, and the foreign keys, or fails.
#   bench/backup.sh            the standard dataset
#   bench/backup.sh --quick    100,000 posts
# Rate limits are off for the writers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source postgres/throwaway.sh
source bench/lib.sh
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }

users=10000 posts=1000000 follows=100 likes=2000000
if [ "${1:-}" = --quick ]; then users=1000 posts=100000 follows=50 likes=200000; fi
password=bench-password

start_postgres >/dev/null
bench_begin backup
export HOME=$work WRK_DIR=$root/bench/wrk PAMPS_DB__URI=$PG_URL
echo "machine: $(nproc) cores; dataset: $users users, $posts posts, $follows follows/user, $likes likes"

# db NAME: an empty PostgreSQL database's URI.
db() {
	"$PG_BINDIR/psql" -q "$PG_URL" -c "CREATE DATABASE $1"
	echo "${PG_URL/\/pamps\?/\/$1?}"
}
# timed WHAT CMD...: runs CMD, printing its wall time and peak memory.
timed() {
	local what=$1
	shift
	/usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
	read -r secs kb <"$work/time"
	printf '%-34s %7.1f s   %4d MB peak\n' "$what" "$secs" $((kb / 1024))
}

"$work/pamps" -q seed --users "$users" --posts "$posts" --follows "$follows" --likes "$likes" --password "$password"
timed "dump, PostgreSQL -> file" "$work/pamps" -q db dump "$work/pamps.gz"
echo "archive: $(du -m "$work/pamps.gz" | cut -f1) MB"
timed "restore, file -> PostgreSQL" "$work/pamps" -q --db "$(db restored)" db restore "$work/pamps.gz"
timed "copy, PostgreSQL -> SQLite" "$work/pamps" -q db copy --to "sqlite:$work/copy.db"
timed "copy, SQLite -> PostgreSQL" "$work/pamps" -q --db "sqlite:$work/copy.db" db copy --to "$(db copied)"

# A dump under writers.
"$work/pamps" -q user list --limit 1000 | cut -f2 >"$work/users" # whole: head would cut the pipe (pipefail)
head -200 "$work/users" | while read -r u; do "$work/pamps" token "$u"; done >"$work/tokens"
export TOKENS=$work/tokens MAX_POST=$posts
port=$(free_port)
serve "$work/serve.log" "$port"
before=$("$PG_BINDIR/psql" -Atq "$PG_URL" -c "SELECT count(*) FROM post")
wrk -c 8 -t 2 -d 60s --timeout 15s -s "$root/bench/wrk/write_mix.lua" "http://127.0.0.1:$port/" >"$work/wrk" &
wrkpid=$!
sleep 3 # the writers are under way before the snapshot is taken
timed "dump under writers" "$work/pamps" -q db dump "$work/busy.gz"
sleep 3 # and still after it
kill -INT "$wrkpid" 2>/dev/null || true
wait "$wrkpid" || true
after=$("$PG_BINDIR/psql" -Atq "$PG_URL" -c "SELECT count(*) FROM post")
echo "writers: $(grep '^RESULT' "$work/wrk" || echo 'no RESULT line'); posts before $before, after $after"
timed "restore of the dump under writers" "$work/pamps" -q --db "$(db busy)" db restore "$work/busy.gz"
echo "the restore checked every table's count, every counter against its rows and every foreign key: whole"
