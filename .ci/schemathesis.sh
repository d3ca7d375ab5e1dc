#!/usr/bin/env bash
# Third-party conformance: schemathesis (from PyPI, in a virtual environment)
# generates requests from swagger.json — examples, boundary cases, fuzzing and
# a stateful phase that chains create → read → update → delete — against the
# emulator, and checks every answer against the spec. Bounded: fixed seed,
# --max-examples per operation, --max-time for the whole run. Any failure fails
# CI. Configuration and the scoped exceptions: .ci/schemathesis.toml; the
# emulator's README ("Conformance: schemathesis") says why each exception exists.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS="schemathesis==4.32.5"
SEED=20261128
MAX_EXAMPLES=50
MAX_TIME=60

target_dir="${CARGO_TARGET_DIR:-target}"
venv="$target_dir/schemathesis-venv"
if [ ! -x "$venv/bin/python" ] && ! python3 -m venv "$venv"; then
    echo "python3 -m venv failed: install Python 3.9+ with its venv module (Debian: apt-get install python3-venv)" >&2
    exit 1
fi
# A no-op when the pinned version is already installed.
"$venv/bin/pip" install --quiet --disable-pip-version-check "$SCHEMATHESIS"

cargo build --quiet -p logzio-shared-tokens-emulator --features cli --bin logzio-shared-tokens-emulator
emulator="$target_dir/debug/logzio-shared-tokens-emulator"

work="$(mktemp -d)"
"$emulator" --listen 127.0.0.1:0 \
    --api-token conformance-account-a --api-token conformance-account-b \
    >"$work/stdout" 2>"$work/stderr" &
emulator_pid=$!
stop_emulator() {
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap stop_emulator EXIT

# The first stdout line is the base URL, printed once the port is bound.
for _ in $(seq 1 100); do
    [ -s "$work/stdout" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
done
base_url="$(head -n 1 "$work/stdout")"
if [ -z "$base_url" ]; then
    echo "the emulator did not start:" >&2
    cat "$work/stderr" >&2
    exit 1
fi
echo "emulator at $base_url; $SCHEMATHESIS, seed $SEED, $MAX_EXAMPLES examples per operation, ${MAX_TIME}s"

# `timeout` guards against a hang anywhere; schemathesis itself stops at --max-time.
timeout $((MAX_TIME * 3 + 60)) "$venv/bin/schemathesis" --no-color \
    --config-file .ci/schemathesis.toml \
    run swagger.json \
    --url "$base_url" \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --max-time "$MAX_TIME" \
    --request-timeout 10
