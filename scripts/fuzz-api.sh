#!/usr/bin/env bash
# Property-based fuzzing of the HTTP API against its own OpenAPI document (schemathesis, every check).
# Installs schemathesis into a cached venv under .tmp/ if missing, builds, starts the embedded mode on a free port
# with a fresh data directory and a known admin key (demo collection loaded, so documents exist to be read), runs
# schemathesis with a bounded number of examples, stops the server, and exits non-zero on any failure.
# Tuning: FUZZ_MAX_EXAMPLES (default 40 per operation), FUZZ_SEED, FUZZ_SKIP_BUILD=1 (reuse dist/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=.tmp/schemathesis-venv
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-40}"
SEED="${FUZZ_SEED:-7}"

if [[ ! -x "$VENV/bin/st" ]] || [[ "$("$VENV/bin/st" --version 2>/dev/null)" != *"$SCHEMATHESIS_VERSION"* ]]; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  # Debian ships venv separately; a machine without it gets it from the package archive.
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-venv
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

if [[ "${FUZZ_SKIP_BUILD:-0}" != 1 ]]; then npm run build --silent; fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/termline-fuzz-XXXXXX")"
REPORT_DIR=.tmp/fuzz-report
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
ADMIN_KEY="fuzz-admin-$(node -e "console.log(require('crypto').randomBytes(12).toString('hex'))")"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=''

stop() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR"
}
trap stop EXIT

mkdir -p "$REPORT_DIR"
HOST=127.0.0.1 PORT="$PORT" TERMLINE_DATA_DIR="$DATA_DIR" TERMLINE_ADMIN_KEY="$ADMIN_KEY" LOG_LEVEL=error \
  node dist/apps/termline/src/main.js >"$REPORT_DIR/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 120); do
  if curl -fsS "$BASE/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server stopped while starting:" >&2
    cat "$REPORT_DIR/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$BASE/health" >/dev/null

# Schemathesis frames its sections and closing line with pytest-style rules ("==== 2 warnings in 41.86s ====") that
# CI's result reader takes for a pytest run that executed no test; keep the words, drop the rules. The exit status
# stays schemathesis' (pipefail).
rewrite_closing_line() { sed -E 's/^=+ (.*) =+$/-- schemathesis: \1 --/'; }

echo "fuzzing $BASE/docs/openapi.json ($MAX_EXAMPLES examples per operation, seed $SEED)"
status=0
"$VENV/bin/st" --config-file scripts/fuzz/schemathesis.toml run "$BASE/docs/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $ADMIN_KEY" \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 1 \
  --request-timeout 30 \
  --suppress-health-check too_slow,data_too_large \
  --report junit --report-dir "$REPORT_DIR" 2>&1 | rewrite_closing_line || status=$?

# A bug behind a 500 is logged in full by the server: show it with the failure.
if ((status != 0)) && grep -q 'ERROR' "$REPORT_DIR/server.log"; then
  echo '--- server errors ---'
  grep -A5 'ERROR' "$REPORT_DIR/server.log" | head -60
fi
exit "$status"
