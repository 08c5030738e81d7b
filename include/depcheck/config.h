/*
 * depcheck/config.h - the project configuration file (`.depcheck.yaml`,
 * docs/commands.md "Project configuration"): what a repository's depcheck
 * runs read when the command line does not say.
 *
 *     depcheck-config: 1
 *     inputs: [services/, platform/catalog.yaml]   # PATH... when none is given
 *     exclude: [node_modules, vendor]               # --exclude GLOB...
 *     include: ["*.yaml"]                          # --include GLOB...
 *     policy: ci/depcheck-policy.yaml              # --policy FILE
 *     baseline: [base/]                            # check --baseline PATH...
 *
 * Every key but depcheck-config is optional; a string stands for a list of
 * one. Paths (inputs, policy, baseline) are relative to the directory of
 * the config file and must stay inside it: an absolute path, a `..`
 * component or `-` is an error (a repository's config is as untrusted as
 * its catalogs). Globs are kept as written (they match paths relative to
 * the walked directory, as --include and --exclude do). Every problem is a
 * diagnostic at its line and column; a config with errors does not load.
 *
 * Ownership: strings returned by dc_config_value() live until
 * dc_config_free().
 */
#ifndef DEPCHECK_CONFIG_H
#define DEPCHECK_CONFIG_H

#include "diag.h"

/** The file name depcheck looks for (the CLI: in the current directory, then
 * in its parents up to the repository root). */
#define DC_CONFIG_FILE_NAME ".depcheck.yaml"

typedef struct dc_config dc_config;

/** The settings of a project config. */
typedef enum {
	DC_CONFIG_INPUTS = 0,   /**< catalog paths */
	DC_CONFIG_INCLUDE = 1,  /**< --include globs */
	DC_CONFIG_EXCLUDE = 2,  /**< --exclude globs */
	DC_CONFIG_POLICY = 3,   /**< the policy file (at most one) */
	DC_CONFIG_BASELINE = 4  /**< base catalog paths of check */
} dc_config_key;

/**
 * Parse a config from a buffer. `name` is used in diagnostics; `dir` is the
 * directory its paths are relative to ("" or "." leave them as written,
 * else "DIR/PATH"). Returns 0; DC_EPARSE on a YAML syntax error;
 * DC_EINVALID when the config has errors (each a diagnostic with line and
 * column); DC_ENOMEM. *out is NULL on failure.
 */
DC_EXTERN(int) dc_config_parse(dc_config **out, const char *name, const char *dir, const char *buf,
			       size_t len, dc_diags *diags);
/** Read and parse a config file; its paths are relative to the file's
 * directory. DC_EIO when it cannot be read (with a diagnostic), else as
 * dc_config_parse(). */
DC_EXTERN(int) dc_config_load(dc_config **out, const char *path, dc_diags *diags);
DC_EXTERN(void) dc_config_free(dc_config *c);
/** How many values the config gives for `key` (0 when it does not say, for
 * a NULL config, or a key out of range). */
DC_EXTERN(size_t) dc_config_count(const dc_config *c, dc_config_key key);
/** Value i of `key`, paths resolved against the config's directory, or NULL
 * when i >= dc_config_count(c, key). */
DC_EXTERN(const char *) dc_config_value(const dc_config *c, dc_config_key key, size_t i);

#endif
