#!/usr/bin/env bash
# Checks /docs as a person would, in headless Chromium (Debian's package):
# log in with Authorize, call GET /user/me/ with "Try it out", screenshot to
# bench/out/docs.png. Installs chromium (apt, as root) and playwright-core (npm).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source bench/clean-env.sh
if ! command -v chromium >/dev/null; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
work=$(mktemp -d /tmp/pamps-docs.XXXXXX)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p bench/out
CGO_ENABLED=0 go build -o "$work/pamps" ./cmd/pamps
export HOME=$work PAMPS_DB__URI="sqlite:$work/pamps.db" PAMPS_SECURITY__BCRYPT_COST=4
echo 'docs-password' | "$work/pamps" -q adduser --username docsuser --email docs@example.com --password-stdin >/dev/null
"$work/pamps" -q serve --port 18765 2>"$work/serve.log" &
pid=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18765/healthz >/dev/null && break; sleep 0.1; done
(cd bench/docs && npm install --silent --no-audit --no-fund >/dev/null)
node bench/docs/check.mjs http://127.0.0.1:18765 docsuser docs-password "$root/bench/out/docs.png"
