#!/usr/bin/env bash
# run_bad.sh DEPCHECK CASEDIR
# A bad-input case: CASEDIR/expected holds `exit N` on its first line and
# then diagnostics, one per line, each of which must appear verbatim as a
# line of stderr. The command is `depcheck validate input*` (or the args in
# CASEDIR/args), run inside CASEDIR so that file names print short.
# With DC_VALGRIND=1 the binary runs under valgrind and leaks fail the test.
set -u
bin=$1; dir=$2
cd "$dir" || exit 1
if [ -f args ]; then
  read -r -a argv < args
else
  argv=(validate $(ls -d input* | sort))
fi
run=("$bin")
if [ "${DC_VALGRIND:-0}" = 1 ]; then
  run=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$bin")
fi
err=$(mktemp); out=$(mktemp)
trap 'rm -f "$err" "$out"' EXIT
"${run[@]}" "${argv[@]}" >"$out" 2>"$err"
code=$?
want=$(head -n1 expected | sed -n 's/^exit \([0-9]*\)$/\1/p')
fail=0
if [ -z "$want" ]; then echo "expected: first line must be 'exit N'"; exit 1; fi
if [ "$code" != "$want" ]; then echo "exit code $code, expected $want"; fail=1; fi
while IFS= read -r line; do
  [ -z "$line" ] && continue
  if ! grep -qxF -- "$line" "$err"; then echo "missing diagnostic: $line"; fail=1; fi
done < <(tail -n +2 expected)
if [ $fail = 1 ]; then echo "--- stderr was:"; cat "$err"; fi
exit $fail
