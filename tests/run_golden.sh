#!/usr/bin/env bash
# run_golden.sh DEPCHECK CASEDIR TESTDATA
# A golden case: CASEDIR/cmd holds the arguments (one line, split on
# spaces), run from TESTDATA so paths in it and in the output are relative.
# stdout must equal CASEDIR/expected.out byte for byte; the exit code must
# equal CASEDIR/expected.code (default 0); if CASEDIR/expected.err exists,
# stderr must equal it too. UPDATE_GOLDEN=1 rewrites the expectations.
set -u
bin=$1; dir=$2; root=$3
cd "$root" || exit 1
read -r -a argv < "$dir/cmd"
run=("$bin")
if [ "${DC_VALGRIND:-0}" = 1 ]; then
  run=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$bin")
fi
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"${run[@]}" "${argv[@]}" >"$out" 2>"$err"
code=$?
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$out" "$dir/expected.out"; echo "$code" > "$dir/expected.code"
  [ -f "$dir/expected.err" ] && cp "$err" "$dir/expected.err"
  exit 0
fi
want=0; [ -f "$dir/expected.code" ] && want=$(cat "$dir/expected.code")
fail=0
if [ "$code" != "$want" ]; then echo "exit code $code, expected $want"; fail=1; fi
if ! diff -u "$dir/expected.out" "$out"; then fail=1; fi
if [ -f "$dir/expected.err" ] && ! diff -u "$dir/expected.err" "$err"; then fail=1; fi
if [ $fail = 1 ]; then echo "--- stderr was:"; cat "$err"; fi
exit $fail
