#!/bin/bash
# check_output_bounds.sh DEPCHECK - no default output grows with N^2, and
# lists with a row per service or finding are cut (with their totals) unless
# --all or -f jsonl asks for everything. On a generated chain (s0 -> s1 -> ... -> s(n-1), s0 the entrypoint)
# the default output at 2n must be less than 2.5 times the output at n
# (quadratic output would be about 4 times); the complete dumps asked for
# with a flag (simulate --paths) do grow with N^2, and are checked to.
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

chain() { # chain N FILE
	awk -v n="$1" 'BEGIN {
		print "depcheck: 1"; print "services:"
		for (i = 0; i < n; i++) {
			printf "  - name: s%d\n    latency_ms: 1\n", i
			if (i == 0) print "    entrypoint: true"
			if (i + 1 < n) printf "    depends_on: [{service: s%d, retries: 1}]\n", i + 1
		}
	}' > "$2"
}

n=1500
chain $n "$tmp/a.yaml"
chain $((2 * n)) "$tmp/b.yaml"
last_a=s$((n - 1)); last_b=s$((2 * n - 1))

# size CASE ARGS... with @C for the catalog and @L for its last service
size() {
	local which=$1; shift
	local cat=$tmp/$which.yaml last=$last_a args=() a
	[ "$which" = b ] && last=$last_b
	for a in "$@"; do
		case $a in @C) args+=("$cat") ;; @L) args+=("$last") ;; *) args+=("$a") ;; esac
	done
	"$bin" "${args[@]}" > "$tmp/out" 2> "$tmp/err"
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: depcheck ${args[*]} exited $rc: $(head -3 "$tmp/err")" >&2
		fail=1
	fi
	wc -c < "$tmp/out"
}

# linear NAME ARGS...: bytes at 2n < 2.5 x bytes at n
linear() {
	local name=$1; shift
	local sa sb
	sa=$(size a "$@"); sb=$(size b "$@")
	if [ "$sa" -le 0 ] || [ $((sb * 10)) -ge $((sa * 25)) ]; then
		echo "FAIL: $name: $sa bytes at n=$n, $sb at 2n (not linear)" >&2
		fail=1
	else
		echo "ok: $name: $sa -> $sb bytes"
	fi
}

linear "simulate --fail LAST -f json" simulate @C --fail @L -f json

# the complete dump is there on request, and is what grows with N^2
sa=$(size a simulate @C --fail @L -f json --paths)
sb=$(size b simulate @C --fail @L -f json --paths)
if [ $((sb * 10)) -lt $((sa * 35)) ]; then
	echo "FAIL: simulate --paths: $sa -> $sb bytes: the full paths are missing" >&2
	fail=1
fi
grep -q '"path": \["s0", "s1", ' "$tmp/out" ||
	{ echo "FAIL: simulate --paths: no full path for s0" >&2; fail=1; }
size a simulate @C --fail @L -f json > /dev/null
grep -q '"path"' "$tmp/out" && { echo "FAIL: simulate: a path without --paths" >&2; fail=1; }
grep -q '"service": "s0", "cause": "s1"' "$tmp/out" ||
	{ echo "FAIL: simulate: s0's cause is not its predecessor s1" >&2; fail=1; }

linear "analyze -f json" analyze @C -f json
grep -q '"retry_amplification_truncated": true' "$tmp/out" ||
	{ echo "FAIL: analyze: the cut amplification list does not say so" >&2; fail=1; }
grep -q "\"retry_amplification_total\": $((2 * n - 1))" "$tmp/out" ||
	{ echo "FAIL: analyze: no amplification total" >&2; fail=1; }
sa=$(size a analyze @C -f json --all)
sb=$(size b analyze @C -f json --all)
if [ $((sb * 10)) -lt $((sa * 35)) ]; then
	echo "FAIL: analyze --all: $sa -> $sb bytes: the complete list is missing" >&2
	fail=1
fi
grep -q '"retry_amplification_truncated": false' "$tmp/out" ||
	{ echo "FAIL: analyze --all: list cut" >&2; fail=1; }
sa=$(size a analyze @C -f json --list-limit 0); [ "$sa" = "$(size a analyze @C -f json --all)" ] ||
	{ echo "FAIL: analyze: --list-limit 0 differs from --all" >&2; fail=1; }

# lists with a row per service are cut at 100 by default, with their totals;
# -f jsonl streams every row, one record a line
size a analyze @C -f json > /dev/null
grep -q "\"spofs_total\": $((n - 1))," "$tmp/out" && grep -q '"spofs_truncated": true' "$tmp/out" &&
	grep -q "\"blast_radius_total\": $n," "$tmp/out" && grep -q '"blast_radius_truncated": true' "$tmp/out" ||
	{ echo "FAIL: analyze -f json: spofs / blast_radius not cut with their totals" >&2; fail=1; }
[ "$(grep -c '"down":' "$tmp/out")" = 100 ] ||
	{ echo "FAIL: analyze -f json: blast_radius does not list 100 rows" >&2; fail=1; }
