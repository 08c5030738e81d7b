/*
 * depcheck/chaos.h - chaos experiments that test the model's predictions,
 * and the verification of what the experiments observed (docs/chaos.md).
 *
 * An experiment is one fault a chaos tool can inject:
 *  - kill a service (every pod of it): DC_EXP_KILL;
 *  - cut the calls of one service to another (a network partition, or a
 *    delay longer than the caller's timeout): DC_EXP_PARTITION;
 *  - lose a zone: DC_EXP_ZONE.
 * Each one carries the model's prediction for every entrypoint: the state
 * it ends in and its time to impact (docs/model.md). A partition of
 * caller -> callee is predicted as the caller losing that callee alone: the
 * caller is a DEGRADED seed when the edge is soft (the hang cost of the
 * edge later), a DOWN seed when it is hard.
 *
 * dc_experiments_plan() knows every experiment the catalog allows (every
 * service, every caller -> callee pair, every zone: linear in the catalog)
 * and picks the candidates worth running, each for a reason:
 *  - DC_EXP_WHY_SPOF: killing a single point of failure (an entrypoint is
 *    predicted DOWN);
 *  - DC_EXP_WHY_SOFT_EDGE: partitioning a declared-soft edge whose caller
 *    an entrypoint needs (the caller is in its importance rows): predicted
 *    degraded, not down;
 *  - DC_EXP_WHY_ANY_OF: killing one member of an any_of group (the member
 *    the group's consumer ranks highest): predicted degraded;
 *  - DC_EXP_WHY_ZONE: losing a zone.
 * Candidates are ranked by importance as `depcheck availability` computes it
 * (dc_availability_importance): the largest Birnbaum importance, over the
 * entrypoints, of the service whose failure the experiment risks (the killed
 * service; the caller of a soft edge; the consumer of an any_of group; the
 * most important service of the zone), then the largest Fussell-Vesely
 * importance, then the reason (in the order above), then the id.
 *
 * Ids are stable, unique, and valid Kubernetes names (lowercase letters,
 * digits and '-', at most 63 characters): "kill-NAME", "partition-CALLER--
 * CALLEE", "zone-ZONE", the names lowercased with every other character
 * turned into '-'; a name that changed or was cut gets "-" and 8 hex
 * digits of the SHA-256 of the exact name(s) appended.
 *
 * Ownership: the plan borrows the graph (free the plan first); everything
 * returned is borrowed from the plan and valid until it is freed.
 */
#ifndef DEPCHECK_CHAOS_H
#define DEPCHECK_CHAOS_H

#include "availability.h"
#include "impact.h"

typedef enum {
	DC_EXP_KILL = 0,       /**< every pod of `service` fails */
	DC_EXP_PARTITION = 1,  /**< calls from `service` to `target` fail (hang) */
	DC_EXP_ZONE = 2        /**< zone `zone` fails */
} dc_experiment_action;

typedef enum {
	DC_EXP_WHY_NONE = 0,      /**< not a candidate (only found by id) */
	DC_EXP_WHY_SPOF = 1,
	DC_EXP_WHY_SOFT_EDGE = 2,
	DC_EXP_WHY_ANY_OF = 3,
	DC_EXP_WHY_ZONE = 4
} dc_experiment_reason;

/** "kill", "partition", "zone"; NULL for an unknown value. */
DC_EXTERN(const char *) dc_experiment_action_name(dc_experiment_action a);
/** "none", "spof", "soft-edge", "any-of", "zone"; NULL for an unknown value. */
DC_EXTERN(const char *) dc_experiment_reason_name(dc_experiment_reason r);

/** What the model predicts for one entrypoint. */
typedef struct {
	dc_id entrypoint;
	dc_state state;
	uint64_t time_ms;     /**< time to impact; DC_TIME_NONE when UP */
} dc_prediction;

typedef struct {
	const char *id;
	dc_experiment_action action;
	dc_experiment_reason reason;
	dc_id service;        /**< KILL: the service; PARTITION: the caller; ZONE: DC_NO_ID */
	dc_id target;         /**< PARTITION: the callee; else DC_NO_ID */
	uint32_t dep;         /**< PARTITION: the first dependency caller -> callee (the
	                           hang cost of its edge); ANY_OF: the consumer's group
	                           edge to the killed member; else UINT32_MAX */
	const char *zone;     /**< ZONE: the zone; else NULL */
	double birnbaum;      /**< the ranking key (0 without importance) */
	double fussell_vesely;
} dc_experiment;

