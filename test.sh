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

# The last line says how it went, for a person: "test.sh: N passed, 0
# failed", or the step that failed. The counts are go test's (its tests and
# subtests, from gotestsum's JSON); every other step passes or stops here.
current="setup"
results=$(mktemp)
step() { current=$*; printf '\n==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }
summary() {
	local rc=$1 passed failed
	passed=$(grep -c '"Action":"pass","Package":"[^"]*","Test"' "$results" 2>/dev/null || true)
	failed=$(grep -c '"Action":"fail","Package":"[^"]*","Test"' "$results" 2>/dev/null || true)
	rm -f "$results"
	echo
	if [ "$rc" = 0 ]; then
		echo "test.sh: ${passed:-0} passed, ${failed:-0} failed"
	else
		echo "test.sh: failed at \"$current\" (go test: ${passed:-0} passed, ${failed:-0} failed)"
	fi
}
# The cluster's own EXIT trap (postgres/throwaway.sh) is folded in here.
finish() {
	local rc=$?
	if declare -F stop_postgres >/dev/null; then stop_postgres; fi
	summary "$rc"
	exit "$rc"
}
trap finish EXIT

command -v go >/dev/null || die "Go is not installed (https://go.dev/dl)"
# Pamps is pure Go: every build here, and the README's `go run`, share one
# build cache with cgo off.
export CGO_ENABLED=0

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*'))
if [ -n "$unformatted" ]; then
	printf 'gofmt would change:\n%s\n' "$unformatted" >&2
	exit 1
fi

step "go vet"
go vet ./...

# Pamps builds for Linux, macOS and Windows; platform-specific code is
# behind build tags (server/gone_*.go).
step "cross builds (windows/amd64, darwin/arm64, linux/arm64)"
for target in windows/amd64 darwin/arm64 linux/arm64; do
	GOOS=${target%/*} GOARCH=${target#*/} CGO_ENABLED=0 go build -o /dev/null ./cmd/pamps || die "pamps does not build for $target"
done

step "staticcheck"
STATICCHECK_VERSION=v0.8.2
GOBIN="$root/bin" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
"$root/bin/staticcheck" ./...

# shellcheck source=postgres/throwaway.sh
source postgres/throwaway.sh

if [ -z "${PAMPS_TEST_DATABASE_URL:-}" ]; then
	step "throwaway PostgreSQL"
	start_postgres
	trap finish EXIT # start_postgres set its own
	export PAMPS_TEST_DATABASE_URL=$PG_TEST_URL
fi
# Fault tests start and stop private clusters from the same binaries.
if [ -z "${PAMPS_TEST_PG_BINDIR:-}" ] && bindir=$(find_pg_bindir); then
	export PAMPS_TEST_PG_BINDIR=$bindir
fi

# The TUI's end-to-end tests drive the built binary in tmux, and reach it
# over SSH with OpenSSH's client.
missing=()
command -v tmux >/dev/null || missing+=(tmux)
{ command -v ssh >/dev/null && command -v ssh-keygen >/dev/null; } || missing+=(openssh-client)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	step "installing ${missing[*]} (apt-get install)"
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "go test ./... (and deploy/kubernetes beside it)"
GOBIN="$root/bin" go install gotest.tools/gotestsum@v1.13.0
# The manifests' tests are a module of their own: the Kubernetes packages
# they decode with are compiled for them alone, while the main module's
# longest package runs (a core is idle then).
(
	cd deploy/kubernetes
	go vet ./... && "$root/bin/staticcheck" ./... &&
		"$root/bin/gotestsum" --format pkgname-and-test-fails --jsonfile "$results.k8s" -- -count=1 "$@" ./...
) >"$results.k8s.log" 2>&1 &
k8s=$!
"$root/bin/gotestsum" --format pkgname-and-test-fails --jsonfile "$results" -- -count=1 "$@" ./...
step "deploy/kubernetes: go vet, staticcheck, go test"
wait "$k8s" || { cat "$results.k8s.log" >&2; die "the deploy/kubernetes module's checks failed"; }
cat "$results.k8s.log"
cat "$results.k8s" >>"$results" && rm -f "$results.k8s" "$results.k8s.log"

# A count, not a duration: with a 3 s budget a loaded machine sometimes ran
# out of time before the baseline coverage was gathered, and Go reported
# "context deadline exceeded" as a failure (twice in one day's runs).
step "fuzzing each target (-fuzztime ${FUZZTIME:=10000x})"
for target in server/api:FuzzReadBody server/api:FuzzListQuery server/wire:FuzzEncodePost store:FuzzRules config:FuzzLoad; do
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

# A client nobody here wrote must read the document: oapi-codegen (pinned)
# generates a Go client from it, which must compile.
step "a generated Go client compiles (oapi-codegen v2.8.2)"
GOBIN="$root/bin" go install github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2
gendir=$(mktemp -d)
go run ./cmd/pamps openapi >"$gendir/openapi.json"
printf 'package: pampsclient\ngenerate:\n  client: true\n  models: true\noutput: client.gen.go\n' >"$gendir/cfg.yaml"
(
	cd "$gendir"
	"$root/bin/oapi-codegen" -config cfg.yaml openapi.json
	printf 'module example.org/pampsclient\n\ngo 1.26\n\nrequire github.com/oapi-codegen/runtime v1.9.0\n' >go.mod
	go mod tidy >/dev/null 2>&1 && go build ./...
) || die "oapi-codegen could not make a compiling client of the OpenAPI document"
rm -rf "$gendir"
echo "generated client compiles"

step "OpenAPI lint (@redocly/cli)"
if ! command -v npx >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
	fi
	command -v npx >/dev/null || die "npx (Node.js) is needed to lint the OpenAPI document: apt-get install nodejs npm"
fi
lintdir=$(mktemp -d)
go run ./cmd/pamps openapi >"$lintdir/openapi.json"
(cd "$lintdir" && npm_config_update_notifier=false npm_config_fund=false npx --yes --loglevel=error @redocly/cli@2.77.0 lint --config "$root/server/api/redocly.yaml" --format=summary openapi.json 2>&1 | grep -v -e '║' -e '╔' -e '╚') || die "the OpenAPI document does not lint"
rm -rf "$lintdir"
