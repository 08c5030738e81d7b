#!/usr/bin/env bash
# bench/run.sh - build, generate synthetic catalogs, measure, print figures.
#
#   bench/run.sh [--no-build] [--sizes "10000 100000"] [--runs 3] [--cases "..."]
#
# Environment (the options win): BENCH_BUILD_DIR (default build-bench, a
# Release build), BENCH_OUT_DIR (default bench/out, git-ignored: cached
# catalogs), BENCH_SIZES, BENCH_SEED (42), BENCH_RUNS (3), BENCH_CASES,
# BENCH_HYPERFINE=1 (also run hyperfine on each case, when installed).
#
# Every case is measured with bench_measure (fork + exec + wait4: wall time
# and the child's peak RSS); the time shown is the best of the runs, the RSS
# the largest. Adding a comparison (networkx, igraph, Graphviz, ...) means
# writing one function `case_NAME` that fills CMD (and OK_CODES, REQUIRES)
# for a catalog, and adding NAME to CASES; see the cases below.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
OUT=${BENCH_OUT_DIR:-$ROOT/bench/out}
SIZES=${BENCH_SIZES:-"10000 100000"}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-3}
CASES=${BENCH_CASES:-"yaml_events validate export_json"}
DO_BUILD=1

# targets: the ratio validate / yaml_events, and validate's peak RSS
MAX_RATIO=2.0
MAX_RSS_MB=1024

while [ $# -gt 0 ]; do
	case $1 in
	--no-build) DO_BUILD=0 ;;
	--sizes) SIZES=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--cases) CASES=$2; shift ;;
	--seed) SEED=$2; shift ;;
	-h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

# ---- build --------------------------------------------------------------------

if [ "$DO_BUILD" = 1 ]; then
	if [ ! -f "$BUILD/CMakeCache.txt" ]; then
		cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
	fi
	cmake --build "$BUILD" -j"$(nproc)" --target depcheck bench_gen_catalog bench_yaml_events \
		bench_measure >/dev/null
fi
bt=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
if [ "$bt" != Release ]; then
	echo "run.sh: warning: $BUILD is a '${bt:-unknown}' build, not Release" >&2
fi
DEPCHECK=$BUILD/depcheck
GEN=$BUILD/bench_gen_catalog
MEASURE=$BUILD/bench_measure
mkdir -p "$OUT"

# ---- catalogs -------------------------------------------------------------------

# catalog N FORMAT (yaml|json): path of the cached catalog, generated when
# missing or older than the generator.
catalog() {
	local f=$OUT/catalog-$1-$SEED.$2
	if [ ! -s "$f" ] || [ "$GEN" -nt "$f" ]; then
		local flag=""
		[ "$2" = json ] && flag=--json
		"$GEN" "$1" "$SEED" $flag >"$f.tmp"
		mv "$f.tmp" "$f"
	fi
	printf '%s\n' "$f"
}

# ---- cases ------------------------------------------------------------------------
# shellcheck disable=SC2317  # the case functions are called indirectly
# case_NAME N: set CMD (argv array, stdout is discarded), OK_CODES (exit codes
# that mean "ran to completion"), and optionally REQUIRES (a command that
# must exist, else the case is skipped).

case_yaml_events() {
	CMD=("$BUILD/bench_yaml_events" "$(catalog "$1" yaml)")
	OK_CODES="0"
}

case_validate() {
	CMD=("$DEPCHECK" validate -q "$(catalog "$1" yaml)")
	OK_CODES="0 1"
}

case_validate_json() {
	CMD=("$DEPCHECK" validate -q "$(catalog "$1" json)")
	OK_CODES="0 1"
}

case_export_json() {
	CMD=("$DEPCHECK" export -f json "$(catalog "$1" yaml)")
	OK_CODES="0"
}

