#!/usr/bin/env bash
# Wall time of `pamps post list` and `pamps user list` (first page, process
# start included) on a database with 1,000,000 posts, on PostgreSQL and SQLite.
#   bench/cli.sh            the full 1M-post dataset
#   bench/cli.sh --quick    100k posts, for a quick look
# Prints the seed time and, per command, the median and p90 of 30 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source postgres/throwaway.sh
source bench/lib.sh

users=10000 posts=1000000 follows=100 likes=2000000 runs=30
if [ "${1:-}" = --quick ]; then users=1000 posts=100000 follows=20 likes=200000; fi

start_postgres >/dev/null
bench_begin cli
export PAMPS_SECURITY__BCRYPT_COST=4 HOME=$work

now_ms() { date +%s%3N; }

# measure LABEL CMD...: runs CMD $runs times, prints median and p90 in ms.
measure() {
	local label=$1; shift
	local times=()
	"$@" >/dev/null 2>&1 # warm the page cache once
	for _ in $(seq "$runs"); do
		local t0; t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		times+=($(( ($(date +%s%N) - t0) / 1000 )))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
		{ a[NR] = $1 } END { printf "  %-44s median %6.1f ms   p90 %6.1f ms\n", label, a[int(NR*0.5)+1]/1000, a[int(NR*0.9)]/1000 }'
}

for db in postgres sqlite; do
	if [ "$db" = postgres ]; then uri=$PG_URL; else uri="sqlite:$work/pamps.db"; fi
	echo "== $db: seeding $users users, $posts posts, $follows follows/user, $likes likes"
	t0=$(now_ms)
	"$work/pamps" --db "$uri" -q seed --users "$users" --posts "$posts" --follows "$follows" --likes "$likes" --password bench-password
	echo "  seed took $(( $(now_ms) - t0 )) ms"
	measure "pamps post list" "$work/pamps" --db "$uri" post list
	measure "pamps post list --limit 20" "$work/pamps" --db "$uri" post list --limit 20
	measure "pamps user list" "$work/pamps" --db "$uri" user list
	measure "pamps post list --user <popular> --replies" "$work/pamps" --db "$uri" post list --user "$("$work/pamps" --db "$uri" user list --limit 1 | cut -f2)" --replies
	measure "pamps timeline <user>" "$work/pamps" --db "$uri" timeline "$("$work/pamps" --db "$uri" user list --limit 1 --after 500 | cut -f2)"
	measure "pamps version (process start alone)" "$work/pamps" version
done
