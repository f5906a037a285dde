#!/usr/bin/env bash
# Speed of `pamps tui` on 1,000,000 posts, on PostgreSQL and SQLite:
# - the first screen, process start included: the built binary runs in tmux
#   and the script waits until a post is on screen;
# - each next page of Everyone, and the heap, from BenchmarkTUIPages;
# - the process's peak RSS after paging through 100 pages in tmux.
#   bench/tui.sh [--quick]     (--quick: 100,000 posts)
set -euo pipefail
cd "$(dirname "$0")/.."
source postgres/throwaway.sh
source bench/lib.sh
users=10000 posts=1000000 follows=100 likes=2000000
if [ "${1:-}" = --quick ]; then users=1000 posts=100000 follows=50 likes=200000; fi
command -v tmux >/dev/null || { echo "tmux is needed: apt-get install tmux" >&2; exit 1; }

start_postgres >/dev/null
bench_begin tui
trap 'tmux kill-session -t pamps-bench 2>/dev/null || true; bench_end' EXIT
export GOPATH=$(go env GOPATH) GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE)
export HOME=$work PAMPS_SECURITY__BCRYPT_COST=4

for db in postgres sqlite; do
	if [ "$db" = postgres ]; then uri=$PG_URL; else uri="sqlite:$work/pamps.db"; fi
	echo "== $db: $posts posts"
	"$work/pamps" --db "$uri" -q seed --users "$users" --posts "$posts" --follows "$follows" --likes "$likes" --password bench-password
	name=$("$work/pamps" --db "$uri" user list --limit 1 --after 100 | cut -f2)
	for run in 1 2 3 4 5; do
		# A fresh shell in the one session: killing the last session stops
		# the tmux server, and a new session started at that moment failed.
		if tmux has-session -t pamps-bench 2>/dev/null; then
			tmux respawn-pane -k -t pamps-bench "bash --norc"
		else
			tmux new-session -d -s pamps-bench -x 120 -y 40 "bash --norc"
		fi
		sleep 0.2
		t0=$(date +%s%N)
		tmux send-keys -t pamps-bench "$work/pamps --db '$uri' tui --as $name" Enter
		until tmux capture-pane -p -t pamps-bench | grep -q '♥'; do sleep 0.005; done
		echo "  first screen (exec to a post drawn), run $run: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	done
	tmux send-keys -t pamps-bench 2
	sleep 0.5
	for _ in $(seq 100); do tmux send-keys -t pamps-bench G; sleep 0.05; done
	sleep 1
	pane=$(tmux list-panes -t pamps-bench -F '#{pane_pid}')
	pid=$(pgrep -P "$pane" pamps)
	echo "  peak RSS after 100 pages of Everyone: $(awk '/VmHWM/{printf "%.1f MB", $2/1024}' /proc/$pid/status)"
	tmux send-keys -t pamps-bench q
	PAMPS_BENCH_DATABASE_URL=$uri go test ./tui -run '^$' -bench TUIPages -benchtime 100x | grep -E 'Benchmark' | sed 's/^/  /'
done
