#!/usr/bin/env bash
# bench/scale.sh - the 1,000,000-service cases (issue #8, "Scale"): a generated
# catalog of N services (bench_gen_catalog's usual shape, about 7 dependencies
# each) and an N-long dependency chain, each run once through validate and
# analyze (and, on the chain, critical-path and plan: depth N is where
# recursion would overflow the stack). Prints one line per case: wall
# seconds, peak RSS MB, exit code, CPU seconds (bench_measure).
#
#   bench/scale.sh [BUILD_DIR] [N]      (defaults: build, 1000000)
#
# Catalogs are cached in bench/out/ (git-ignored; about 400 MB at 1,000,000).
# Everything runs under `nice -n 19`. Takes a few CPU minutes.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
N=${2:-1000000}
OUT=$ROOT/bench/out
mkdir -p "$OUT"
GEN=$BUILD/bench_gen_catalog
DC=$BUILD/depcheck
MEASURE=$BUILD/bench_measure
for b in "$GEN" "$DC" "$MEASURE"; do
  [ -x "$b" ] || { echo "missing $b: build first" >&2; exit 1; }
done

cat_file=$OUT/scale-$N.yaml
chain_file=$OUT/scale-chain-$N.yaml
[ -s "$cat_file" ] || nice -n 19 "$GEN" "$N" 42 > "$cat_file"
[ -s "$chain_file" ] || nice -n 19 "$GEN" "$N" 42 --chain > "$chain_file"
echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) N=$N"
echo "# file sizes: catalog $(du -m "$cat_file" | cut -f1) MB, chain $(du -m "$chain_file" | cut -f1) MB"
echo "# case wall_s rss_mb exit cpu_s"
res=$(mktemp)
trap 'rm -f "$res"' EXIT
run() { # run NAME ARGS...
  local name=$1
  shift
  nice -n 19 "$MEASURE" -o "$res" "$DC" "$@" >/dev/null 2>&1
  awk -v n="$name" '{printf "%s %.2f %.0f %s %.2f\n", n, $1, $2 / 1024, $3, $4}' "$res"
}
run validate-catalog validate -q "$cat_file"
run analyze-catalog analyze -q "$cat_file" -o /dev/null
run validate-chain validate -q "$chain_file"
run analyze-chain analyze -q "$chain_file" -o /dev/null
run critical-path-chain critical-path -q "$chain_file" -o /dev/null
run plan-chain plan -q "$chain_file" -o /dev/null
