#!/usr/bin/env bash
# The HTML report in headless Chromium (tests/browser/report.test.js).
#   run.sh DEPCHECK GEN_CATALOG TESTDATA ARTIFACTS
# Installs playwright-core from package-lock.json into tests/browser/node_modules
# when it is missing (npm ci; git-ignored). Exit 77 (ctest: skipped) only when
# Chromium, node or playwright-core cannot be had, saying which.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
skip() { echo "SKIPPED: $*" >&2; exit 77; }

chromium="${CHROMIUM:-}"
if [ -z "$chromium" ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser "$(command -v chromium 2>/dev/null)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then chromium="$c"; break; fi
  done
fi
[ -n "$chromium" ] && [ -x "$chromium" ] || skip "no Chromium (apt-get install chromium, or set CHROMIUM=/path/to/chrome)"
command -v node >/dev/null 2>&1 || skip "no node to drive Chromium (apt-get install nodejs npm)"
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  command -v npm >/dev/null 2>&1 || skip "no npm to install playwright-core"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
    skip "playwright-core could not be installed from the npm registry"
fi
rm -rf "$4"
CHROMIUM="$chromium" exec node "$here/report.test.js" "$@"
