#!/usr/bin/env bash
# check_subproject.sh SOURCE_DIR TESTDATA: depcheck used as a subproject.
# A tiny consumer project in a temporary directory add_subdirectory()s the
# source tree (as FetchContent does), links depcheck::depcheck, then builds
# and runs a program that loads the example catalog. Fails when the build
# uses CMAKE_SOURCE_DIR/CMAKE_BINARY_DIR where it means its own project's.
set -eu
src=$1; testdata=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/consumer"
cat > "$tmp/consumer/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.16)
project(consumer LANGUAGES C)
set(BUILD_TESTING OFF)
add_subdirectory("$src" depcheck)
add_executable(use use.c)
target_link_libraries(use PRIVATE depcheck::depcheck)
CM
cat > "$tmp/consumer/use.c" <<'C'
#include <depcheck/depcheck.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	dc_diags *diags;
	dc_catalog *cat;
	const char *paths[1] = { argv[argc - 1] };
	if (dc_diags_new(&diags) || dc_catalog_load(&cat, paths, 1, NULL, diags))
		return 1;
	printf("%s %d.%d.%d %zu services\n", dc_version(), DC_VERSION_MAJOR, DC_VERSION_MINOR,
	       DC_VERSION_PATCH, dc_catalog_service_count(cat));
	dc_catalog_free(cat);
	dc_diags_free(diags);
	return 0;
}
C
cmake -S "$tmp/consumer" -B "$tmp/build" >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
cmake --build "$tmp/build" -j2 --target use >>"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
# no test was configured in the consumer's build
if [ -e "$tmp/build/depcheck/tests" ]; then echo "tests configured with BUILD_TESTING OFF"; exit 1; fi
out=$("$tmp/build/use" "$testdata/catalogs/streaming/catalog.yaml")
echo "$out"
v=$(sed -n 's/^project(depcheck VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
case "$out" in
  "$v $v 47 services") ;;
  *) echo "unexpected output (version $v expected)"; exit 1 ;;
esac
