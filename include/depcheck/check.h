/*
 * depcheck/check.h - checking a catalog against a policy (`depcheck check`,
 * the CI gate) and comparing the findings with a baseline.
 *
 * dc_check() turns a policy (depcheck/policy.h) and the results of
 * dc_analyze() into a list of violations. Each violation names its rule,
 * severity, subject service (and dependency target where there is one),
 * and the source location of the exact descriptor entry that causes it:
 * the `depends_on` / relation entry for dependency rules, the service's
 * definition for service rules.
 *
 * Every violation also carries a *subject key*: what it is about,
 * independent of line numbers and file layout ("checkout -> payments-db",
 * the sorted members of a cycle, a service and a missing field). A
 * baseline matches violations by (rule, key), so moving, reordering or
 * editing unrelated parts of the descriptors never re-triggers old debt,
 * and a `depcheck diff` can list the violations a change adds.
 *
 * Other analyses can add their own findings (dc_violations_add(), e.g. the
 * undeclared dependencies `reconcile` observes) and they are reported,
 * baselined and formatted like policy violations.
 *
 * Ownership: a violation list owns its strings; pointers returned by
 * dc_violations_get() stay valid until the list is changed or freed.
 */
#ifndef DEPCHECK_CHECK_H
#define DEPCHECK_CHECK_H

#include "analyze.h"
#include "chaos.h"
#include "policy.h"
#include "reconcile.h"

/** One violation. */
typedef struct {
	const char *rule;     /**< rule id: "tier", "forbidden/NAME", ... */
	dc_level level;       /**< DC_LEVEL_WARNING or DC_LEVEL_ERROR */
	const char *message;  /**< one line */
	const char *service;  /**< subject service (display name); never NULL */
	const char *target;   /**< dependency target (display name), or NULL */
	const char *key;      /**< subject key for baselines (see above); never NULL */
	dc_location loc;      /**< file NULL when the subject has no position */
	const char *waived;   /**< the reason of the policy waiver that accepts it
				   (dc_violations_waive()), or NULL */
} dc_violation;

typedef struct dc_violations dc_violations;

DC_EXTERN(int) dc_violations_new(dc_violations **out);
DC_EXTERN(void) dc_violations_free(dc_violations *v);
/** The violations the list keeps (all of them unless dc_violations_keep()). */
DC_EXTERN(size_t) dc_violations_count(const dc_violations *v);
/** Violation i, or NULL when i >= dc_violations_count(). */
DC_EXTERN(const dc_violation *) dc_violations_get(const dc_violations *v, size_t i);
/** Every violation added, kept or not (dc_violations_keep()), waived ones included. */
DC_EXTERN(size_t) dc_violations_total(const dc_violations *v);
/** Violations of that level, kept or not, waived ones left out. */
DC_EXTERN(size_t) dc_violations_count_level(const dc_violations *v, dc_level level);
/** Violations a waiver accepts (dc_violation.waived set), kept or not. */
DC_EXTERN(size_t) dc_violations_count_waived(const dc_violations *v);
/** Violations of rule id `rule`, kept or not; waived ones only when
 * `waived_too`. 0 for a rule without any (or NULL arguments). */
DC_EXTERN(size_t) dc_violations_count_rule(const dc_violations *v, const char *rule, int waived_too);

/**
 * Keep at most `per_rule` violations of each rule id from now on: the
 * first ones in dc_violations_sort() order, exactly those a report that
 * lists the first `per_rule` of each rule shows (`check`'s text and JSON;
 * at a million services a check finds millions, and keeping them all
 * takes gigabytes). The others are counted, not kept: dc_violations_total(),
 * _count_level(), _count_waived(), _count_rule() and dc_violations_gate()
 * count every violation added; dc_violations_count() and _get() see the
 * kept ones. 0 keeps every one (the default). A violation is compared
 * before its message is made, so one not kept costs no formatting.
 *
 * Waivers decide what counts, so with a list that keeps only some they
 * must be known as violations come: `waivers` (may be NULL: none) is the
 * policy whose waivers are applied to each violation added, on the day
 * `today` (NULL: the current date, UTC); dc_violations_waive() must still
 * be called last, with the same policy and day, to add the expired-waiver
 * and unused-waiver findings.
 *
 * A list that left violations out cannot be compared: dc_violations_match()
 * finds nothing known in it, dc_violations_compare() and _subtract()
 * return DC_EINVALID, and so does dc_violations_add_input_errors() when
 * there is an input error to add (it could be one a violation not kept
 * reports already). Call it on a new list. Returns 0, DC_EINVALID (NULL v,
 * a list that has violations, `today` not a date) or DC_ENOMEM.
 */
