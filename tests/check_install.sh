#!/usr/bin/env bash
# check_install.sh BUILD_DIR TESTDATA: install into a temporary prefix, then
# build and run a small program against the installed headers and library
# through pkg-config, as a user of libdepcheck would, then through
# find_package(depcheck CONFIG).
set -eu
build=$1; testdata=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name depcheck.pc | head -n1)")/..
export PKG_CONFIG_PATH=$libdir/pkgconfig
test -x "$prefix/bin/depcheck"
cat > "$prefix/use.c" <<'C'
#include <depcheck/depcheck.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	dc_diags *diags;
	dc_catalog *cat;
	dc_graph *g;
	dc_impact *imp;
	dc_id s;
	const char *paths[1];
	int rc;
	(void)argc;
	paths[0] = argv[1];
	dc_diags_new(&diags);
	rc = dc_catalog_load(&cat, paths, 1, NULL, diags);
	if (rc || dc_graph_new(&g, cat) || dc_catalog_find(cat, "discovery", &s) || dc_impact_new(&imp, g))
		return 1;
	dc_impact_run(imp, &s, 1, NULL, 0);
	printf("%s %zu services, discovery takes down %zu\n", dc_version(), dc_catalog_service_count(cat),
	       dc_impact_down_count(imp) - 1);
	dc_impact_free(imp);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	return 0;
}
C
cc -std=c11 -Wall -Werror -o "$prefix/use" "$prefix/use.c" $(pkg-config --cflags --libs depcheck)
out=$(LD_LIBRARY_PATH=$libdir "$prefix/use" "$testdata/catalogs/streaming/catalog.yaml")
echo "$out"
case "$out" in
  *"47 services, discovery takes down 29"*) ;;
  *) echo "unexpected output"; exit 1 ;;
esac

# The same program through CMake's package config: find_package(depcheck
# CONFIG) finds the installed depcheckConfig.cmake, and depcheck::depcheck
# (static or shared, as BUILD_SHARED_LIBS chose) brings its include
# directory and link dependencies. The version file accepts the project's
# own version and refuses the next major one.
mkdir "$prefix/consumer"
cp "$prefix/use.c" "$prefix/consumer/use.c"
v=$(sed -n 's/^#define DC_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/depcheck/version.h")
cat > "$prefix/consumer/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.16)
project(consumer LANGUAGES C)
find_package(depcheck $v CONFIG REQUIRED)
find_package(depcheck 99 CONFIG QUIET)
if(depcheck_FOUND)
  message(FATAL_ERROR "depcheck 99 accepted")
endif()
find_package(depcheck $v CONFIG REQUIRED)
foreach(t depcheck::depcheck depcheck::depcheck_static depcheck::depcheck_shared)
  if(NOT TARGET \${t})
    message(FATAL_ERROR "\${t} missing")
  endif()
endforeach()
add_executable(use use.c)
target_link_libraries(use PRIVATE depcheck::depcheck)
CM
cmake -S "$prefix/consumer" -B "$prefix/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >"$prefix/log" 2>&1 ||
  { cat "$prefix/log"; exit 1; }
cmake --build "$prefix/consumer/build" >>"$prefix/log" 2>&1 || { cat "$prefix/log"; exit 1; }
out=$(LD_LIBRARY_PATH=$libdir "$prefix/consumer/build/use" "$testdata/catalogs/streaming/catalog.yaml")
echo "find_package: $out"
case "$out" in
  "$v 47 services, discovery takes down 29") ;;
  *) echo "unexpected output through find_package"; exit 1 ;;
esac
