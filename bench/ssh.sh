#!/usr/bin/env bash
# The TUI over SSH under load (issue "The TUI for everyone"): SESSIONS
# concurrent SSH sessions (bench/sshload, a Go SSH client, a pty each) on one
# pamps serve over PostgreSQL: the first screen after authentication, the
# statements the database runs while they idle, each post's arrival on every
# screen from its 201, and serve's peak RSS. Rate, connection, stream and
# session limits are off.
#   bench/ssh.sh            (SESSIONS=300 POSTS=20 RATE=2 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
source postgres/throwaway.sh
source bench/lib.sh
sessions=${SESSIONS:-300} posts=${POSTS:-20} rate=${RATE:-2}

start_postgres >/dev/null
bench_begin ssh
go build -o "$work/sshload" ./bench/sshload
read -r hp sp <<<"$(free_ports 2 | tr '\n' ' ')"
export HOME=$work PAMPS_DB__URI=$PG_URL PAMPS_SERVER__SSH_PORT=$sp PAMPS_SERVER__SSH_MAX_SESSIONS=0 PAMPS_SERVER__SSH_MAX_STARTUPS=0 \
	PAMPS_SERVER__SSH_MAX_SESSIONS_PER_USER=0 PAMPS_SERVER__MAX_STREAMS=0 PAMPS_SERVER__MAX_STREAMS_PER_USER=0
echo "session, sign-in and stream limits: off (server.ssh_max_sessions*, server.ssh_max_startups, server.max_streams*)" >&2
"$work/pamps" -q db migrate
echo 'bench-password' | "$work/pamps" -q adduser --username ann --email ann@example.com --password-stdin
ssh-keygen -q -t ed25519 -N '' -f "$work/id_ed25519"
"$work/pamps" -q user key add ann "$work/id_ed25519.pub" >/dev/null
token=$("$work/pamps" token ann)
serve "$work/serve.log" "$hp"
echo "== $sessions SSH sessions, $posts posts at $rate/s"
"$work/sshload" -addr "127.0.0.1:$sp" -key "$work/id_ed25519" -user ann -sessions "$sessions" \
	-url "http://127.0.0.1:$hp" -token "$token" -posts "$posts" -rate "$rate" -pg "$PG_URL"
echo "peak RSS of pamps serve: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' "/proc/$spid/status")"
