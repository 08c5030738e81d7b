#!/usr/bin/env bash
# check_api_coverage.sh SRCDIR: every function a public header declares
# (DC_EXTERN in include/depcheck/*.h) is called by at least one unit test
# (tests/test_*.c). A function that no test calls is an API nobody checks:
# add a test to its module's suite. Lists every such function; exits 1 when
# there is one (ctest: api.coverage).
#
# A call is the name followed by '(' in a suite's code: mentions in comments
# and string literals do not count, nor do tests/exercise.c and
# tests/alloc_fail.c (they run the API without checking its results).
set -u
src=${1:?usage: check_api_coverage.sh SRCDIR}

# headers whose functions are not checked here, with the reason
#   jsonw.h: the JSON writer the library's writers share; it is leaving the
#            public API (lib/jsonw.h), and is tested through those writers
skip_headers="jsonw.h"

headers=()
for h in "$src"/include/depcheck/*.h; do
  case " $skip_headers " in *" ${h##*/} "*) continue ;; esac
  headers+=("$h")
done

# declarations: DC_EXTERN(type) dc_name( , possibly across lines, comments
# removed (output.h's comment shows the pattern with a placeholder name)
fns=$(perl -0777 -ne 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g;
  print "$2\n" while /DC_EXTERN\s*\(((?:[^()]|\([^()]*\))*)\)\s*(dc_\w+)\s*\(/g' "${headers[@]}" | sort -u)
[ -n "$fns" ] || { echo "no public functions found under $src/include/depcheck"; exit 1; }

# the suites' code without comments and string literals
code=$(perl -0777 -pe 's{(/\*.*?\*/|//[^\n]*|"(?:[^"\\\n]|\\.)*"|'\''(?:[^'\''\\\n]|\\.)*'\'')}
  {substr($1, 0, 1) eq "\"" ? "\"\"" : " "}gse' "$src"/tests/test_*.c)
called=$(grep -oE '\bdc_[A-Za-z0-9_]+[[:space:]]*\(' <<<"$code" | sed 's/[[:space:]]*($//' | sort -u)

missing=$(comm -23 <(echo "$fns") <(echo "$called"))
n=$(echo "$fns" | wc -l)
if [ -n "$missing" ]; then
  for f in $missing; do
    echo "public function $f is not called by any test in tests/test_*.c"
  done
  echo "$(echo "$missing" | wc -l) of $n public functions untested"
  exit 1
fi
echo "all $n public functions are called by a test"
