#!/usr/bin/env bash
# bench/run.sh - build, generate synthetic catalogs, measure, print figures.
#
#   bench/run.sh [--no-build] [--sizes "10000 100000"] [--runs 3] [--cases "..."]
#
# Environment (the options win): BENCH_BUILD_DIR (default build-bench, a
# Release build), BENCH_OUT_DIR (default bench/out, git-ignored: cached
# catalogs), BENCH_SIZES, BENCH_SEED (42), BENCH_RUNS (5), BENCH_CASES,
# BENCH_HYPERFINE=1 (also run hyperfine on each case, when installed),
# BENCH_PYTHON (default /usr/bin/python3: Debian's python3-igraph and
# python3-networkx), BENCH_COMPARE_MAX_N (100000: the igraph / networkx
# cases, with their ratios and the agreement check, run at 10,000 and
# 100,000; skipped above it; networkx takes a few minutes at 100,000).
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
RUNS=${BENCH_RUNS:-5}
CASES=${BENCH_CASES:-"yaml_events validate export_json analyze analyze_json igraph_blast networkx_blast simulate_each load simulate_fail critical_path plan plan_changed availability availability_engine"}
PY=${BENCH_PYTHON:-/usr/bin/python3}
COMPARE_MAX_N=${BENCH_COMPARE_MAX_N:-100000}
DO_BUILD=1

# targets: the ratio validate / yaml_events, and validate's peak RSS
MAX_RATIO=2.0
MAX_RSS_MB=1024
# targets at 100,000 services: analyze and simulate --each in < 10 s and
# < 2 GB peak RSS; one simulate --fail within load time + 100 ms
MAX_ANALYZE_S=10
MAX_ANALYZE_RSS_MB=2048
MAX_FAIL_OVER_LOAD_S=0.100

while [ $# -gt 0 ]; do
	case $1 in
	--no-build) DO_BUILD=0 ;;
	--sizes) SIZES=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--cases) CASES=$2; shift ;;
	--seed) SEED=$2; shift ;;
	-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

# ---- build --------------------------------------------------------------------

if [ "$DO_BUILD" = 1 ]; then
	if [ ! -f "$BUILD/CMakeCache.txt" ]; then
		cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DDC_BUILD_BENCH=ON >/dev/null
	fi
	cmake --build "$BUILD" -j"$(nproc)" --target depcheck bench_gen_catalog bench_yaml_events \
		bench_measure bench_phases bench_availability >/dev/null
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
		[ "$2" = load.yaml ] && flag=--load
		"$GEN" "$1" "$SEED" $flag >"$f.tmp"
		mv "$f.tmp" "$f"
	fi
	printf '%s\n' "$f"
}

# ---- cases ------------------------------------------------------------------------
# shellcheck disable=SC2317  # the case functions are called indirectly
# case_NAME N: set CMD (argv array, stdout is discarded), OK_CODES (exit codes
# that mean "ran to completion"), and optionally REQUIRES (a command that
# must exist, else the case is skipped), REQUIRES_PY (python modules that
# $PY must import) and MAX_N (skipped for bigger catalogs).

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

# analyze: every blast radius, cycles, SPOFs, depth... (docs/commands.md)
case_analyze() {
	CMD=("$DEPCHECK" analyze -q "$(catalog "$1" yaml)")
	OK_CODES="0 1"
}

# the same on the JSON catalog the Python comparisons read
case_analyze_json() {
	CMD=("$DEPCHECK" analyze -q "$(catalog "$1" json)")
	OK_CODES="0 1"
}

# igraph: read the JSON catalog, build the graph, neighborhood_size(order=N,
# mode="in") for every node (= depcheck's DOWN + DEGRADED + 1)
case_igraph_blast() {
	CMD=("$PY" "$ROOT/bench/blast_compare.py" --engine igraph "$(catalog "$1" json)")
	OK_CODES="0"; REQUIRES="$PY"; REQUIRES_PY="igraph"; MAX_N=$COMPARE_MAX_N
}

# networkx: the same with len(nx.ancestors(G, n)) + 1 per node
case_networkx_blast() {
	CMD=("$PY" "$ROOT/bench/blast_compare.py" --engine networkx "$(catalog "$1" json)")
	OK_CODES="0"; REQUIRES="$PY"; REQUIRES_PY="networkx"; MAX_N=$COMPARE_MAX_N
}

# every single failure, ranked
case_simulate_each() {
	CMD=("$DEPCHECK" simulate -q "$(catalog "$1" yaml)" --each)
	OK_CODES="0 1"
}

