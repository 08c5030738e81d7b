/*
 * depcheck/policy.h - the policy `depcheck check` enforces (docs/commands.md):
 * which rules run, at which severity, with which options.
 *
 * A policy is YAML (or JSON):
 *
 *     depcheck-policy: 1
 *     rules:
 *       no-hard-cycles: error                      # severity alone: default options
 *       max-blast-radius: { severity: warning, max: 25% }
 *       min-availability: { severity: error, min: slo, trials: 100000, seed: 1 }
 *       forbidden:
 *         - name: payments-db-is-private
 *           from: { not: { system: payments } }
 *           to: { name: "payments-db" }
 *           message: only the payments system may use its database
 *     waivers:
 *       - rule: max-blast-radius
 *         subject: checkout -> payments-db
 *         reason: accepted until the payments split (JIRA-123)
 *         expires: 2027-01-31                      # optional, YYYY-MM-DD
 *
 * Rules a policy does not name are off. Every problem in a policy file is a
 * diagnostic at its line and column (unknown rule, unknown option, wrong
 * type, bad regular expression); a policy with errors does not load.
 *
 * The built-in default policy is text (dc_policy_default_text()) parsed like
 * any other file, so printing it and loading the print gives the same
 * policy by construction.
 *
 * Ownership: strings returned by accessors are borrowed from the policy and
 * live until dc_policy_free().
 */
#ifndef DEPCHECK_POLICY_H
#define DEPCHECK_POLICY_H

#include "catalog.h"
#include "diag.h"

typedef struct dc_policy dc_policy;

/** How a rule reports: off (does not run), warning (reported, does not fail
 * the gate unless asked), error (fails the gate). */
typedef enum {
	DC_LEVEL_OFF = 0,
	DC_LEVEL_WARNING = 1,
	DC_LEVEL_ERROR = 2
} dc_level;

/** "off", "warning", "error". */
DC_EXTERN(const char *) dc_level_name(dc_level l);

/* ---- the built-in rules -----------------------------------------------------
 * A rule is known by its id, the key a policy file names it by
 * ("no-hard-cycles", "max-depth", ...) and the id its violations carry.
 * Ids are the one public name of a rule: the library's rule table is the
 * only list, and no constant or index here names a rule, so adding a rule
 * to the library changes no public value and is not an ABI break. (An enum
 * would need a new constant in this header for every rule, and an enum
 * whose values are array indices shifts when one is inserted.) */

/** How many built-in rules there are ("forbidden" included). */
DC_EXTERN(size_t) dc_rule_count(void);
/** Id of built-in rule i, in report order (forbidden last), or NULL when i
 * >= dc_rule_count(). The order may change between versions: enumerate
 * with it, store ids. */
DC_EXTERN(const char *) dc_rule_id(size_t i);
/** One line describing what a built-in rule checks (for SARIF and --help),
 * or NULL when no built-in rule has that id (a "forbidden/NAME" entry is
 * described by its message: dc_policy_rule_description()). */
DC_EXTERN(const char *) dc_rule_description(const char *id);

/** The built-in default policy, as YAML text (static storage). */
DC_EXTERN(const char *) dc_policy_default_text(void);
/** The name the default policy reports in diagnostics ("<default policy>"). */
#define DC_POLICY_DEFAULT_NAME "<default policy>"

/** Parse the default policy. Returns 0 or DC_ENOMEM. */
DC_EXTERN(int) dc_policy_default(dc_policy **out);

/**
 * Parse a policy from a buffer; `name` is used in diagnostics. Returns 0;
 * DC_EPARSE on a YAML syntax error; DC_EINVALID when the policy has errors
 * (each one a diagnostic with line and column); DC_ENOMEM. *out is NULL on
 * failure.
 */
DC_EXTERN(int) dc_policy_parse(dc_policy **out, const char *name, const char *buf, size_t len,
			       dc_diags *diags);
/** Read and parse a policy file ("-" is standard input). DC_EIO when it
 * cannot be read (with a diagnostic), else as dc_policy_parse(). */
DC_EXTERN(int) dc_policy_load(dc_policy **out, const char *path, dc_diags *diags);
DC_EXTERN(void) dc_policy_free(dc_policy *p);

/* ---- a policy's rules ----------------------------------------------------------
 * A policy holds every built-in rule (off unless configured) in report
 * order, and then one rule per `forbidden` entry, id "forbidden/NAME".
 * Find a rule by id (dc_policy_rule_find()); indices are positions in this
 * policy, not rule numbers. An index >= dc_policy_rule_count() gives NULL
 * (or DC_LEVEL_OFF), never a read out of bounds. */

DC_EXTERN(size_t) dc_policy_rule_count(const dc_policy *p);
/** Rule id as reported: the YAML key, or "forbidden/NAME". */
DC_EXTERN(const char *) dc_policy_rule_id(const dc_policy *p, size_t i);
/** The built-in rule rule i is: its id, or "forbidden" for an entry. */
DC_EXTERN(const char *) dc_policy_rule_builtin(const dc_policy *p, size_t i);
DC_EXTERN(dc_level) dc_policy_rule_level(const dc_policy *p, size_t i);
/** What the rule checks, with its options ("blast radius at most 25% of the
 * services"); for forbidden entries their message. */
DC_EXTERN(const char *) dc_policy_rule_description(const dc_policy *p, size_t i);
/** Index of the rule with that id, or (size_t)-1. */
DC_EXTERN(size_t) dc_policy_rule_find(const dc_policy *p, const char *id);

/* ---- waivers -------------------------------------------------------------------
 * A waiver accepts the findings of one rule about one subject, for a reason
 * and optionally until a date (dc_violations_waive(), depcheck/check.h).
 * Its rule must be a rule of the policy (a built-in id or "forbidden/NAME");
 * subject and reason are required, non-empty strings; expires is a date
 * YYYY-MM-DD (the waiver holds through that day). */
typedef struct {
	const char *rule;     /**< rule id */
	const char *subject;  /**< the findings' subject key, as check's JSON "key"
				   prints it, or "SERVICE" / "SERVICE -> TARGET" by display name */
	const char *reason;   /**< why it is accepted (shown with every waived finding) */
	const char *expires;  /**< "YYYY-MM-DD", or NULL: never */
	dc_location loc;      /**< the waiver's entry in the policy file */
} dc_waiver;

/** How many waivers the policy has. */
DC_EXTERN(size_t) dc_policy_waiver_count(const dc_policy *p);
/** Waiver i, in file order, or NULL when i >= dc_policy_waiver_count(). */
DC_EXTERN(const dc_waiver *) dc_policy_waiver(const dc_policy *p, size_t i);

#endif
