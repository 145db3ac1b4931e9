#!/usr/bin/env bash
# The one test command: lint, type-check, then every test (unit beside the code,
# cross-stage suites under test/). Provisions Node >= 22 and dependencies first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh
ensure_deps
echo "== lint"; npx eslint --max-warnings 0 .
echo "== type-check"; npx tsc --noEmit -p .
echo "== tests"
node --disable-warning=ExperimentalWarning --test --test-concurrency=2 --test-timeout=300000 \
  'src/**/*.test.ts' 'test/**/*.test.ts' "$@"
