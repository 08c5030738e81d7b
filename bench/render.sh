#!/usr/bin/env bash
# bench/render.sh - `depcheck render` (in-process Graphviz, layout chosen by
# size) against piping `depcheck export -f dot` into Graphviz's own `dot
# -Tsvg` and `sfdp -Tsvg`, in the same run, with ratios.
#
#   bench/render.sh [--no-build] [--sizes "1000 10000"] [--runs 1] [--timeout 300]
#
# Cases per catalog: the streaming example (testdata, 47 services) and
# generated catalogs of N services (bench_gen_catalog N SEED, cached in
# BENCH_OUT_DIR like run.sh). Targets (issue #6): the example < 2 s, 1,000
# services < 15 s with a layered (dot) layout, 10,000 < 60 s. The Graphviz
# pipelines get --timeout seconds (default 300) and are reported as "> T"
# when they need more; they need the `graphviz` package (apt-get install
# graphviz), else they are skipped. Environment: BENCH_BUILD_DIR,
# BENCH_OUT_DIR, BENCH_SEED, BENCH_RUNS as in run.sh. Exit 1 when a target
# fails. The verdicts use CPU time (user + sys of the process tree: the
# layout is single-threaded, so on an idle machine wall = CPU), because wall
# times on a shared machine are inflated by its load (printed with the run).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
OUT=${BENCH_OUT_DIR:-$ROOT/bench/out}
SIZES="1000 10000"
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-1}
TIMEOUT=300
DO_BUILD=1
while [ $# -gt 0 ]; do
	case $1 in
	--no-build) DO_BUILD=0 ;;
	--sizes) SIZES=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--timeout) TIMEOUT=$2; shift ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "render.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
if [ "$DO_BUILD" = 1 ]; then
	[ -f "$BUILD/CMakeCache.txt" ] ||
		cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DDC_BUILD_BENCH=ON >/dev/null
	cmake --build "$BUILD" -j2 --target depcheck bench_gen_catalog bench_measure >/dev/null
fi
DEPCHECK=$BUILD/depcheck
MEASURE=$BUILD/bench_measure
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

catalog() {
	local f=$OUT/catalog-$1-$SEED.yaml
	if [ ! -s "$f" ] || [ "$BUILD/bench_gen_catalog" -nt "$f" ]; then
		"$BUILD/bench_gen_catalog" "$1" "$SEED" >"$f.tmp"
		mv "$f.tmp" "$f"
	fi
	printf '%s\n' "$f"
}

# run NAME CMD...: best wall and cpu over RUNS into W, C; W="> T" on timeout;
# W="" when the command failed (E has the reason)
run() {
	local i t r code cpu bw="" bc=""
	E=""
	for ((i = 0; i < RUNS; i++)); do
		"$MEASURE" -o "$TMP/m" timeout "$TIMEOUT" "$@" >/dev/null 2>"$TMP/err" || true
		read -r t r code cpu <"$TMP/m"
		if [ "$code" = 124 ]; then W="> $TIMEOUT"; C="-"; return; fi
		if [ "$code" != 0 ]; then W=""; C=""; E="exit $code: $(head -c 200 "$TMP/err")"; return; fi
		if [ -z "$bw" ] || awk -v a="$t" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$t; fi
		if [ -z "$bc" ] || awk -v a="$cpu" -v b="$bc" 'BEGIN { exit !(a < b) }'; then bc=$cpu; fi
	done
	W=$bw; C=$bc
}

status=0
rows=()
echo "render bench: seed $SEED, best of $RUNS; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for n in example $SIZES; do
	if [ "$n" = example ]; then
		cat=$ROOT/testdata/catalogs/streaming/catalog.yaml; limit=2; label="example (47)"
	else
		cat=$(catalog "$n"); limit=$([ "$n" -le 1000 ] && echo 15 || echo 60); label=$n
	fi
	"$DEPCHECK" render "$cat" -o "$TMP/map.svg" 2>"$TMP/announce" || true
	echo
	echo "== $label: $(sed 's/^depcheck render: //' "$TMP/announce")"
	run "$DEPCHECK" render -q "$cat" -o "$TMP/map.svg"; dw=$W; dc=$C
	printf '   %-34s wall %8s s  cpu %8s s\n' "depcheck render -o map.svg" "$dw" "$dc"
	run "$DEPCHECK" render -q "$cat" -o "$TMP/map.png"
	printf '   %-34s wall %8s s  cpu %8s s\n' "depcheck render -o map.png" "$W" "$C"
	cells=("$dw")
	for eng in dot sfdp; do
		if ! command -v "$eng" >/dev/null; then
			printf '   %-34s skipped (apt-get install graphviz)\n' "export -f dot | $eng -Tsvg"
			cells+=("-" "-"); continue
		fi
		run bash -c "'$DEPCHECK' export -f dot '$cat' | $eng -Tsvg >/dev/null"
		if [ -n "$E" ]; then r="failed"; W="-"; C="-"
		elif [[ $W == ">"* ]]; then r="> $(awk -v a="$TIMEOUT" -v b="$dw" 'BEGIN { printf "%.1f", a / b }')x wall"
		else r="$(awk -v a="$W" -v b="$dw" 'BEGIN { printf "%.1f", a / b }')x wall, $(awk -v a="$C" -v b="$dc" 'BEGIN { printf "%.1f", a / b }')x cpu"; fi
		printf '   %-34s wall %8s s  cpu %8s s  (%s depcheck)\n' "export -f dot | $eng -Tsvg" "$W" "$C" "$r"
		cells+=("$W / $C" "$r")
	done
	layered=1
	[ "$n" != example ] && [ "$n" -le 1000 ] && ! grep -q "layout: dot" "$TMP/announce" && layered=0
	if [ -n "$dc" ] && [ "$dc" != - ] && awk -v a="$dc" -v b="$limit" 'BEGIN { exit !(a < b) }' &&
		[ $layered = 1 ]; then
		echo "   PASS  svg under $limit s of CPU$([ "$n" != example ] && [ "$n" -le 1000 ] && echo ", layered")"
	else
		echo "   FAIL  svg under $limit s of CPU$([ $layered = 0 ] && echo " with a layered layout")"; status=1
	fi
	rows+=("| $label | $dw / $dc | ${cells[1]} | ${cells[2]} | ${cells[3]} | ${cells[4]} |")
done
echo
echo "| services | depcheck render s (wall / cpu) | export \\| dot -Tsvg s | ratio | export \\| sfdp -Tsvg s | ratio |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit $status
