/*
 * policy_int.h - the parsed policy, shared by policy.c (parsing) and
 * check.c (evaluation). Not installed.
 */
#ifndef DC_POLICY_INT_H
#define DC_POLICY_INT_H

#include <depcheck/policy.h>
#include <regex.h>
#include "util.h"

/* Selectors of `forbidden` entries: a tree, evaluated per service. */
enum { SEL_AND = 0, SEL_OR, SEL_NOT, SEL_NAME, SEL_SYSTEM, SEL_OWNER, SEL_TIER, SEL_TAG };

typedef struct pol_sel pol_sel;
struct pol_sel {
	int kind;
	regex_t re;            /* SEL_NAME */
	int has_re;
	char **values;         /* SEL_SYSTEM, SEL_OWNER, SEL_TAG: any of these */
	long long *tiers;      /* SEL_TIER: any of these */
	size_t nvalues;
	pol_sel **kids;        /* SEL_AND, SEL_OR, SEL_NOT (one kid) */
	size_t nkids;
};

/* Required fields (bit per field). */
enum {
	FIELD_OWNER = 1, FIELD_SYSTEM = 2, FIELD_TIER = 4, FIELD_DESCRIPTION = 8, FIELD_SLO = 16,
	FIELD_ZONES = 32, FIELD_TAGS = 64, FIELD_AVAILABILITY = 128, FIELD_LATENCY = 256,
	FIELD_REPLICAS = 512
};
extern const char *const pol_field_names[];  /* by bit index, NULL-terminated */

typedef struct {
	char *id;              /* "tier", "forbidden/NAME" */
	char *description;
	dc_rule_kind kind;
	dc_level level;
	double max;            /* max-* rules */
	int percent;           /* max-blast-radius: max is a percentage */
	int tier1_only;        /* no-spof */
	unsigned fields;       /* required-fields: FIELD_* */
	pol_sel *from, *to;    /* forbidden: NULL = any service */
	int dep_kind;          /* forbidden: -1 any, else dc_dep_kind */
	char *message;         /* forbidden */
	double min_avail;      /* min-availability: the target, or -1 for each entrypoint's slo */
	uint64_t trials;       /* min-availability: Monte Carlo trials */
	uint64_t seed;         /* min-availability: random seed (fixed: the gate is reproducible) */
} pol_rule;

struct dc_policy {
	DC_VEC(pol_rule) rules;
	DC_VEC(pol_sel *) sels;  /* every selector node, for freeing */
};

#endif