# the load alone (read, parse, finalize, graph, scc through the library:
# bench_phases), the reference for simulate_fail
case_load() {
	CMD=("$BUILD/bench_phases" "$(catalog "$1" yaml)")
	OK_CODES="0 1"
}

# one scenario: the service-discovery platform fails
case_simulate_fail() {
	CMD=("$DEPCHECK" simulate -q "$(catalog "$1" yaml)" --fail discovery)
	OK_CODES="0 1"
}

# the load model: the catalog with traffic and capacities (--load), discovery
# 100 ms slower (baseline, triggered and after-trigger solves)
case_simulate_load() {
	CMD=("$DEPCHECK" simulate -q "$(catalog "$1" load.yaml)" --load --slow discovery=100)
	OK_CODES="0"
}

# analyze with the retry storm risks (the same catalog; past 200,000
# services + dependencies the linear bounds only)
case_analyze_load() {
	CMD=("$DEPCHECK" analyze -q "$(catalog "$1" load.yaml)")
	OK_CODES="0 1"
}

# deployment waves of every service (canary order needs every blast radius)
case_plan() {
	CMD=("$DEPCHECK" plan -q "$(catalog "$1" yaml)")
	OK_CODES="0"
}

# a partial plan: 1,000 backend services changed (every k-th one), ordered
# through everything else
case_plan_changed() {
	local n=$1 k list="" i nb
	nb=$(( n * 30 / 100 ))
	k=$(( nb / 1000 )); [ "$k" -ge 1 ] || k=1
	for ((i = 0; i < 1000 && i * k < nb; i++)); do list+="${list:+,}backend-$(( i * k ))"; done
	CMD=("$DEPCHECK" plan -q "$(catalog "$n" yaml)" --changed "$list")
	OK_CODES="0"
}

# effective availability of every service: 1,000,000 Monte Carlo trials
# (the default), importance and cut sets included; the bit-parallel engine
# alone and the one-trial-at-a-time reference: bench_availability
# (10,000 services only: availability is the slowest command by design)
AVAIL_MAX_N=${BENCH_AVAIL_MAX_N:-10000}
case_availability() {
	CMD=("$DEPCHECK" availability -q "$(catalog "$1" yaml)")
	OK_CODES="0 1"; MAX_N=$AVAIL_MAX_N
}
case_availability_engine() {
	CMD=("$BUILD/bench_availability" "$(catalog "$1" yaml)")
	OK_CODES="0"; MAX_N=$AVAIL_MAX_N
}

