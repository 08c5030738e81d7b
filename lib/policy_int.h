/*
 * policy_int.h - the rule table and the parsed policy, shared by policy.c
 * (the policy document), rules.c (the table: every rule's options, text
 * and check) and check.c (the violation list and the dc_check() driver).
 * Not installed.
 *
 * A rule is one entry of dc__rules[] (rules.c): its id, what it checks,
 * its place in the default policy, its options (a private struct per rule,
 * with its defaults and its parser) and its check function. Nothing else
 * in lib/ names a rule: the parser, the default policy, --print-default-
 * policy, the "unknown rule" message and dc_check() all walk the table.
 */
#ifndef DC_POLICY_INT_H
#define DC_POLICY_INT_H

#include <depcheck/check.h>

#include <stdarg.h>
#include "doc.h"
#include "util.h"

typedef struct dc__rule dc__rule;
typedef struct pol_rule pol_rule;
typedef struct pctx pctx;
typedef struct ck ck;

/* ---- the policy --------------------------------------------------------------- */

/* One rule of a policy: a built-in rule of the table (off unless the
 * policy configures it), or one entry of a list rule ("forbidden/NAME"). */
struct pol_rule {
	const dc__rule *def;   /* its table entry */
	char *id;              /* "tier", "forbidden/NAME" */
	char *description;     /* with its options ("... at most 25% of the services") */
	dc_level level;
	void *opts;            /* def->opts_size bytes: the rule's own options struct */
};

/* A block some rule's options point into (a selector node), owned by the
 * policy so that a parse that fails half-way frees what it built. */
typedef struct {
	void *block;
	void (*free)(void *);
} pol_owned;

struct dc_policy {
	DC_VEC(pol_rule) rules;  /* the table's rules in table order, then list entries */
	DC_VEC(pol_owned) owned; /* freed after the rules */
	DC_VEC(dc_waiver) waivers; /* strings owned (loc.file is `file`) */
	char *file;              /* the policy's name in diagnostics and waiver locations */
};

/* ---- parsing (policy.c) ----------------------------------------------------- */

struct pctx {
	dc_policy *p;
	const char *file;
	dc_diags *diags;
	int errors;
	int nomem;
};

/* An error at `at` (NULL: no position); counts it, never stops the parse. */
#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
void dc__policy_error(pctx *c, const doc_node *at, const char *fmt, ...);
/* strdup that records out-of-memory in c. */
char *dc__policy_strdup(pctx *c, const char *s);
/* A severity (error, warning, off) into *out; -1 with an error otherwise. */
int dc__policy_level(pctx *c, const doc_node *n, dc_level *out);
/* Hand a block to the policy (freed with `fn` by dc_policy_free()); on
 * failure it is freed at once and c->nomem set. Returns 0 or -1. */
int dc__policy_own(pctx *c, void *block, void (*fn)(void *));
/* A new rule of `def` appended to the policy, off, its options at their
 * defaults; NULL (c->nomem set) out of memory. The pointer is valid until
 * the next rule is added. */
pol_rule *dc__policy_add_rule(pctx *c, const dc__rule *def, const char *id);
/* A date "YYYY-MM-DD" (a real day of the Gregorian calendar) as
 * YYYYMMDD in *out. Returns 0 or -1. */
int dc__date_parse(const char *s, long *out);
/* Set r->description from the rule's options (def->describe). */
void dc__policy_describe(pctx *c, pol_rule *r);

/* ---- checking (check.c) ----------------------------------------------------- */

struct ck {
	dc_violations *out;
	const dc_graph *g;
	const dc_catalog *cat;
	const dc_analysis *a;    /* set when a rule with RULE_NEEDS_ANALYSIS is on */
	const pol_rule *r;       /* the rule being checked */
	const dc_check_options *opts;  /* NULL or valid (version checked) */
	const dc_observed *observed;   /* NULL: rules with RULE_NEEDS_OBSERVED do not run */
	int nomem;
	int failed;              /* a rule could not be evaluated: dc_check fails (DC_ELIMIT) */
	char key[1024];          /* dc__report()'s key buffer for check functions */
};

/* dc_violations_add() with the message made from fmt and *ap, and only
 * when the list keeps the finding (dc_violations_keep()): most of what a
 * million services find is counted, not listed, and never formatted. */
int dc__violations_addv(dc_violations *v, const char *rule, dc_level level, const char *service,
			const char *target, const char *key, dc_location loc, const char *fmt, va_list *ap);

/* A rule could not be evaluated (its matcher gave up): an error
 * diagnostic (to dc_check_options.diags, version 4) and dc_check returns
 * DC_ELIMIT, so the gate never passes because analysis gave up. */
#ifdef __GNUC__
__attribute__((format(printf, 2, 3)))
#endif
void dc__check_failed(ck *c, const char *fmt, ...);

/* The findings of the policy's waivers that are no rule of the table
 * (dc_violations_waive): "expired-waiver", "unused-waiver". Their one-line
 * description, or NULL for any other id. */
const char *dc__waiver_rule_summary(const char *id);

/* ---- the rule table (rules.c) ----------------------------------------------- */

