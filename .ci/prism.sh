#!/usr/bin/env bash
# Logz.io's own description, mocked by a third party: Prism (from npm) serves
# Logz.io's full public API file statically — each answer is the file's own
# example — and crates/logzio-shared-tokens-cli/tests/against_prism.rs checks
# that every read command of the CLI succeeds against it and prints those
# examples as our documented normalisations say. Where the emulator shares our
# assumptions, this mock has only Logz.io's.
#
# The file is served as published, not an extract: Prism 5.14 accepts all of it
# and routes /v1/shared-tokens/filters apart from /v1/shared-tokens/{id}.
# Skipped (like the import-spec step) when the file is not beside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."

PRISM_VERSION="5.14.2"
STARTUP_SECONDS=120

upstream_spec=../shared/upstream/logzio-public-api.yml
if [ ! -f "$upstream_spec" ]; then
    echo "skipped: $upstream_spec is not beside the clone"
    exit 0
fi
upstream_spec="$(cd "$(dirname "$upstream_spec")" && pwd)/$(basename "$upstream_spec")"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "node and npm are needed to install Prism: install Node.js 18.20 or newer (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi

# Installed into the build directory (ignored by git, kept between runs),
# never into the tree or globally; a no-op when the pinned version is there.
target_dir="${CARGO_TARGET_DIR:-target}"
prefix="$target_dir/prism-cli"
prism="$prefix/node_modules/.bin/prism"
if [ "$("$prism" --version 2>/dev/null || true)" != "$PRISM_VERSION" ]; then
    if ! npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
        "@stoplight/prism-cli@$PRISM_VERSION"; then
        echo "could not install @stoplight/prism-cli@$PRISM_VERSION from the npm registry (see npm's message above)" >&2
        exit 1
    fi
fi

# Built before Prism starts, so the mock only runs while the test does.
cargo test --quiet --no-run -p logzio-shared-tokens-cli --test against_prism

work="$(mktemp -d)"
"$prism" mock --host 127.0.0.1 --port 0 "$upstream_spec" >"$work/prism.log" 2>&1 &
prism_pid=$!
stop_prism() {
    local status=$?
    kill "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        echo "--- Prism's log, last 40 lines:" >&2
        tail -n 40 "$work/prism.log" >&2
    fi
    rm -rf "$work"
}
trap stop_prism EXIT

# Prism names the bound port once it listens: "Prism is listening on http://127.0.0.1:PORT".
base_url=""
for _ in $(seq 1 $((STARTUP_SECONDS * 10))); do
    base_url="$(grep -o 'Prism is listening on http://127\.0\.0\.1:[0-9]*' "$work/prism.log" | grep -o 'http://.*' || true)"
    [ -n "$base_url" ] && break
    kill -0 "$prism_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$base_url" ]; then
    echo "Prism did not start serving $upstream_spec within ${STARTUP_SECONDS}s" >&2
    exit 1
fi
echo "Prism $PRISM_VERSION at $base_url, serving $upstream_spec (static examples)"

# The tests are #[ignore]d (a plain `cargo test` has no mock); here they have one.
LOGZIO_PRISM_URL="$base_url" LOGZIO_PRISM_SPEC="$upstream_spec" \
    timeout 600 cargo test --quiet -p logzio-shared-tokens-cli --test against_prism -- --ignored
