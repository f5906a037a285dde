#!/usr/bin/env bash
# Read replicas and limits shared by replicas (issue "Past one machine"), in
# one run, on one throwaway PostgreSQL primary (the --quick dataset of
# load.sh) and a streaming standby made from it with pg_basebackup -R:
#  1. the read endpoints, anonymous: one pamps serve on the primary alone
#     (wrk -c 32) against two pamps serve reading from the standby (two wrk
#     -c 16 at once: req/s summed, p99 the worse of the two), in turns;
#  2. on the two replicas, what counting the limits in PostgreSQL costs
#     POST /token failures and POST /post/: limits on (high, never reached:
#     every request is still counted) against off, in turns.
# bcrypt cost 4 throughout, so that a login's counting is not lost in its
# hashing (at cost 12 a hash takes ~250 ms of CPU).
#   bench/replicas.sh      (DURATION=8 seconds a measure, ROUNDS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source postgres/throwaway.sh
source bench/lib.sh
duration=${DURATION:-8} rounds=${ROUNDS:-2} password=bench-password
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

start_postgres >/dev/null
bench_begin replicas
trap '"${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$pgtmp/standby" -m immediate stop >/dev/null 2>&1 || true; bench_end' EXIT
export HOME=$work PAMPS_DB__URI=$PG_URL WRK_DIR=$root/bench/wrk PAMPS_SECURITY__BCRYPT_COST=4
"$work/pamps" -q seed --users 1000 --posts 100000 --follows 50 --likes 200000 --password "$password"
"$work/pamps" -q user list --limit 1000 | cut -f2 >"$work/users"
head -200 "$work/users" | while read -r u; do "$work/pamps" token "$u"; done >"$work/tokens"
export USERS=$work/users TOKENS=$work/tokens MAX_POST=100000

sbport=$(free_port)
"${PG_AS[@]}" "$PG_BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U postgres -D "$pgtmp/standby" -R -X stream --no-sync --checkpoint=fast
"${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$pgtmp/standby" -l "$pgtmp/standby.log" -w start \
	-o "-p $sbport -k $pgtmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 ${PG_OPTS:-}" >/dev/null
standby="postgres://postgres@127.0.0.1:$sbport/pamps?sslmode=disable"
echo "standby: pg_basebackup -R of the primary, streaming on 127.0.0.1:$sbport"

read -r pa pb1 pb2 pc1 pc2 <<<"$(free_ports 5 | tr '\n' ' ')"
serve "$work/a.log" "$pa"
export PAMPS_DB__READ_URIS=$standby
serve "$work/b1.log" "$pb1"
serve "$work/b2.log" "$pb2"
# The limits on, high: never reached, but every request counted.
limited=(env PAMPS_SECURITY__LOGIN_RATE_LIMIT=100000000/minute PAMPS_SECURITY__POST_RATE_LIMIT=100000000/hour)
background "http://127.0.0.1:$pc1/healthz" "$work/c1.log" "${limited[@]}" "$work/pamps" serve --port "$pc1"
background "http://127.0.0.1:$pc2/healthz" "$work/c2.log" "${limited[@]}" "$work/pamps" serve --port "$pc2"
unset PAMPS_DB__READ_URIS

# one NAME LUA PORT PATH: wrk -c 32 on one server.
one() {
	local out
	out=$(wrk -c 32 -t 2 -d "${duration}s" --timeout 15s -s "$root/bench/wrk/$2" "http://127.0.0.1:$3$4" | grep '^RESULT')
	printf '%-44s %s\n' "$1" "${out#RESULT }" | tee -a "$work/runs"
}
# two NAME LUA PORT1 PORT2 PATH: wrk -c 16 on each of two servers at once.
two() {
	wrk -c 16 -t 1 -d "${duration}s" --timeout 15s -s "$root/bench/wrk/$2" "http://127.0.0.1:$3$5" | grep '^RESULT' >"$work/w1" &
	local first=$!
	wrk -c 16 -t 1 -d "${duration}s" --timeout 15s -s "$root/bench/wrk/$2" "http://127.0.0.1:$4$5" | grep '^RESULT' >"$work/w2"
	wait "$first"
	cat "$work/w1" "$work/w2" | awk -v name="$1" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2]; if (kv[1] == "p99_ms" && kv[2] > p99) p99 = kv[2]; if (kv[1] == "p50_ms" && kv[2] > p50) p50 = kv[2] } }
		END { printf "%-44s rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx=%d\n", name, v["rps"], p50, p99, v["requests"], v["errors"], v["non2xx"] }' |
		tee -a "$work/runs"
}

echo "== reads, anonymous: 1 = one serve on the primary; 2+standby = two serve reading from the standby"
for _ in $(seq "$rounds"); do
	one "GET /post/{id}/ 1" get_post.lua "$pa" /
	two "GET /post/{id}/ 2+standby" get_post.lua "$pb1" "$pb2" /
	one "GET /post/user/{u}/?limit=50 1" user_posts.lua "$pa" /
	two "GET /post/user/{u}/?limit=50 2+standby" user_posts.lua "$pb1" "$pb2" /
	one "GET /post/ 1" plain.lua "$pa" /post/
	two "GET /post/ 2+standby" plain.lua "$pb1" "$pb2" /post/
done
echo "reads the standby answered: $(curl -s "http://127.0.0.1:$pb1/readyz" | grep -o '"reads":[0-9]*') and $(curl -s "http://127.0.0.1:$pb2/readyz" | grep -o '"reads":[0-9]*')"

echo "== limits on two replicas: off against on (counted in PostgreSQL)"
for _ in $(seq "$rounds"); do
	two "POST /token failures, limits off" token_fail.lua "$pb1" "$pb2" /
	two "POST /token failures, limits on" token_fail.lua "$pc1" "$pc2" /
	two "POST /post/, limits off" create_post.lua "$pb1" "$pb2" /
	two "POST /post/, limits on" create_post.lua "$pc1" "$pc2" /
done

echo
echo "== means of $rounds rounds"
sed -E 's/ rps=/\trps=/' "$work/runs" | awk -F'\t' '{ split($2, f, " "); for (i in f) { split(f[i], kv, "="); v[$1, kv[1]] += kv[2] } n[$1]++; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
	END { for (i = 1; i <= k; i++) { x = order[i]; printf "%-44s req/s %8.1f  p50 %6.2f ms  p99 %7.2f ms  non-2xx %d\n", x, v[x, "rps"] / n[x], v[x, "p50_ms"] / n[x], v[x, "p99_ms"] / n[x], v[x, "non2xx"] } }'
errs=$(cat "$work"/*.log | grep -c '"status":5' || true)
echo "5xx answers logged by the servers: $errs"