sa=$(size a analyze @C -f jsonl); sb=$(size b analyze @C -f jsonl)
[ "$(grep -c '^{"type": "service", ' "$tmp/out")" = $((2 * n)) ] &&
	[ "$(wc -l < "$tmp/out")" = "$(grep -c '^{"type": ' "$tmp/out")" ] ||
	{ echo "FAIL: analyze -f jsonl: not one service record per service, one record a line" >&2; fail=1; }
if [ $((sb * 10)) -ge $((sa * 25)) ]; then
	echo "FAIL: analyze -f jsonl: $sa -> $sb bytes (not linear)" >&2
	fail=1
fi
size b simulate @C --each -f json > /dev/null
[ "$(grep -c '"down":' "$tmp/out")" = 100 ] && grep -q '"truncated": true' "$tmp/out" ||
	{ echo "FAIL: simulate --each -f json: not cut at 100 with truncated" >&2; fail=1; }

# check: n tier-1 services each hard-depending on one tier-3 service, n
# findings of rule tier: 100 listed by default, every one with --all or jsonl
tiers() { # tiers N FILE
	awk -v n="$1" 'BEGIN {
		print "depcheck: 1"; print "services:"
		print "  - {name: low, tier: 3}"
		for (i = 0; i < n; i++)
			printf "  - {name: a%d, tier: 1, entrypoint: true, depends_on: [low]}\n", i
	}' > "$2"
}
n=400
tiers $n "$tmp/a.yaml"
tiers $((2 * n)) "$tmp/b.yaml"
check_count() { # check_count WHICH ARGS...: number of tier findings listed
	"$bin" check "$tmp/$1.yaml" "${@:2}" > "$tmp/out" 2> /dev/null
	grep -c '\[tier\]$\|"rule": "tier"' "$tmp/out"
}
[ "$(check_count b)" = 100 ] && grep -q "^\.\.\. and $((2 * n - 100)) more \[tier\]" "$tmp/out" ||
	{ echo "FAIL: check: not the first 100 tier findings and a count of the others" >&2; fail=1; }
[ "$(check_count b -f json)" = 100 ] && grep -q '"violations_total": [0-9]' "$tmp/out" &&
	grep -q '"violations_truncated": true' "$tmp/out" &&
	grep -q "\"id\": \"tier\", \"severity\": \"error\", \"violations\": $((2 * n)), .*\"violations_not_listed\": $((2 * n - 100))}" "$tmp/out" ||
	{ echo "FAIL: check -f json: not cut at 100 with the totals" >&2; fail=1; }
[ "$(check_count b --all)" = $((2 * n)) ] && [ "$(check_count b -f json --all)" = $((2 * n)) ] &&
	[ "$(check_count b -f jsonl)" = $((2 * n)) ] && [ "$(check_count b --limit 7)" = 7 ] ||
	{ echo "FAIL: check: --all, -f jsonl or --limit do not list what they say" >&2; fail=1; }
sa=$("$bin" check "$tmp/a.yaml" 2> /dev/null | wc -c); sb=$("$bin" check "$tmp/b.yaml" 2> /dev/null | wc -c)
if [ $((sb * 10)) -ge $((sa * 12)) ]; then
	echo "FAIL: check: $sa -> $sb bytes: the default output grows with the findings" >&2
	fail=1
fi

# critical-path: a fan of n entrypoints e_i over the whole chain is n trees
# of n hops each: the slowest 10 by default, every one with --all
fan() { # fan N FILE
	awk -v n="$1" 'BEGIN {
		print "depcheck: 1"; print "services:"
		for (i = 0; i < n; i++) {
			printf "  - name: e%d\n    entrypoint: true\n    latency_ms: %d\n    depends_on: [c0]\n", i, i
			printf "  - name: c%d\n    latency_ms: 1\n", i
			if (i + 1 < n) printf "    depends_on: [c%d]\n", i + 1
		}
	}' > "$2"
}
n=300
fan $n "$tmp/a.yaml"
fan $((2 * n)) "$tmp/b.yaml"
linear "critical-path" critical-path @C
grep -q "^\.\.\. and $((2 * n - 10)) more entrypoints" "$tmp/out" ||
	{ echo "FAIL: critical-path: no count of the chains left out" >&2; fail=1; }
linear "critical-path -f json" critical-path @C -f json
grep -q "\"total\": $((2 * n))," "$tmp/out" && grep -q '"truncated": true' "$tmp/out" ||
	{ echo "FAIL: critical-path -f json: no total or truncated flag" >&2; fail=1; }
sa=$(size a critical-path @C --all -f json)
sb=$(size b critical-path @C --all -f json)
if [ $((sb * 10)) -lt $((sa * 35)) ]; then
	echo "FAIL: critical-path --all: $sa -> $sb bytes: chains missing" >&2
	fail=1
fi
[ "$(grep -c '"entrypoint":' "$tmp/out")" = $((2 * n)) ] ||
	{ echo "FAIL: critical-path --all: not every chain" >&2; fail=1; }

exit $fail