typedef struct dc_experiments dc_experiments;

typedef struct {
	unsigned int version;              /**< DC_EXPERIMENTS_OPTIONS_VERSION */
	dc_failure_mode mode;              /**< how a failed service fails its callers */
	const dc_availability *availability; /**< importance for the ranking, computed on the
	                                        same graph; NULL: every score is 0 (ranked
	                                        by reason, then id) */
} dc_experiments_options;

#define DC_EXPERIMENTS_OPTIONS_VERSION 1
#define DC_EXPERIMENTS_OPTIONS_INIT { DC_EXPERIMENTS_OPTIONS_VERSION, DC_FAILURE_HANG, NULL }

/** Plan on g. opts may be NULL. Returns 0, DC_EINVALID (NULL g, bad options
 * version or mode) or DC_ENOMEM. */
DC_EXTERN(int) dc_experiments_plan(dc_experiments **out, const dc_graph *g,
				   const dc_experiments_options *opts);
DC_EXTERN(void) dc_experiments_free(dc_experiments *x);
/** The graph the plan was made on. */
DC_EXTERN(const dc_graph *) dc_experiments_graph(const dc_experiments *x);
/** The failure mode the predictions use. */
DC_EXTERN(dc_failure_mode) dc_experiments_mode(const dc_experiments *x);

/** Candidates, in rank order (riskiest first). */
DC_EXTERN(size_t) dc_experiments_count(const dc_experiments *x);
/** Candidate i (borrowed), NULL when i is out of range. */
DC_EXTERN(const dc_experiment *) dc_experiments_get(const dc_experiments *x, size_t i);
/** Any experiment the catalog allows, candidate or not, by its id
 * (borrowed), or NULL when no experiment has that id. */
DC_EXTERN(const dc_experiment *) dc_experiments_find(const dc_experiments *x, const char *id);

/**
 * The prediction of experiment e (from this plan) for every entrypoint, in
 * ascending id order, into (*rows)[0..n): borrowed until the next call on
 * x (a scratch buffer; not thread-safe). Returns n, or 0 for an e of
 * another plan or on allocation failure (*rows NULL).
 */
DC_EXTERN(size_t) dc_experiment_predict(dc_experiments *x, const dc_experiment *e,
					const dc_prediction **rows);

/* ---- verification ---------------------------------------------------------
 * What happened in the experiments, read from a results file (JSON or CSV,
 * docs/chaos.md), compared with the predictions. Findings:
 *  - DC_FINDING_SOFT_EDGE_HARD: a partition of a soft edge took entrypoints
 *    down as if the edge were hard (the "edge hard" prediction explains it);
 *    fix: turn the edge hard;
 *  - DC_FINDING_ANY_OF_NOT_REDUNDANT: killing an any_of member took
 *    entrypoints down as if the consumer needed that member alone; fix: a
 *    hard dependency of the consumer on the member;
 *  - DC_FINDING_STATE: another state than predicted, not explained by one
 *    of the above (no fix proposed);
 *  - DC_FINDING_TIME: the state as predicted but the time to impact off by
 *    more than the tolerance: |observed - predicted| > max(tolerance_ms,
 *    tolerance_ratio x predicted) (no fix proposed: the timeouts or retries
 *    on the chain are not what the catalog says).
 * One finding per experiment and kind, listing the entrypoints concerned. */

typedef enum {
	DC_FINDING_SOFT_EDGE_HARD = 0,
	DC_FINDING_ANY_OF_NOT_REDUNDANT = 1,
	DC_FINDING_STATE = 2,
	DC_FINDING_TIME = 3
} dc_finding_kind;

/** "soft-edge-behaved-hard", "any-of-not-redundant", "state-differs",
 * "time-to-impact"; NULL for an unknown value. */
DC_EXTERN(const char *) dc_finding_kind_name(dc_finding_kind k);

/** One entrypoint of a finding: predicted against observed. */
typedef struct {
	dc_id entrypoint;
	dc_state predicted, observed;
	uint64_t predicted_ms, observed_ms;   /**< DC_TIME_NONE: UP, or not given */
} dc_observation;

typedef struct {
	dc_finding_kind kind;
	const dc_experiment *experiment;
	uint32_t dep;         /**< SOFT_EDGE_HARD: the edge; ANY_OF: the consumer's group edge
	                           to the member; else UINT32_MAX */
	const dc_observation *rows;
	size_t nrows;
} dc_finding;