DC_EXTERN(int) dc_violations_keep(dc_violations *v, size_t per_rule, const dc_policy *waivers, const char *today);

/**
 * Add a finding (copied). `target` may be NULL; `key` NULL means a key made
 * of the service and the target ("a" or "a -> b"), which is what most
 * dependency findings want. `loc.file` may be NULL. Returns 0, DC_EINVALID
 * (NULL rule, service or message, or level off) or DC_ENOMEM.
 */
DC_EXTERN(int) dc_violations_add(dc_violations *v, const char *rule, dc_level level,
				 const char *service, const char *target, const char *key,
				 dc_location loc, const char *message);

/** Sort for reporting: errors first, then by file, line, column, rule and
 * key (violations without a file last), then in the order they were added. */
DC_EXTERN(void) dc_violations_sort(dc_violations *v);

/**
 * The undeclared dependencies of a reconciliation (depcheck/reconcile.h) as
 * findings of rule "undeclared-dependency" at `level`: one per observed
 * caller -> callee edge the catalog does not declare, subject key
 * "CALLER -> CALLEE" by full reference (the observed name for a callee the
 * catalog does not know), the call count and where it was observed in the
 * message. There is no descriptor line for a dependency nobody declared:
 * the location is the caller's definition. `r` must come from `g` and
 * `obs`. Returns 0, DC_EINVALID (NULL argument, level off) or DC_ENOMEM.
 */
DC_EXTERN(int) dc_violations_add_undeclared(dc_violations *out, const dc_graph *g, const dc_observed *obs,
					    const dc_reconcile *r, dc_level level);

/**
 * The error diagnostics of loading and finalizing a catalog (wrong types,
 * duplicates, unknown references...) as findings of rule "valid-input" at
 * `level`, each at its file:line:column: the gate never passes input that
 * `depcheck validate` rejects. Subject service: the file; subject key
 * "FILE: message" (a baseline matches the same problem in the same file,
 * whatever its line). An error at the position of a finding already in
 * `out` (the unresolved-references rule reports unknown references itself)
 * is not added twice: call it after dc_check(). Returns 0, DC_EINVALID
 * (NULL argument, level off) or DC_ENOMEM.
 */
DC_EXTERN(int) dc_violations_add_input_errors(dc_violations *out, const dc_diags *diags, dc_level level);

typedef struct {
	unsigned int version;           /**< DC_CHECK_OPTIONS_VERSION (1 to 5) */
	unsigned int flags;             /**< reserved, 0 */
	/* version 2: */
	const dc_observed *observed;    /**< calls observed in production for the
					     undeclared-dependency rule; NULL: the rule does not run */
	uint64_t min_calls;             /**< observed edges with fewer calls are noise (0 = 1) */
	/** The name subject keys use for a service, or NULL for its full
	 * reference (dc_service_ref). `depcheck diff` names base services by
	 * their head counterparts, so a catalog moved between formats (native
	 * names, Backstage references) compares service by service. The string
	 * must live until dc_check() returns. The payload comes last, as in
	 * every callback of the library. (Version 3 changed nothing but that
	 * order, which version 2 had first; options of version 2 and 3 are now
	 * read alike.) */
	const char *(*key_name)(dc_id service, void *payload);
	void *key_ctx;                  /**< the payload passed to key_name */
	/* version 4: */
	/** Where dc_check() says why it failed closed (DC_ELIMIT: a rule could
	 * not be evaluated, e.g. its regular expression matcher ran out of
	 * memory), naming the rule; may be NULL. */
	dc_diags *diags;
	unsigned int threads;           /**< threads of the blast sweep when the analysis is
					     computed here (dc_analyze_options.threads); 0 = every
					     online CPU; the results do not depend on it */
	/* version 5: */
	/** Chaos experiment results on record (depcheck/chaos.h) for the
	 * unverified-predictions rule; NULL: none, so every critical
	 * prediction is unverified. */
	const dc_results *results;
	/** The day ages are measured from, "YYYY-MM-DD"; NULL: the current
	 * date (UTC). (Waivers take theirs as dc_violations_waive()'s argument.) */
	const char *today;
} dc_check_options;

#define DC_CHECK_OPTIONS_VERSION 5
#define DC_CHECK_OPTIONS_INIT { DC_CHECK_OPTIONS_VERSION, 0, NULL, 1, NULL, NULL, NULL, 0, NULL, NULL }