enum {
	RULE_NEEDS_ANALYSIS = 1, /* reads dc_analyze() results: computed when one is on */
	RULE_NEEDS_OBSERVED = 2, /* runs only with dc_check_options.observed */
	RULE_LIST = 4,           /* a list of named entries ("forbidden"), no rule of its own */
	RULE_NEEDS_TRAFFIC = 8   /* finds nothing unless a service declares traffic_rps */
};

struct dc__rule {
	const char *id;          /* the YAML key, and the id violations report */
	const char *summary;     /* what it checks, options unsaid (SARIF, --help) */
	/* Its place in the default policy (dc_policy_default_text()): the
	 * comment above it (lines without "# ", or NULL) and its setting, which
	 * sets its default severity. */
	const char *doc;
	const char *setting;
	unsigned flags;          /* RULE_* */
	unsigned parts;          /* with RULE_NEEDS_ANALYSIS: the DC__AN_* parts it reads */
	/* Options: a struct of opts_size bytes (0: none), set by init() to
	 * the defaults a rule given by its severity alone takes. */
	size_t opts_size;
	void (*init)(void *opts);
	/* The option names for "unknown option" messages ("max"; NULL none)
	 * and the parser of one option: returns 0 when `key` is not one of
	 * them, 1 when handled (reporting a bad value with dc__policy_error). */
	const char *options;
	int (*option)(pctx *c, pol_rule *r, const char *key, const doc_node *v);
	/* RULE_LIST: parses the whole value (a list), adding one rule per
	 * entry with dc__policy_add_rule(). */
	void (*parse_list)(pctx *c, const dc__rule *def, const doc_node *v);
	/* The description with the options (NULL: summary). */
	void (*describe)(const pol_rule *r, char *buf, size_t size);
	void (*fini)(void *opts);  /* frees what options own (NULL: nothing) */
	void (*check)(ck *c);      /* reports through dc__report() */
};

extern const dc__rule dc__rules[];
extern const size_t dc__rule_count;
/* The table entry with that id, or NULL. */
const dc__rule *dc__rule_find(const char *id);

/* A violation of c->r at `loc`: subject s (target t or DC_NO_ID), subject
 * key `key` (NULL: "s" or "s -> t" by display name; see check.h). */
#ifdef __GNUC__
__attribute__((format(printf, 6, 7)))
#endif
void dc__report(ck *c, dc_id s, dc_id t, const char *key, dc_location loc, const char *fmt, ...);
/* For a finding whose message takes work to make (origins, paths): 1
 * when the list only counts it (dc_violations_keep: it comes after the
 * findings of its rule the list keeps), and it is counted now: do not
 * report it. 0: report it with dc__report() (nothing counted yet). The
 * arguments are dc__report()'s. */
int dc__report_counted(ck *c, dc_id s, dc_id t, const char *key, dc_location loc);
/* Before making a finding's key: 1 when a finding of c->r at `loc` is
 * only counted whatever its key (the list keeps the first findings of each
 * rule, has no waivers to match, and the rule's kept ones all come before
 * this place), and it is counted now: do not report it. 0: go on with
 * dc__report() or dc__report_counted() (nothing counted yet). */
int dc__report_skip(ck *c, dc_location loc);
/* A service in subject keys: its full reference, or the caller's name for
 * it (dc_check_options.key_name). */
const char *dc__key_ref(const ck *c, dc_id s);

/* From analyze.c, for rules that walk the amplification paths without
 * copying them: the dependency by which the largest amplification factor
 * reaches service s (its component's best incoming edge), or UINT32_MAX
 * (an entrypoint, unreached, or s out of range). Following these edges
 * from service to caller is dc_analysis_amplification_path() one step at
 * a time, so a walk can stop where an earlier one passed. */
uint32_t dc__analysis_amp_edge(const dc_analysis *a, dc_id s);

/* dc_analyze() computing only some of its parts (the others read as empty:
 * no cycles, no blast radii, ...), for dc_check: the union of the parts
 * of the rules that are on (dc__rule.parts). dc_analyze() is all of them. */
enum {
	DC__AN_CYCLES = 1,           /* cycles over runtime edges (DC_EDGES_ALL) */
	DC__AN_HARD_CYCLES = 2,      /* DC_EDGES_HARD_ONLY */
	DC__AN_STARTUP_CYCLES = 4,   /* DC_EDGES_STARTUP */
	DC__AN_BLAST = 8,            /* the blast sweep's counts (dc_analysis_blast) */
	DC__AN_SPOFS = 16,           /* the blast sweep with the SPOFs, their lists */
	DC__AN_AMP = 32,             /* retry amplification */
	DC__AN_TIMEOUTS = 64,        /* timeout-budget violations */
	DC__AN_LOAD = 128,           /* retry storm risks */
	DC__AN_REPORT = 256,         /* the rest: depth, longest hard chain, hubs, blast order */
	DC__AN_ALL = 511
};
int dc__analyze_parts(dc_analysis **out, const dc_graph *g, const dc_analyze_options *opts, unsigned parts);

/* The default policy's text is built from the table once; it fits here. */
#define DC__DEFAULT_TEXT_MAX 16384

#endif
