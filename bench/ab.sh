#!/usr/bin/env bash
# A/B: the working tree's `pamps serve` against another revision's, on one
# seeded database, each scenario alternated ROUNDS times (the machine's speed
# drifts by 20% and more between runs of bench/load.sh, so only alternation
# on the same data tells a change from the noise).
#   bench/ab.sh REV [ROUNDS]     e.g. bench/ab.sh HEAD~3 3
# Set DURATION (seconds per measurement, default 8), ONLY (run the scenarios
# whose name contains it), SUSPEND (suspend that many members first). Rate
# limits are off.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rev=${1:?usage: bench/ab.sh REV [ROUNDS]}
rounds=${2:-3} duration=${DURATION:-8}
conns=32 threads=2 password=bench-password
source postgres/throwaway.sh
source bench/lib.sh
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

start_postgres >/dev/null
bench_begin ab
trap 'git -C "$root" worktree remove --force "$work/rev" >/dev/null 2>&1 || true; bench_end' EXIT
git worktree add -q --detach "$work/rev" "$rev"
(cd "$work/rev" && CGO_ENABLED=0 go build -o "$work/pamps-rev" ./cmd/pamps)
export HOME=$work PAMPS_DB__URI=$PG_URL WRK_DIR=$root/bench/wrk
"$work/pamps" -q seed --users 1000 --posts 100000 --follows 50 --likes 200000 --password "$password"
"$work/pamps" -q user list --limit 1000 | cut -f2 >"$work/users"
# SUSPEND=N suspends the last N members (none of them holds a token below):
# the working tree's reads then leave out a withheld set that is not empty.
for u in $(tail -n "${SUSPEND:-0}" "$work/users"); do "$work/pamps" -q user suspend "$u" --reason bench >/dev/null; done
head -200 "$work/users" | while read -r u; do "$work/pamps" token "$u"; done >"$work/tokens"
export USERS=$work/users TOKENS=$work/tokens PASSWORD=$password MAX_POST=100000

read -r pa pb <<<"$(free_ports 2 | tr '\n' ' ')"
serve "$work/a.log" "$pa"
background "http://127.0.0.1:$pb/healthz" "$work/b.log" "$work/pamps-rev" serve --port "$pb"
echo "A: working tree ($(git rev-parse --short HEAD)$(git diff --quiet || echo +changes)), B: $rev ($(git rev-parse --short "$rev")); wrk -c $conns -t $threads -d ${duration}s, $rounds rounds"

measure() { wrk -c $conns -t $threads -d "${duration}s" --timeout 15s -s "$root/bench/wrk/$2" "http://127.0.0.1:$1$3" | grep '^RESULT' | sed -E 's/.*rps=([0-9.]+).*p99_ms=([0-9.]+).*/\1 \2/'; }
for sc in "GET /post/{id}/|get_post.lua|/" "GET /post/user/{u}/|user_posts.lua|/" "GET /user/timeline/|timeline.lua|/" "GET /post/|plain.lua|/post/" "POST /post/|create_post.lua|/" "POST /post/{id}/like/|like.lua|/"; do
	IFS='|' read -r name lua path <<<"$sc"
	[[ "$name" == *"${ONLY:-}"* ]] || continue
	a=() b=()
	for _ in $(seq "$rounds"); do
		a+=("$(measure "$pa" "$lua" "$path")")
		b+=("$(measure "$pb" "$lua" "$path")")
	done
	printf '%-22s A rps/p99: %s\n%-22s B rps/p99: %s\n' "$name" "$(IFS=,; echo "${a[*]}")" "" "$(IFS=,; echo "${b[*]}")"
	printf '%s\n' "${a[@]}" | awk -v n="$name" '{s+=$1} END{printf "%-22s A mean %.0f req/s", n, s/NR}'
	printf '%s\n' "${b[@]}" | awk '{s+=$1} END{printf ", B mean %.0f req/s", s/NR}'
	paste <(printf '%s\n' "${a[@]}") <(printf '%s\n' "${b[@]}") | awk '{s+=$1/$3} END{printf ", A/B %.3f\n", s/NR}'
done