/**
 * Check the graph's catalog against the policy and append the violations
 * to `out` (sorted afterwards). `a` is dc_analyze() of the same graph (the
 * caller's responsibility), or NULL to have it computed here when an enabled
 * rule needs it (cycles, blast radius, retry amplification, timeout budget,
 * SPOFs): then only the parts those rules read, and no DEGRADED count
 * (DC_ANALYZE_NO_DEGRADED), with the same findings. opts may be NULL. The undeclared-dependency rule runs only with
 * opts->observed (reconciled here, as dc_reconcile_compute() with
 * opts->min_calls). Options of any version from 1 to DC_CHECK_OPTIONS_VERSION
 * are read as that version. Returns 0, DC_EINVALID (NULL arguments, options
 * version 0 or newer than this library, opts->today not a date), DC_ENOMEM, or DC_ELIMIT when a rule
 * could not be evaluated (its matcher gave up; opts->diags, version 4, says
 * which): the check fails closed, never passes because analysis gave up.
 */
DC_EXTERN(int) dc_check(dc_violations *out, const dc_graph *g, const dc_analysis *a,
			const dc_policy *policy, const dc_check_options *opts);

/**
 * Match `head` against `base` by (rule, key), counting duplicates: each
 * base violation matches at most one head violation. known[i] (one byte
 * per head violation) is set to 1 when head violation i is also in the
 * base, else 0. Returns the number of known ones. known may be NULL.
 * With the lists swapped it finds what a change fixed. Out of memory, it
 * returns 0 with nothing known (a gate then reports too much, never too
 * little); dc_violations_subtract() reports DC_ENOMEM instead.
 */
DC_EXTERN(size_t) dc_violations_match(const dc_violations *base, const dc_violations *head,
				      uint8_t *known);

/**
 * What a change does to the violations (`depcheck diff`): `added` (may be
 * NULL) receives copies of the head violations the base does not have,
 * `fixed` (may be NULL) copies of the base violations head does not have,
 * both matched by (rule, key) with duplicates counted, as
 * dc_violations_match(), in their lists' order. The output lists must be
 * two other lists. Returns 0, DC_EINVALID or DC_ENOMEM (the output lists
 * may then hold part of the result).
 */
DC_EXTERN(int) dc_violations_compare(const dc_violations *base, const dc_violations *head,
				     dc_violations *added, dc_violations *fixed);

/** Remove from `head` the violations the base already has (as
 * dc_violations_match()); *ignored (may be NULL) receives how many were
 * removed. Returns 0 or DC_ENOMEM. */
DC_EXTERN(int) dc_violations_subtract(dc_violations *head, const dc_violations *base,
				      size_t *ignored);

/* ---- waivers ------------------------------------------------------------------ */

/**
 * Apply the policy's waivers (depcheck/policy.h) to `v` on the day `today`
 * ("YYYY-MM-DD"; NULL: the current date, UTC). A waiver in force (no
 * expires, or expires on or after today) accepts every finding of its rule
 * whose subject key, or "SERVICE" / "SERVICE -> TARGET" by display name,
 * is its subject: the finding stays in the list with `waived` set to the
 * waiver's reason, and no longer counts (dc_violations_count_level) or
 * fails the gate (dc_violations_gate). An expired waiver accepts nothing
 * and is itself a finding of rule "expired-waiver" (error), and a waiver
 * in force that accepts nothing is a finding of rule "unused-waiver"
 * (warning), both at the waiver's entry in the policy file, subject key
 * "RULE: SUBJECT". Of two waivers with the same rule and subject, the
 * first one applies. Call it once, after every finding is in `v`. On a
 * list of dc_violations_keep() with waivers, the waivers were applied as
 * findings came: give the same policy (and day, or NULL for the day
 * dc_violations_keep() took). Returns 0, DC_EINVALID (NULL
 * v or p, `today` not a date, a policy or day other than dc_violations_keep()'s,
 * or a list that left findings out without knowing the waivers) or DC_ENOMEM.
 */
DC_EXTERN(int) dc_violations_waive(dc_violations *v, const dc_policy *p, const char *today);

/* ---- the gate ---------------------------------------------------------------- */

/** Whether a violation of level `l` fails a gate set at `fail_on`: at or
 * above it; DC_LEVEL_OFF as fail_on never fails. */
DC_EXTERN(int) dc_level_fails(dc_level l, dc_level fail_on);

/** The gate of `depcheck check`: 1 when a violation of v at or above
 * `fail_on` remains (dc_level_fails) that no waiver accepts, else 0. NULL v: 0. Writers print the
 * decision (dc_violations_report.failed); they do not make it. */
DC_EXTERN(int) dc_violations_gate(const dc_violations *v, dc_level fail_on);

#endif
