#!/usr/bin/env bash
# run_golden.sh DEPCHECK CASEDIR TESTDATA [VERSION]
# A golden case: CASEDIR/cmd holds the arguments (one line, split on
# spaces), run from TESTDATA so paths in it and in the output are relative.
# stdout must equal CASEDIR/expected.out byte for byte; the exit code must
# equal CASEDIR/expected.code (default 0); if CASEDIR/expected.err exists,
# stderr must equal it too. UPDATE_GOLDEN=1 rewrites the expectations.
# The library's version is defined once (project() in CMakeLists.txt):
# expectations spell it @DC_VERSION@, replaced by VERSION (CMake passes
# PROJECT_VERSION) before comparing, so a release changes no golden.
# If CASEDIR/normalize exists, it is a sed script applied to stdout and
# stderr before comparing (and before UPDATE_GOLDEN writes them): for what
# differs between machines, as the commit and library versions in
# `depcheck --version` do; the script keeps the form checked.
set -u
bin=$1; dir=$2; root=$3; version=${4:-}
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
if [ -f "$dir/normalize" ]; then
  for f in "$out" "$err"; do
    sed -E -f "$dir/normalize" "$f" > "$f.n" && mv "$f.n" "$f"
  done
fi
# the expectation with @DC_VERSION@ replaced (a copy when VERSION is not given)
want_out=$(mktemp); want_err=$(mktemp)
trap 'rm -f "$out" "$err" "$want_out" "$want_err"' EXIT
expect() {
  if [ -n "$version" ]; then sed "s/@DC_VERSION@/$version/g" "$1"; else cat "$1"; fi
}
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  # keep the placeholder where the old expectation had it
  for f in out err; do
    [ "$f" = out ] || [ -f "$dir/expected.err" ] || continue
    src=$out; [ "$f" = err ] && src=$err
    if [ -n "$version" ] && grep -q '@DC_VERSION@' "$dir/expected.$f" 2>/dev/null; then
      sed "s/$(printf '%s' "$version" | sed 's/\./\\./g')/@DC_VERSION@/g" "$src" > "$dir/expected.$f"
    else
      cp "$src" "$dir/expected.$f"
    fi
  done
  echo "$code" > "$dir/expected.code"
  exit 0
fi
want=0; [ -f "$dir/expected.code" ] && want=$(cat "$dir/expected.code")
fail=0
if [ "$code" != "$want" ]; then echo "exit code $code, expected $want"; fail=1; fi
expect "$dir/expected.out" > "$want_out"
if ! diff -u "$want_out" "$out"; then fail=1; fi
if [ -f "$dir/expected.err" ]; then
  expect "$dir/expected.err" > "$want_err"
  if ! diff -u "$want_err" "$err"; then fail=1; fi
fi
if [ $fail = 1 ]; then echo "--- stderr was:"; cat "$err"; fi
exit $fail