# ---- measuring --------------------------------------------------------------------

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# measure NAME N: best wall time, best CPU time (user + sys) and largest RSS
# over RUNS runs into T_<NAME>, C_<NAME>, R_<NAME> (seconds, seconds, MB);
# E_<NAME> is empty on success, else the reason.
measure() {
	local name=$1 n=$2 i t r code cpu best="" bestc="" maxr=0
	CMD=() OK_CODES=0 REQUIRES=""
	unset "T_$name" "C_$name" "R_$name"
	"case_$name" "$n"
	if [ -n "$REQUIRES" ] && ! command -v "$REQUIRES" >/dev/null 2>&1; then
		printf -v "E_$name" 'skipped (%s not installed)' "$REQUIRES"
		return
	fi
	printf -v "E_$name" '%s' ""
	for ((i = 0; i < RUNS; i++)); do
		"$MEASURE" -o "$TMP/m" "${CMD[@]}" >/dev/null 2>"$TMP/err"
		read -r t r code cpu <"$TMP/m"
		if ! [[ " $OK_CODES " == *" $code "* ]]; then
			printf -v "E_$name" 'failed (exit %s): %s' "$code" "$(head -c 300 "$TMP/err")"
			return
		fi
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
		fi
		if [ -z "$bestc" ] || awk -v a="$cpu" -v b="$bestc" 'BEGIN { exit !(a < b) }'; then
			bestc=$cpu
		fi
		[ "$r" -gt "$maxr" ] && maxr=$r
	done
	printf -v "T_$name" '%s' "$best"
	printf -v "C_$name" '%s' "$bestc"
	printf -v "R_$name" '%s' "$(awk -v k="$maxr" 'BEGIN { printf "%.1f", k / 1024 }')"
	if [ "${BENCH_HYPERFINE:-0}" = 1 ] && command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N -w 1 -r "$RUNS" -i "$(printf '%q ' "${CMD[@]}")" >&2 || true
	fi
}

get() { local v="$1_$2"; printf '%s' "${!v:-}"; }

nproc_=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
mem=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
echo "depcheck bench: seed $SEED, best of $RUNS runs; $nproc_ CPUs ($cpu), $mem RAM"
echo "build: $BUILD (${bt:-?}); catalogs: $OUT"

SUMMARY=()
status=0
for n in $SIZES; do
	yaml=$(catalog "$n" yaml)
	json=$("$DEPCHECK" validate -f json "$yaml" || true)
	services=$(printf '%s' "$json" | sed -n 's/^ *"services": \([0-9]*\).*/\1/p')
	edges=$(printf '%s' "$json" | sed -n 's/^ *"dependencies": \([0-9]*\).*/\1/p')
	valid=$(printf '%s' "$json" | sed -n 's/^ *"valid": \([a-z]*\).*/\1/p')
	mb=$(awk -v b="$(stat -c %s "$yaml")" 'BEGIN { printf "%.1f", b / 1048576 }')
	echo
	echo "== N=$n: $services services, $edges edges, $mb MB YAML, valid: ${valid:-?} ($(basename "$yaml"))"
	printf '   %-16s %9s %9s %9s\n' case "wall s" "cpu s" "RSS MB"
	for c in $CASES; do
		measure "$c" "$n"
		e=$(get E "$c")
		if [ -n "$e" ]; then
			printf '   %-16s %s\n' "$c" "$e"
		else
			printf '   %-16s %9.3f %9.3f %9s\n' "$c" "$(get T "$c")" "$(get C "$c")" "$(get R "$c")"
		fi
	done
	ty=$(get T yaml_events) tv=$(get T validate) rv=$(get R validate)
	te=$([ -z "$(get E export_json)" ] && get T export_json || true)
	if [ -n "$ty" ] && [ -n "$tv" ] && [ -z "$(get E yaml_events)$(get E validate)" ]; then
		ratio=$(awk -v a="$tv" -v b="$ty" 'BEGIN { printf "%.2f", a / b }')
		cratio=$(awk -v a="$(get C validate)" -v b="$(get C yaml_events)" 'BEGIN { printf "%.2f", a / b }')
		if awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r <= m) }'; then v=PASS; else v=FAIL; status=1; fi
		echo "   $v  validate <= ${MAX_RATIO}x libyaml: validate / yaml_events = $ratio (wall; cpu: $cratio)"
		if awk -v r="$rv" -v m="$MAX_RSS_MB" 'BEGIN { exit !(r < m) }'; then v=PASS; else v=FAIL; status=1; fi
		echo "   $v  validate peak RSS < $MAX_RSS_MB MB: $rv MB"
		SUMMARY+=("| $n | $services | $edges | $mb | $ty | $tv | $ratio | $rv | ${te:--} |")
	fi
done

if [ ${#SUMMARY[@]} -gt 0 ]; then
	echo
	echo "| N | services | edges | file MB | libyaml s | validate s | ratio | validate RSS MB | export json s |"
	echo "|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${SUMMARY[@]}"
fi
exit $status
