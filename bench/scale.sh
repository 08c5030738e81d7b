#!/usr/bin/env bash
# bench/scale.sh - the 1,000,000-service cases (issue #8, "Scale"): a generated
# catalog of N services (bench_gen_catalog's usual shape, about 7 dependencies
# each) and an N-long dependency chain, each run once through validate and
# analyze (and, on the chain, critical-path and plan: depth N is where
# recursion would overflow the stack). On the catalog also the libyaml
# baseline (bench_yaml_events), analyze -f json, simulate --each, plan and
# check (text and JSON, with their output sizes); on the chain render,
# which must refuse the size at once. Prints one line per case: wall
# seconds, peak RSS MB, exit code, CPU seconds (bench_measure).
# SCALE_CATALOG_ONLY=1 skips the chain.
#
#   bench/scale.sh [BUILD_DIR] [N]      (defaults: build, 1000000)
#
# Catalogs are cached in bench/out/ (git-ignored; about 400 MB at 1,000,000).
# Everything runs under `nice -n 19` (SCALE_NICE=N to change). Takes a few
# CPU minutes (the chain's analyze and plan are quadratic by nature: ~100 CPU s each).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
N=${2:-1000000}
OUT=$ROOT/bench/out
mkdir -p "$OUT"
GEN=$BUILD/bench_gen_catalog
YE=$BUILD/bench_yaml_events
DC=$BUILD/depcheck
MEASURE=$BUILD/bench_measure
for b in "$GEN" "$DC" "$MEASURE" "$YE"; do
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
  nice -n "${SCALE_NICE:-19}" "$MEASURE" -o "$res" "$@" >/dev/null 2>&1 || true
  awk -v n="$name" '{printf "%s %.2f %.0f %s %.2f\n", n, $1, $2 / 1024, $3, $4}' "$res"
}
run yaml_events-catalog "$BUILD/bench_yaml_events" "$cat_file"
run validate-catalog "$DC" validate -q "$cat_file"
run analyze-catalog "$DC" analyze -q "$cat_file" -o /dev/null
run analyze-json-catalog "$DC" analyze -q -f json "$cat_file" -o "$OUT/scale-analyze.json"
echo "# analyze -f json output: $(du -m "$OUT/scale-analyze.json" | cut -f1) MB"
run simulate-each-catalog "$DC" simulate --each -q "$cat_file" -o /dev/null
run plan-catalog "$DC" plan -q "$cat_file" -o /dev/null
run check-catalog "$DC" check -q "$cat_file" -o "$OUT/scale-check.txt"
echo "# check output: $(du -m "$OUT/scale-check.txt" | cut -f1) MB"
run check-json-catalog "$DC" check -q -f json "$cat_file" -o "$OUT/scale-check.json"
echo "# check -f json output: $(du -m "$OUT/scale-check.json" | cut -f1) MB"
rm -f "$OUT/scale-analyze.json" "$OUT/scale-check.txt" "$OUT/scale-check.json"
[ -n "${SCALE_CATALOG_ONLY:-}" ] && exit 0
run validate-chain "$DC" validate -q "$chain_file"
run render-chain "$DC" render -q "$chain_file" -o "$OUT/scale-chain.svg"
run analyze-chain "$DC" analyze -q "$chain_file" -o /dev/null
run critical-path-chain "$DC" critical-path -q "$chain_file" -o /dev/null
run plan-chain "$DC" plan -q "$chain_file" -o /dev/null