# latency critical chains of every entrypoint
case_critical_path() {
	CMD=("$DEPCHECK" critical-path -q "$(catalog "$1" yaml)")
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
	CMD=() OK_CODES=0 REQUIRES="" REQUIRES_PY="" MAX_N=""
	unset "T_$name" "C_$name" "R_$name"
	"case_$name" "$n"
	if [ -n "$REQUIRES" ] && ! command -v "$REQUIRES" >/dev/null 2>&1; then
		printf -v "E_$name" 'skipped (%s not installed)' "$REQUIRES"
		return
	fi
	if [ -n "$REQUIRES_PY" ] && ! "$PY" -c "import $REQUIRES_PY" >/dev/null 2>&1; then
		printf -v "E_$name" 'skipped (%s cannot import %s: apt-get install python3-%s)' "$PY" \
			"$REQUIRES_PY" "$REQUIRES_PY"
		return
	fi
	if [ -n "$MAX_N" ] && [ "$n" -gt "$MAX_N" ]; then
		printf -v "E_$name" 'skipped (N > %s; BENCH_COMPARE_MAX_N raises it)' "$MAX_N"
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
SUMMARY2=()
status=0
# verdict PASS-CONDITION TEXT: print PASS/FAIL (a failure makes the exit status 1)
verdict() {
	if awk "BEGIN { exit !($1) }"; then echo "   PASS  $2"; else echo "   FAIL  $2"; status=1; fi
}
ok() { [ -n "$(get T "$1")" ] && [ -z "$(get E "$1")" ]; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

for n in $SIZES; do
	yaml=$(catalog "$n" yaml)
	json_cat=$(catalog "$n" json)
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
	# analyze / simulate targets (the issue's figures are for N = 100,000)
	for c in analyze simulate_each; do
		if ok "$c"; then
			verdict "$(get T "$c") < $MAX_ANALYZE_S" "$c wall < ${MAX_ANALYZE_S} s: $(get T "$c") s"
			verdict "$(get R "$c") < $MAX_ANALYZE_RSS_MB" "$c peak RSS < $MAX_ANALYZE_RSS_MB MB: $(get R "$c") MB"
		fi
	done
	ref=load; ok load || ref=validate
	for c in plan plan_changed; do
		if ok "$c" && ok "$ref"; then
			d=$(awk -v a="$(get T "$c")" -v b="$(get T "$ref")" 'BEGIN { printf "%.3f", a - b }')
			verdict "$d < 1" "$c beyond load < 1 s: $(get T "$c") s - $ref $(get T "$ref") s = $d s"
		fi
	done
	if ok simulate_fail && ok "$ref"; then
		# the rest after loading is the scenario and its report (a difference
		# of two best-of-RUNS wall times: noisy, +-10 % of the load; use
		# --runs 7 or more for a verdict at 100,000)
		d=$(awk -v a="$(get T simulate_fail)" -v b="$(get T "$ref")" 'BEGIN { printf "%.3f", a - b }')
		dc=$(awk -v a="$(get C simulate_fail)" -v b="$(get C "$ref")" 'BEGIN { printf "%.3f", a - b }')
		verdict "$d < $MAX_FAIL_OVER_LOAD_S" "simulate --fail discovery <= load + 100 ms: $(get T simulate_fail) s - $ref $(get T "$ref") s = $d s (cpu: $dc s)"
		# the same question without process noise: the propagation alone, in-process
		if [ -x "$BUILD/bench_phases" ] &&
			"$BUILD/bench_phases" --fail discovery "$yaml" >"$TMP/phases" 2>/dev/null; then
			echo "         in-process (bench_phases): load $(awk '$1 == "load" { print $2 }' "$TMP/phases") s," \
				"propagation of discovery $(awk '$1 == "impact" { print $2 }' "$TMP/phases") s," \
				"$(sed -n 's/^# discovery fails: //p' "$TMP/phases")"
		fi
	fi
	# depcheck vs igraph / networkx on the same JSON catalog, whole processes
	if ok analyze_json; then
		for c in igraph_blast networkx_blast; do
			if ok "$c"; then
				echo "   $c / analyze_json = $(ratio "$(get T "$c")" "$(get T analyze_json)")x (wall)"
			fi
		done
	fi
	# the computation alone: each library's loop against depcheck's sweep
	# (dc_blast_compute, as timed in-process by bench_phases)
	if [ -x "$BUILD/bench_phases" ] && "$BUILD/bench_phases" --blast "$yaml" >"$TMP/ph2" 2>/dev/null; then
		tb=$(awk '$1 == "blast" { print $2 }' "$TMP/ph2")
		for eng in igraph networkx; do
			if ok "${eng}_blast" &&
				out=$("$PY" "$ROOT/bench/blast_compare.py" --engine "$eng" "$json_cat" 2>&1); then
				tl=$(printf '%s\n' "$out" | sed -n 's/.*blast radii \([0-9.]*\) s.*/\1/p' | tail -n1)
				[ -n "$tl" ] && echo "   $eng blast radii alone ${tl} s, depcheck's sweep ${tb} s:" \
					"$(ratio "$tl" "$tb")x"
			fi
		done
	fi
	if ok igraph_blast || ok networkx_blast; then
		eng=igraph; ok igraph_blast || eng=networkx
		if out=$("$PY" "$ROOT/bench/blast_compare.py" --engine "$eng" --check "$DEPCHECK" "$json_cat" 2>"$TMP/err"); then
			echo "   PASS  blast radii agree: $out"
		else
			echo "   FAIL  blast radii: $out $(head -c 600 "$TMP/err")"; status=1
		fi
		sed 's/^/         /' "$TMP/err"
	fi
	cell() { ok "$1" && printf '%s' "$(get "$2" "$1")" || printf -- -; }
	SUMMARY2+=("| $n | $(cell analyze T) | $(cell analyze R) | $(cell simulate_each T) | $(cell simulate_each R) | $(cell simulate_fail T) | $(cell validate T) | $(cell analyze_json T) | $(cell igraph_blast T) | $(cell networkx_blast T) |")
done

if [ ${#SUMMARY[@]} -gt 0 ]; then
	echo
	echo "| N | services | edges | file MB | libyaml s | validate s | ratio | validate RSS MB | export json s |"
	echo "|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${SUMMARY[@]}"
fi
if [ ${#SUMMARY2[@]} -gt 0 ]; then
	echo
	echo "| N | analyze s | analyze RSS MB | simulate --each s | RSS MB | simulate --fail discovery s | validate s | analyze (json) s | igraph s | networkx s |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${SUMMARY2[@]}"
fi
exit $status
