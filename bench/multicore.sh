#!/usr/bin/env bash
# bench/multicore.sh - the blast sweep on 1, 2, 4, 8 and 16 threads (issue
# 16: "16 threads give at least 8x over 1 on the 1M catalog's sweep"), for
# a machine with 16 cores or more. Whole processes: `depcheck analyze
# --threads T` on `bench_gen_catalog N 42` (and `simulate --each --threads
# T` with MULTICORE_EACH=1), minus `validate` (the load, single-threaded) to
# isolate the sweep; prints wall, CPU, peak RSS and the speed-up over 1
# thread, and checks that the outputs are byte-identical across thread
# counts. Meant to finish in under 8 minutes on 16 cores, build included
# (the 1-thread run is the longest, about 1-1.5 minutes at 1M).
#
#   bench/multicore.sh [BUILD_DIR] [N] [THREADS...]
#       defaults: build-bench (built Release with -DDC_BUILD_BENCH=ON when
#       missing), 1000000, "1 2 4 8 16"
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build-bench}
N=${2:-1000000}
shift $(( $# > 2 ? 2 : $# ))
THREADS=${*:-1 2 4 8 16}
if [ ! -x "$BUILD/depcheck" ] || [ ! -x "$BUILD/bench_measure" ]; then
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DDC_BUILD_BENCH=ON >/dev/null
	cmake --build "$BUILD" -j"$(nproc)" >/dev/null
fi
BUILD=$(cd "$BUILD" && pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
cat_file=$OUT/scale-$N.yaml
[ -s "$cat_file" ] || "$BUILD/bench_gen_catalog" "$N" 42 > "$cat_file"
res=$(mktemp); tmp=$(mktemp -d)
trap 'rm -rf "$res" "$tmp"' EXIT
measure() { # measure OUTFILE ARGS...: prints "wall rss_kb exit cpu"
	local o=$1; shift
	"$BUILD/bench_measure" -o "$res" "$BUILD/depcheck" "$@" -q "$cat_file" -o "$o" >/dev/null 2>&1 || true
	cat "$res"
}
echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) N=$N nproc=$(nproc)"
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
read -r load_w _ _ load_c < <(measure /dev/null validate)
printf '# load (validate): wall %.2f s, cpu %.2f s\n' "$load_w" "$load_c"
fails=0
cmds=(analyze)
[ -n "${MULTICORE_EACH:-}" ] && cmds+=("simulate --each")
for cmd in "${cmds[@]}"; do
	base=""
	echo "# $cmd: threads wall_s cpu_s rss_mb sweep_s(wall-load) speedup(sweep) speedup(wall)"
	for t in $THREADS; do
		# shellcheck disable=SC2086
		read -r w rss rc c < <(measure "$tmp/out-$t" $cmd --threads "$t")
		sweep=$(awk -v w="$w" -v l="$load_w" 'BEGIN { printf "%.2f", w - l }')
		if [ -z "$base" ]; then base=$sweep; basew=$w; cp "$tmp/out-$t" "$tmp/ref"; fi
		same=identical
		cmp -s "$tmp/ref" "$tmp/out-$t" || { same=DIFFERENT; fails=$((fails + 1)); }
		awk -v t="$t" -v w="$w" -v c="$c" -v r="$rss" -v s="$sweep" -v b="$base" -v bw="$basew" -v x="$same" -v e="$rc" \
			'BEGIN { printf "%s %2d %7.2f %7.2f %6.0f %7.2f %5.2fx %5.2fx exit=%s %s\n", "'"${cmd// /_}"'", t, w, c, r / 1024, s, b / s, bw / w, e, x }'
	done
done
echo "# target: 16 threads >= 8x over 1 on the sweep; analyze at 16 threads <= 8 s"
[ "$fails" = 0 ]
