#!/usr/bin/env bash
# check_options.sh SRCDIR: every versioned struct of the public headers
# (`typedef struct { unsigned int version; ... } dc_NAME;`: options structs,
# the writers' report structs, dc_catalog_summary) has DC_NAME_VERSION and
# a DC_NAME_INIT macro in its header, and a row in tests/test_api.c's
# version table (so 0, 1 .. current and current + 1 are tried on it).
set -u
src=$1
fail=0; n=0
for h in "$src"/include/depcheck/*.h; do
  # struct names whose first field is `unsigned int version`
  names=$(awk '/^typedef struct \{/ { inside = 1; first = 1; next }
    inside && first { ver = ($0 ~ /^[ \t]*unsigned int version;/); first = 0 }
    inside && /^\} dc_[a-z0-9_]+;/ { if (ver) { sub(/^\} /, ""); sub(/;.*/, ""); print } inside = 0 }' "$h")
  for s in $names; do
    n=$((n + 1))
    up=$(printf '%s' "$s" | tr 'a-z' 'A-Z')
    grep -q "^#define ${up}_VERSION " "$h" || { echo "$s: no ${up}_VERSION in $(basename "$h")"; fail=1; }
    grep -q "^#define ${up}_INIT " "$h" || { echo "$s: no ${up}_INIT in $(basename "$h")"; fail=1; }
    grep -q "\b${up}_INIT\b" "$src"/tests/test_api.c ||
      { echo "$s: no row in tests/test_api.c's options version table"; fail=1; }
  done
done
[ $n -gt 0 ] || { echo "no versioned structs found under $src/include/depcheck"; exit 1; }
[ $fail = 0 ] && echo "$n versioned structs, each with _VERSION, _INIT and a version test"
exit $fail
