#!/usr/bin/env bash
# check_threads.sh DEPCHECK GEN TESTDATA: the commands that run the blast
# sweep (analyze, simulate --each, plan, check, report) print the same bytes
# whatever --threads says (1, 2, 3, 7, 16) and without it (every online
# CPU), on the example catalog, the real-world inputs and a generated
# catalog of 6,000 services (above the size where threads start by
# default). --threads out of range is a usage error. The load of a YAML file
# of 1 MiB or more (the generated one) parses on a second thread unless
# --threads 1: validate, on it and on a copy broken near its end, prints the
# same diagnostics either way.
set -u
bin=$1; gen=$2; root=$3
cd "$root" || exit 1
tmp=$(mktemp -d)
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
fails=0; checked=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
"$gen" 6000 7 > "$tmp/gen.yaml" || { echo "FAIL: generator"; exit 1; }
cats=(catalogs/streaming/catalog.yaml "$tmp/gen.yaml" realworld/online-boutique/kubernetes-manifests.yaml
      realworld/train-ticket/docker-compose.yml realworld/backstage realworld/deathstarbench/socialNetwork)
cases=("analyze -f json --top 1000000" "analyze" "simulate --each -f json" "plan -f json" "check -f json"
       "check --fail-on never" "report")
# stderr as depcheck wrote it: a sanitizer build appends its own report
# (LeakSanitizer's table of suppressions used, with counts of Graphviz's
# and fontconfig's blocks that vary from run to run); that is not output
strip_san() { sed -e '/^-----*$/,$d' -e '/^==[0-9]*==/d' "$1"; }
for cat in "${cats[@]}"; do
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		"$bin" $c -q "$cat" > "$tmp/ref" 2> "$tmp/ref.err"
		ref_rc=$?
		if [ "$ref_rc" -gt 1 ]; then
			fail "$c $cat: exit $ref_rc"; cat "$tmp/ref.err"; continue
		fi
		for t in 1 2 3 7 16; do
			# shellcheck disable=SC2086
			"$bin" $c --threads "$t" -q "$cat" > "$tmp/out" 2> "$tmp/out.err"
			rc=$?
			checked=$((checked + 1))
			if [ "$rc" != "$ref_rc" ] || ! cmp -s "$tmp/ref" "$tmp/out" || ! cmp -s <(strip_san "$tmp/ref.err") <(strip_san "$tmp/out.err"); then
				fail "$c --threads $t $cat: differs from the default (exit $rc, expected $ref_rc)"
				diff "$tmp/ref" "$tmp/out" | head -5
			fi
		done
	done
done
{ cat "$tmp/gen.yaml"; printf '  - name: [oops\n  - name: late\n'; } > "$tmp/broken.yaml"
for cat in "$tmp/gen.yaml" "$tmp/broken.yaml"; do
	for f in text json; do
		"$bin" validate -f "$f" "$cat" > "$tmp/ref" 2>&1
		ref_rc=$?
		for t in 1 2 5; do
			"$bin" validate -f "$f" --threads "$t" "$cat" > "$tmp/out" 2>&1
			rc=$?
			checked=$((checked + 1))
			if [ "$rc" != "$ref_rc" ] || ! cmp -s <(strip_san "$tmp/ref") <(strip_san "$tmp/out"); then
				fail "validate -f $f --threads $t $cat: differs from the default (exit $rc, expected $ref_rc)"
				diff "$tmp/ref" "$tmp/out" | head -5
			fi
		done
	done
done
grep -q "YAML syntax error" <("$bin" validate "$tmp/broken.yaml" 2>&1) || fail "validate broken.yaml: no syntax error"
for bad in 0 65 x; do
	"$bin" analyze --threads "$bad" catalogs/streaming/catalog.yaml > /dev/null 2> "$tmp/err"
	rc=$?
	if [ "$rc" != 2 ] || ! grep -q -- "--threads takes a number from 1 to 64" "$tmp/err"; then
		fail "--threads $bad: exit $rc, $(cat "$tmp/err")"
	fi
done
echo "$checked runs compared, $fails failures"
[ "$checked" -ge 200 ] || { echo "FAIL: too few runs compared"; exit 1; }
[ "$fails" = 0 ]