typedef struct {
	unsigned int version;    /**< DC_VERIFY_OPTIONS_VERSION */
	uint64_t tolerance_ms;   /**< absolute tolerance of a time to impact */
	double tolerance_ratio;  /**< relative tolerance (of the prediction) */
} dc_verify_options;

#define DC_VERIFY_OPTIONS_VERSION 1
#define DC_VERIFY_OPTIONS_INIT { DC_VERIFY_OPTIONS_VERSION, 1000, 0.5 }

typedef struct dc_verification dc_verification;

/**
 * Read results (`name` for messages; buf[0..len)) and compare them with the
 * predictions of plan x. JSON when the first non-blank character is '{',
 * else CSV. A problem in the file (syntax, an unknown experiment id or
 * entrypoint, a bad state or time) is a diagnostic at its line and column
 * in `diags` (may be NULL) and DC_EPARSE / DC_EINVALID. Returns 0,
 * DC_EINVALID (also bad options), DC_EPARSE or DC_ENOMEM.
 */
DC_EXTERN(int) dc_verify(dc_verification **out, dc_experiments *x, const char *name,
			 const char *buf, size_t len, const dc_verify_options *opts, dc_diags *diags);
DC_EXTERN(void) dc_verification_free(dc_verification *v);
/** Findings, by experiment in file order, then kind. */
DC_EXTERN(size_t) dc_verification_findings(const dc_verification *v, const dc_finding **f);
/** Experiments the file reported on, and entrypoint observations read. */
DC_EXTERN(size_t) dc_verification_experiment_count(const dc_verification *v);
DC_EXTERN(size_t) dc_verification_observation_count(const dc_verification *v);
/** The ids of the experiments the file reported on, in file order (borrowed). */
DC_EXTERN(const char *) dc_verification_experiment_id(const dc_verification *v, size_t i);
/** The plan it was verified against. */
DC_EXTERN(const dc_experiments *) dc_verification_plan(const dc_verification *v);
/** The options it ran with (tolerances). */
DC_EXTERN(const dc_verify_options *) dc_verification_options(const dc_verification *v);

/* ---- results on record ----------------------------------------------------
 * The experiments results files report on, with the day each ran, read
 * without a plan: for `depcheck check`'s unverified-predictions rule
 * (dc_check_options.results), which gates on the age of the newest result
 * of each critical prediction. The files are the ones dc_verify() reads; an
 * experiment may carry "date" (JSON) or a `date` column (CSV): a day
 * YYYY-MM-DD or an RFC 3339 timestamp, kept as its UTC day. Syntax, states,
 * times and dates are checked as dc_verify() checks them; ids and
 * entrypoint names are not (a history of results may name experiments of
 * services removed since): they are matched by id. */

typedef struct {
	const char *id;       /**< the experiment id as written */
	const char *date;     /**< the UTC day it ran, "YYYY-MM-DD", or NULL: none given */
	dc_location loc;      /**< the entry: JSON its "id", CSV its line */
} dc_result;

typedef struct dc_results dc_results;

/** An empty record. Returns 0, DC_EINVALID (NULL out) or DC_ENOMEM. */
DC_EXTERN(int) dc_results_new(dc_results **out);
DC_EXTERN(void) dc_results_free(dc_results *r);
/**
 * Read one results file (`name` for messages and locations; buf[0..len))
 * and append its experiment entries (JSON: one per experiment; CSV: one
 * per line). A problem is a diagnostic at its line and column in `diags`
 * (may be NULL) and nothing of the file is appended. Returns 0,
 * DC_EINVALID, DC_EPARSE or DC_ENOMEM.
 */
DC_EXTERN(int) dc_results_read(dc_results *r, const char *name, const char *buf, size_t len,
			       dc_diags *diags);
/** dc_results_read() of a file ("-": standard input, named "<stdin>"; at
 * most 64 MiB). Returns as dc_results_read(), or DC_EIO / DC_ELIMIT with a
 * diagnostic when it cannot be read. */
DC_EXTERN(int) dc_results_read_file(dc_results *r, const char *path, dc_diags *diags);
/** Entries read, in file order, file after file. */
DC_EXTERN(size_t) dc_results_count(const dc_results *r);
/** Entry i (borrowed), or NULL when i >= dc_results_count(). */
DC_EXTERN(const dc_result *) dc_results_get(const dc_results *r, size_t i);

#endif
