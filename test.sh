#!/usr/bin/env bash
# The one test command: gofmt, go vet, staticcheck, then every Go test on SQLite
# and on a throwaway PostgreSQL cluster that this script starts (and removes).
#   ./test.sh            everything
#   ./test.sh -run X     extra arguments go to `go test`
# Set PAMPS_TEST_DATABASE_URL to use a PostgreSQL server of your own instead.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
# shellcheck source=bench/clean-env.sh
source bench/clean-env.sh

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

# shellcheck source=postgres/throwaway.sh
source postgres/throwaway.sh

if [ -z "${PAMPS_TEST_DATABASE_URL:-}" ]; then
	step "throwaway PostgreSQL"
	start_postgres
	export PAMPS_TEST_DATABASE_URL=$PG_TEST_URL
fi
# Fault tests start and stop private clusters from the same binaries.
if [ -z "${PAMPS_TEST_PG_BINDIR:-}" ] && bindir=$(find_pg_bindir); then
	export PAMPS_TEST_PG_BINDIR=$bindir
fi

# The TUI's end-to-end test drives the built binary in tmux.
if ! command -v tmux >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		step "installing tmux (apt-get install tmux)"
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
	fi
fi

step "go test ./..."
go test -count=1 "$@" ./...

# A count, not a duration: with a 3 s budget a loaded machine sometimes ran
# out of time before the baseline coverage was gathered, and Go reported
# "context deadline exceeded" as a failure (twice in one day's runs).
step "fuzzing each target (-fuzztime ${FUZZTIME:=10000x})"
for target in server:FuzzReadBody server:FuzzListQuery server:FuzzEncodePost store:FuzzRules config:FuzzLoad; do
	out=$(go test -run '^$' -fuzz "^${target#*:}\$" -fuzztime "$FUZZTIME" "./${target%%:*}" 2>&1) ||
		{ grep -v '^fuzz: elapsed' <<<"$out" >&2; echo "fuzzing ${target#*:} failed" >&2; exit 1; }
	tail -1 <<<"$out"
done

step "soak: bench/soak.sh --duration 10s"
if [ -n "${PG_URL:-}" ]; then
	PAMPS_SOAK_DATABASE_URL=$PG_URL SOAK_BCRYPT_COST=6 bench/soak.sh --duration 10s | grep -v '^seeded'
else
	bench/soak.sh --duration 10s | grep -v '^seeded'
fi

step "OpenAPI lint (@redocly/cli)"
if ! command -v npx >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
	fi
	command -v npx >/dev/null || die "npx (Node.js) is needed to lint the OpenAPI document: apt-get install nodejs npm"
fi
lintdir=$(mktemp -d)
go run ./cmd/pamps openapi >"$lintdir/openapi.json"
(cd "$lintdir" && npx --yes @redocly/cli@2.77.0 lint --config "$root/server/redocly.yaml" --format=summary openapi.json 2>&1 | grep -v -e '║' -e '╔' -e '╚') || die "the OpenAPI document does not lint"
rm -rf "$lintdir"
