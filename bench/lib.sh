#!/usr/bin/env bash
# Sourced by the bench/ scripts after postgres/throwaway.sh: the cluster's
# settings, a work directory that goes away with the script, and pamps serve
# started and waited for. It first clears inherited PAMPS_* settings.
# shellcheck source=bench/clean-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/clean-env.sh"

# A cluster tuned for bulk loading and reads: fewer checkpoints, more buffers.
# start_postgres reads it.
: "${PG_OPTS:=-c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min -c wal_buffers=64MB -c maintenance_work_mem=512MB}"

pids=() # background processes to stop on exit

# bench_begin NAME: a work directory /tmp/pamps-NAME.*, pamps built into it,
# and an EXIT trap that stops pids and the throwaway PostgreSQL and removes
# the directory. Call it after start_postgres, which sets a trap of its own;
# a script with more to undo sets its own trap that ends with bench_end.
bench_begin() {
	work=$(mktemp -d "/tmp/pamps-$1.XXXXXX")
	trap bench_end EXIT
	CGO_ENABLED=0 go build -o "$work/pamps" ./cmd/pamps
}

bench_end() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	stop_postgres
	rm -rf "$work"
}

# limits_off turns off every rate and connection limit of pamps serve: a
# benchmark measures the server, not its limits (wrk's 32 connections from one
# address, thousands of posts and logins a second). It says so, once.
limits_off() {
	export PAMPS_SECURITY__LOGIN_RATE_LIMIT=off PAMPS_SECURITY__SIGNUP_RATE_LIMIT=off \
		PAMPS_SECURITY__POST_RATE_LIMIT=off PAMPS_SECURITY__REPORT_RATE_LIMIT=off PAMPS_SERVER__MAX_CONNS_PER_CLIENT=0
	if [ -z "${limits_said:-}" ]; then
		echo "rate limits: off (login, sign-up, post and report rate limits, connections per client)" >&2
	fi
	# BENCH_POST_RATE_LIMIT turns the post limit on again, high, to measure
	# what counting costs (bench/ab.sh: shared counts against local ones).
	if [ -n "${BENCH_POST_RATE_LIMIT:-}" ]; then
		export PAMPS_SECURITY__POST_RATE_LIMIT=$BENCH_POST_RATE_LIMIT
		[ -n "${limits_said:-}" ] || echo "post rate limit: on at $BENCH_POST_RATE_LIMIT, to measure its cost" >&2
	fi
	limits_said=1
}

# serve LOG PORT [ARGS...]: starts pamps serve on PORT (the environment names
# the database), its stderr in LOG, with rate limits off (limits_off), and
# returns once /healthz answers, with its pid in $spid.
serve() {
	local log=$1 port=$2
	shift 2
	limits_off
	background "http://127.0.0.1:$port/healthz" "$log" "$work/pamps" serve --port "$port" "$@"
	spid=$bgpid
}

# background URL LOG CMD...: starts CMD (stopped on exit), its stderr in LOG,
# and returns once URL answers, with its pid in $bgpid. A CMD that exits, or
# is silent for 10 s, ends the script with LOG: nothing else listening on
# its port may answer in its place.
background() {
	local url=$1 log=$2
	shift 2
	"$@" 2>"$log" &
	bgpid=$!
	pids+=("$bgpid")
	local deadline=$((SECONDS + 10))
	until curl -sf "$url" >/dev/null; do
		if ! kill -0 "$bgpid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
			cat "$log" >&2
			echo "$1 did not answer $url" >&2
			exit 1
		fi
		sleep 0.005
	done
}

# free_ports N: N distinct free ports, one a line.
free_ports() {
	local -A seen=()
	local p
	while [ ${#seen[@]} -lt "$1" ]; do
		p=$(free_port) || return 1
		seen[$p]=1
	done
	printf '%s\n' "${!seen[@]}"
}

# Server-side figures from pamps serve's Prometheus metrics
# (server.metrics_addr): scrape_metrics ADDR FILE saves a scrape;
# metrics_delta BEFORE AFTER prints what happened between two: requests
# answered, their mean and p99 time as the server measured it (p99 as the
# histogram's bucket that holds it), and the time statements waited for a
# database connection.
scrape_metrics() { curl -sf "http://$1/metrics" >"$2" || : >"$2"; }
metrics_delta() {
	awk 'FNR == 1 { f++ }
		/^#/ { next }
		{ v = $NF; if (f == 1) v = -v }
		$1 ~ /^pamps_http_request_duration_seconds_count/ { n += v }
		$1 ~ /^pamps_http_request_duration_seconds_sum/ { s += v }
		$1 ~ /^pamps_http_request_duration_seconds_bucket/ { match($1, /le="[^"]*"/); le = substr($1, RSTART + 4, RLENGTH - 5); b[le] += v }
		$1 == "pamps_db_wait_seconds_total" { w += v }
		END {
			if (n <= 0) { print "server: no requests in the metrics"; exit }
			m = split("0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 +Inf", les, " ")
			p99 = "+Inf"
			for (i = 1; i <= m; i++) if (b[les[i]] >= 0.99 * n) { p99 = les[i]; break }
			printf "server: %d requests, mean %.2f ms, p99 <= %s ms, db waits %.0f ms\n", n, 1000 * s / n, (p99 == "+Inf" ? p99 : 1000 * p99), 1000 * w
		}' "$1" "$2"
}
