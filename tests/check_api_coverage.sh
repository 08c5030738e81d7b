#!/usr/bin/env bash
# check_api_coverage.sh SRCDIR: every function a public header declares
# (DC_EXTERN) is called by at least one unit test (tests/*.c). A function
# that no test calls is an API nobody checks: add it to its module's suite.
set -u
src=$1
fail=0
fns=$(grep -ho 'DC_EXTERN([^)]*) *dc_[a-z0-9_]*' "$src"/include/depcheck/*.h | sed 's/.* //' | sort -u)
[ -n "$fns" ] || { echo "no public functions found under $src/include/depcheck"; exit 1; }
n=0
for f in $fns; do
  n=$((n + 1))
  if ! grep -qw "$f" "$src"/tests/*.c; then
    echo "public function $f is not called by any test in tests/*.c"
    fail=1
  fi
done
[ $fail = 0 ] && echo "all $n public functions are called by a test"
exit $fail
