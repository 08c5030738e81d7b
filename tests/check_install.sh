#!/usr/bin/env bash
# check_install.sh BUILD_DIR TESTDATA: install into a temporary prefix, then
# build and run a small program against the installed headers and library
# through pkg-config, as a user of libdepcheck would.
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
