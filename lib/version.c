/*
 * version.c - the versions of the libraries libdepcheck runs with
 * (dc_library_version), as the loaded libraries report them: what
 * `depcheck --version` prints, so that a bug report names the Graphviz,
 * libyaml and jansson actually in use, not the ones built against.
 */
#include <depcheck/common.h>

#include <jansson.h>
#include <yaml.h>

#include "gv_int.h"

const char *dc_library_version(dc_library lib)
{
	switch (lib) {
	case DC_LIB_GRAPHVIZ: return gv_version();
	case DC_LIB_LIBYAML: return yaml_get_version_string();
#if JANSSON_VERSION_HEX >= 0x020d00
	case DC_LIB_JANSSON: return jansson_version_str();
#else
	/* jansson before 2.13 cannot say at run time: the headers' version */
	case DC_LIB_JANSSON: return JANSSON_VERSION;
#endif
	}
	return NULL;
}
