/*
 * report.c - the HTML report (include/depcheck/report.h).
 *
 * The page is a template (lib/report/report.html, with the style sheet
 * and the script beside it, compiled in as strings by
 * lib/report/embed.cmake) with four slots: the title, the map (an inline
 * SVG from lib/report_map.c), the data and nothing else. Every number and
 * name the page shows comes from the data block, a JSON document written
 * here with the streaming writer and made safe for a <script> element
 * (`<`, `>`, `&`, U+2028 and U+2029 escaped as \uXXXX: JSON allows them
 * only inside strings, where the escapes mean the same). The script
 * inserts text with textContent only.
 *
 * Data, in the order written (the script's contract, lib/report/report.js):
 *   summary, groups, map, services (one object per dense id), deps (per
 *   service: target, flags pairs; flags 1 soft, 2 any_of), cascade (per
 *   service: [down ids, degraded ids], each a string of the ids ascending,
 *   delta-encoded in base 36 - the first id, then the gaps - without the
 *   failed service itself; null when over the budget), and sections: a
 *   list of {id, title, intro, tables} the page draws the same way
 *   (columns typed svc / svcs / text / num / loc, rows as arrays, at most
 *   TABLE_MAX of `total`). Each section is written by its own function
 *   below: services, findings, check (the policy's violations, always),
 *   plan, availability (only when asked: Monte Carlo time); and first,
 *   when the options carry a load model's result, load: the scenario's
 *   facts as [label, text] pairs ("facts"), its tables (overloaded
 *   services, retries adding load, what stays overloaded after the
 *   trigger and the retries that sustain it) and "map": true when the
 *   page has the load overlay's map (the template's LOADMAP slot, an SVG
 *   whose ids are prefixed ld-, which the script moves into the section).
 *
 * Two halves, as everywhere in the library: dc_report_compute() runs
 * every analysis the page shows (analyze, the plan, the policy check, the
 * availability, the single-failure cascades, the map's layout) into a
 * dc_report_data, and dc_report_write_data() only writes what was
 * computed; dc_report_write() is the two in a row.
 *
 * Cascades are exact single failures: dc_impact_run() per service, so the
 * page never propagates anything. The budget keeps the file bounded on
 * big catalogs: services are taken smallest cascade first (their sizes are
 * known from the bit-parallel blast radii) until the budget is spent, so
 * only the biggest cascades can be left out, and their cards say so.
 */
#include <depcheck/analyze.h>
#include <depcheck/availability.h>
#include <depcheck/check.h>
#include <depcheck/impact.h>
#include <depcheck/plan.h>
#include "jsonw.h"

#include "output_int.h"
#include "render_int.h"
#include "report_int.h"
#include "report_assets.h"
#include "sha256.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_COLLAPSE 300
#define DEFAULT_MAP_MAX 2000
#define DEFAULT_BUDGET 4000000
#define TABLE_MAX 1000  /* rows of a findings table (worst first) */
#define SVCS_MAX 50     /* services listed in one cell */

/* Everything the page shows, computed (dc_report_compute). */
struct dc_report_data {
	const dc_graph *g;
	const dc_catalog *cat;
	size_t n;
	char *title;             /* a copy of the options' title (or the default) */
	dc_analysis *an;
	dc_plan *plan;
	report_groups groups;
	const char *map_note;    /* why the map is collapsed or missing */
	const char *map_mode;    /* "services", "groups" or "none" */
	char *svg;               /* the map as an inline <svg> element, or NULL */
	size_t svglen;
	/* single-failure cascades: for a service s with kept[s], the ids of
	 * casc[start[s] .. start[s] + ndown[s]) went DOWN and those up to
	 * start[s + 1] DEGRADED, each list ascending, s itself left out */
	uint8_t *kept;
	size_t *start, *ndown;
	dc_id *casc;
	size_t cascades_left_out;
	dc_violations *viol;     /* the check section */
	int own_policy;          /* the caller gave the policy */
	dc_availability *av;     /* the availability section, or NULL */
	uint64_t seed;           /* its Monte Carlo seed */
	dc_id *avail_rows;       /* dc_availability_rank's order */
	size_t nmiss, nslo;
	dc_assumptions assume;   /* what the page rests on (the analyses it shows) */
	const dc_overload *ov;   /* the load section (borrowed), or NULL */
	char *load_svg;          /* its map (the load overlay), or NULL */
	size_t load_svglen;
	const char *load_map_note; /* why it has none */
};

/* The writer's state: the data it writes and the JSON stream. */
typedef struct {
	const dc_report_data *d;
	dc_jsonw w;
	int nomem;               /* an allocation failed while writing: DC_ENOMEM */
} report_ctx;

/* ---- groups ---------------------------------------------------------------- */

/* The groups are the collapsed map's (render_groups): group K of the data
 * is the map's `grp-K`, whichever map is drawn. */
int report_groups_build(report_groups *rg, const dc_catalog *cat)
{
	size_t n = dc_catalog_service_count(cat), i, count;

	memset(rg, 0, sizeof(*rg));
	rg->of = malloc((n + 1) * sizeof(*rg->of));
	rg->name = malloc((n + 1) * sizeof(*rg->name));
	rg->size = calloc(n + 1, sizeof(*rg->size));
	if (!rg->of || !rg->name || !rg->size ||
	    (count = render_groups(cat, DC_RENDER_GROUP_SYSTEM, rg->of, rg->name)) == (size_t)-1) {
		report_groups_free(rg);
		return DC_ENOMEM;
	}
	rg->count = count;
	for (i = 0; i < n; i++)
		rg->size[rg->of[i]]++;
	return 0;
}

void report_groups_free(report_groups *rg)
{
	free(rg->of);
	free(rg->name);
	free(rg->size);
	memset(rg, 0, sizeof(*rg));
}

/* ---- output helpers -------------------------------------------------------- */

/* JSON text made safe inside <script>: see the file comment */
static void put_json_html(FILE *fp, const char *s, size_t n)
{
	size_t i, from = 0;
	for (i = 0; i < n; i++) {
		const char *esc = NULL;
		unsigned char c = (unsigned char)s[i];
		size_t skip = 1;
		if (c == '<')
			esc = "\\u003c";
		else if (c == '>')
			esc = "\\u003e";
		else if (c == '&')
			esc = "\\u0026";
		else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			esc = (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
			skip = 3;
		}
		if (!esc)
			continue;
		fwrite(s + from, 1, i - from, fp);
		fputs(esc, fp);
		i += skip - 1;
		from = i + 1;
	}
	fwrite(s + from, 1, n - from, fp);
}

static void put_html_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

/* at most SVCS_MAX ids: a cell, not a list to read */
static void ids_arr(dc_jsonw *w, const dc_id *ids, size_t n)
{
	size_t i;
	dc_jw_arr_inline(w);
	for (i = 0; i < n && i < SVCS_MAX; i++)
		dc_jw_int(w, ids[i]);
	dc_jw_arr_end(w);
}

/* "file:line:column"; out of memory, r->nomem (the report fails) */
static void loc_str(report_ctx *r, dc_location l)
{
	dc_jsonw *w = &r->w;
	char buf[64];
	size_t fl;
	char *s;
	if (!l.file) {
		dc_jw_null(w);
		return;
	}
	fl = strlen(l.file);
	s = malloc(fl + sizeof(buf));
	if (!s) {
		r->nomem = 1;
		dc_jw_null(w);
		return;
	}
	snprintf(buf, sizeof(buf), ":%u:%u", l.line, l.column);
	memcpy(s, l.file, fl);
	strcpy(s + fl, buf);
	dc_jw_str(w, s);
	free(s);
}

/* ---- sections: a title, an intro and typed tables -------------------------- */

static void sec_begin(report_ctx *r, const char *id, const char *title, const char *intro)
{
	dc_jw_obj(&r->w);
	dc_jw_kstr(&r->w, "id", id);
	dc_jw_kstr(&r->w, "title", title);
	dc_jw_kstr(&r->w, "intro", intro);
	dc_jw_key(&r->w, "tables");
	dc_jw_arr(&r->w);
}

static void sec_end(report_ctx *r)
{
	dc_jw_arr_end(&r->w);
	dc_jw_obj_end(&r->w);
}

/* cols: "type:Title" each, type one of svc, svcs, text, num, loc. `total`
 * is the number of rows there are, of which the table shows at most
 * TABLE_MAX (finding lists are ordered worst first; the services and the
 * plan are always complete). */
static void tab_begin(report_ctx *r, const char *id, const char *title, const char *note,
		      const char *empty, const char *const *cols, size_t ncols, size_t total)
{
	size_t i;
	dc_jw_obj(&r->w);
	dc_jw_kstr(&r->w, "id", id);
	dc_jw_kint(&r->w, "total", (long long)total);
	dc_jw_kstr(&r->w, "title", title);
	dc_jw_kstr(&r->w, "note", note);
	dc_jw_kstr(&r->w, "empty", empty);
	dc_jw_key(&r->w, "cols");
	dc_jw_arr_inline(&r->w);
	for (i = 0; i < ncols; i++)
		dc_jw_str(&r->w, cols[i]);
	dc_jw_arr_end(&r->w);
	dc_jw_key(&r->w, "rows");
	dc_jw_arr(&r->w);
}

static void tab_end(report_ctx *r)
{
	dc_jw_arr_end(&r->w);
	dc_jw_obj_end(&r->w);
}

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static void section_services(report_ctx *r)
{
	static const char *const cols[] = { "svc:Service", "text:System", "text:Owner", "num:Tier",
					     "text:Role", "num:Down if it fails", "num:Degraded",
					     "loc:Defined at" };
	const dc_blast *b = dc_analysis_blast(r->d->an);
	size_t i;
	sec_begin(r, "services", "Services",
		  "Every service of the catalog. Click one to see its card and what its failure takes "
		  "down; the counts are other services DOWN / DEGRADED when it alone fails.");
	tab_begin(r, "services", NULL, NULL, NULL, cols, NCOLS(cols), r->d->n);
	for (i = 0; i < r->d->n; i++) {
		dc_id s = (dc_id)i;
		int tier = dc_service_tier(r->d->cat, s);
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, s);
		dc_jw_str(&r->w, r->d->groups.name[r->d->groups.of[s]]);
		dc_jw_str(&r->w, dc_service_owner(r->d->cat, s));
		if (tier)
			dc_jw_int(&r->w, tier);
		else
			dc_jw_null(&r->w);
		dc_jw_str(&r->w, dc_service_is_external(r->d->cat, s) ? "external"
				 : dc_service_is_entrypoint(r->d->cat, s) ? "entrypoint" : "");
		dc_jw_int(&r->w, (long long)dc_blast_down(b, s));
		dc_jw_int(&r->w, (long long)dc_blast_degraded(b, s));
		loc_str(r, dc_service_location(r->d->cat, s));
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);
	sec_end(r);
}

static void edge_list(report_ctx *r, const uint32_t *ed, size_t ne)
{
	/* "a -> b (soft) file:line" lines, at most 20 */
	char *buf = NULL;
	size_t len = 0, k;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		dc_jw_null(&r->w);
		return;
	}
	for (k = 0; k < ne && k < 20; k++) {
		dc_location l = dc_dep_location(r->d->cat, ed[k]);
		fprintf(m, "%s%s -> %s%s%s", k ? "\n" : "", dc_service_name(r->d->cat, dc_dep_from(r->d->cat, ed[k])),
			dc_service_name(r->d->cat, dc_dep_to(r->d->cat, ed[k])),
			dc_dep_kind_of(r->d->cat, ed[k]) == DC_DEP_SOFT ? " (soft)" : "",
			dc_dep_group(r->d->cat, ed[k]) ? " (any_of)" : "");
		if (l.file)
			fprintf(m, "  %s:%u", l.file, l.line);
	}
	if (ne > 20)
		fprintf(m, "\n... and %zu more", ne - 20);
	if (fclose(m) == 0 && buf)
		dc_jw_str(&r->w, buf);
	else
		dc_jw_null(&r->w);
	free(buf);
}

static void section_findings(report_ctx *r)
{
	/* the last column, requests/s lost, only where some entry traffic is known */
	static const char *const spof_cols[] = { "svc:Service", "num:Entrypoints down",
						  "svcs:Entrypoints it takes down", "num:Down", "num:Degraded",
						  "text:Requests/s lost" };
	static const char *const blast_cols[] = { "svc:Service", "num:Down", "num:Degraded", "text:System",
						   "text:Requests/s lost" };
	static const char *const cyc_cols[] = { "text:Kind", "num:Size", "svcs:Members",
						 "text:Dependencies that close it" };
	static const char *const amp_cols[] = { "svc:Service", "text:Factor", "svcs:Path from an entrypoint" };
	static const char *const to_cols[] = { "svc:Caller", "svc:Callee", "num:Timeout (ms)",
						"num:Callee needs (ms)", "loc:Where" };
	const dc_blast *b = dc_analysis_blast(r->d->an);
	const dc_id *ids;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i, h;
	int traffic = dc_blast_traffic_known(b) > 0;
	char lost[80];

	sec_begin(r, "findings", "Findings",
		  "What `depcheck analyze` finds: single points of failure, blast radii, cycles, retry "
		  "amplification and timeout budgets.");
	n = dc_analysis_spofs(r->d->an, &ids);
	tab_begin(r, "spofs", "Single points of failure",
		  traffic ? "Services whose failure alone takes an entrypoint DOWN, with the requests/s its "
			    "users lose (the declared traffic_rps of the entrypoints down; \">=\" where some of "
			    "them declare none, \"unknown\" where none does)."
			  : "Services whose failure alone takes an entrypoint DOWN.",
		  "No single point of failure: no service takes an entrypoint down alone.",
		  spof_cols, NCOLS(spof_cols) - !traffic, n);
	for (i = 0; i < n && i < TABLE_MAX; i++) {
		const dc_id *eps;
		size_t ne = dc_analysis_spof_entrypoints(r->d->an, ids[i], &eps);
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, ids[i]);
		dc_jw_int(&r->w, (long long)dc_analysis_spof_total(r->d->an, ids[i]));
		ids_arr(&r->w, eps, ne);
		dc_jw_int(&r->w, (long long)dc_blast_down(b, ids[i]));
		dc_jw_int(&r->w, (long long)dc_blast_degraded(b, ids[i]));
		if (traffic)
			dc_jw_str(&r->w, dc__lost_str(lost, sizeof(lost), dc_blast_lost_rps(b, ids[i]),
						      dc_blast_lost_unknown(b, ids[i])));
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);

	n = dc_analysis_blast_order(r->d->an, &ids);
	tab_begin(r, "blast", "Blast radius",
		  traffic ? "Other services DOWN and DEGRADED when each service fails alone, largest first, and "
			    "the requests/s lost at entrypoints (its own included when it is one)."
			  : "Other services DOWN and DEGRADED when each service fails alone, largest first.",
		  NULL, blast_cols, NCOLS(blast_cols) - !traffic, n);
	for (i = 0; i < n; i++) {
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, ids[i]);
		dc_jw_int(&r->w, (long long)dc_blast_down(b, ids[i]));
		dc_jw_int(&r->w, (long long)dc_blast_degraded(b, ids[i]));
		dc_jw_str(&r->w, r->d->groups.name[r->d->groups.of[ids[i]]]);
		if (traffic)
			dc_jw_str(&r->w, dc__lost_str(lost, sizeof(lost), dc_blast_lost_rps(b, ids[i]),
						      dc_blast_lost_unknown(b, ids[i])));
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);

	/* one row per cycle, as analyze counts them (over every dependency;
	 * the header's "N (M hard)"): "hard" when hard dependencies alone
	 * close a cycle among its members, else it closes only through a
	 * soft one. A hard cycle is never listed twice. */
	{
		size_t nc = dc_analysis_cycle_count(r->d->an, DC_EDGES_ALL);
		size_t nh = dc_analysis_cycle_count(r->d->an, DC_EDGES_HARD_ONLY), k;
		uint8_t *inhard = calloc(r->d->n + 1, 1);
		if (!inhard) {
			r->nomem = 1;
			return;
		}
		for (h = 0; h < nh; h++) {
			size_t nm = dc_analysis_cycle_members(r->d->an, DC_EDGES_HARD_ONLY, h, &ids);
			for (k = 0; k < nm; k++)
				inhard[ids[k]] = 1;
		}
		tab_begin(r, "cycles", "Cycles",
			  "Hard cycles share one fate (and cannot cold-start); the soft ones close only "
			  "through a soft dependency and are reported for awareness.", "No cycles.",
			  cyc_cols, NCOLS(cyc_cols), nc);
		for (i = 0; i < nc && i < TABLE_MAX; i++) {
			const uint32_t *ed;
			size_t nm = dc_analysis_cycle_members(r->d->an, DC_EDGES_ALL, i, &ids);
			size_t ne = dc_analysis_cycle_edges(r->d->an, DC_EDGES_ALL, i, &ed);
			int hard = 0;
			for (k = 0; k < nm && !hard; k++)
				hard = inhard[ids[k]];
			dc_jw_arr_inline(&r->w);
			dc_jw_str(&r->w, hard ? "hard" : "soft");
			dc_jw_int(&r->w, (long long)nm);
			ids_arr(&r->w, ids, nm);
			edge_list(r, ed, ne);
			dc_jw_arr_end(&r->w);
		}
		tab_end(r);
		free(inhard);
	}

	n = dc_analysis_amplification(r->d->an, &amp);
	tab_begin(r, "amplification", "Retry amplification",
		  "How many times one user request can reach a service in the worst case (the "
		  "product of retries + 1 along the calls).", "No retry amplification.",
		  amp_cols, NCOLS(amp_cols), n);
	for (i = 0; i < n && i < TABLE_MAX; i++) {
		char f[48];
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, amp[i].service);
		if (amp[i].unbounded)
			dc_jw_str(&r->w, "unbounded (a retrying cycle)");
		else {
			snprintf(f, sizeof(f), "\xc3\x97%.0f%s", amp[i].factor, /* U+00D7 */
				 amp[i].factor >= DC_AMPLIFICATION_MAX ? " or more (saturated)" : "");
			dc_jw_str(&r->w, f);
		}
		{
			dc_id *path = malloc((amp[i].path_len ? amp[i].path_len : 1) * sizeof(dc_id));
			if (!path) {
				r->nomem = 1;
				break;
			}
			dc_analysis_amplification_path(r->d->an, i, path, amp[i].path_len);
			ids_arr(&r->w, path, amp[i].path_len);
			free(path);
		}
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);

	n = dc_analysis_timeout_violations(r->d->an, &tv);
	tab_begin(r, "timeouts", "Timeout budget violations",
		  "A caller gives up before its callee's worst case (its latency plus, per stage, its "
		  "slowest timeout x (retries + 1)): work is wasted exactly when the system is sick.",
		  "Every timeout leaves its callee enough time.", to_cols, NCOLS(to_cols), n);
	for (i = 0; i < n && i < TABLE_MAX; i++) {
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, dc_dep_from(r->d->cat, tv[i].dep));
		dc_jw_int(&r->w, dc_dep_to(r->d->cat, tv[i].dep));
		dc_jw_num(&r->w, tv[i].timeout_ms);
		dc_jw_num(&r->w, tv[i].needed_ms);
		loc_str(r, dc_dep_location(r->d->cat, tv[i].dep));
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);
	sec_end(r);
}

/* The policy check: what `depcheck check` reports with the same policy
 * (the built-in one unless given), errors first. Written even when clean:
 * "the gate passes" is news too. */
static void section_check(report_ctx *r)
{
	static const char *const cols[] = { "text:Severity", "text:Rule", "svc:Service", "svc:Dependency",
					     "text:Finding", "loc:Where" };
	size_t n = dc_violations_count(r->d->viol), ne = dc_violations_count_level(r->d->viol, DC_LEVEL_ERROR), i;
	char intro[512];

	snprintf(intro, sizeof(intro),
		 "What `depcheck check` reports with %s: %zu error%s and %zu warning%s. Errors fail the "
		 "gate (depcheck check exits 1); this report is informational and never fails.",
		 r->d->own_policy ? "the given policy" : "the built-in policy (depcheck check "
		 "--print-default-policy)", ne, ne == 1 ? "" : "s", n - ne, n - ne == 1 ? "" : "s");
	sec_begin(r, "check", "Policy check", intro);
	tab_begin(r, "violations", "Violations", "One line per violation, at the descriptor entry to "
		  "change.", "No violations: the gate passes.", cols, NCOLS(cols), n);
	for (i = 0; i < n && i < TABLE_MAX; i++) {
		const dc_violation *x = dc_violations_get(r->d->viol, i);
		dc_id s;
		dc_jw_arr_inline(&r->w);
		dc_jw_str(&r->w, dc_level_name(x->level));
		dc_jw_str(&r->w, x->rule);
		if (dc_catalog_find(r->d->cat, x->service, &s) == 0)
			dc_jw_int(&r->w, s);
		else
			dc_jw_null(&r->w);
		if (x->target && dc_catalog_find(r->d->cat, x->target, &s) == 0)
			dc_jw_int(&r->w, s);
		else
			dc_jw_null(&r->w);
		dc_jw_str(&r->w, x->message);
		loc_str(r, x->loc);
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);
	sec_end(r);
}

static void section_plan(report_ctx *r)
{
	static const char *const lock_cols[] = { "num:Wave", "svcs:Ship together",
						  "text:Dependencies that close the cycle" };
	static const char *const wave_cols[] = { "num:Wave", "svc:Service", "text:System", "text:Owner",
						  "num:Down if it fails", "num:Rollback wave" };
	const dc_blast *b = dc_analysis_blast(r->d->an);
	size_t nw = dc_plan_wave_count(r->d->plan), ng = dc_plan_lockstep_count(r->d->plan), i, k;
	char intro[512];
	const dc_id *ids;

	snprintf(intro, sizeof(intro),
		 "%zu service%s in %zu wave%s, providers first: every service deploys after what it "
		 "depends on (soft dependencies inside a cycle do not order). Inside a wave, the "
		 "smallest blast radius goes first (canary order). Rollback: the same waves in reverse "
		 "order, wave %zu first.",
		 dc_plan_service_count(r->d->plan), dc_plan_service_count(r->d->plan) == 1 ? "" : "s", nw,
		 nw == 1 ? "" : "s", nw);
	sec_begin(r, "plan", "Deployment plan", intro);
	if (ng) {
		tab_begin(r, "lockstep", "Lockstep groups",
			  "Still cyclic without their soft dependencies: each group ships in one wave.",
			  NULL, lock_cols, NCOLS(lock_cols), ng);
		for (i = 0; i < ng; i++) {
			const uint32_t *ed;
			size_t nm = dc_plan_lockstep_members(r->d->plan, i, &ids);
			size_t ne = dc_plan_lockstep_edges(r->d->plan, i, &ed);
			dc_jw_arr_inline(&r->w);
			dc_jw_int(&r->w, (long long)dc_plan_wave_of(r->d->plan, ids[0]));
			ids_arr(&r->w, ids, nm);
			edge_list(r, ed, ne);
			dc_jw_arr_end(&r->w);
		}
		tab_end(r);
	}
	tab_begin(r, "waves", "Waves", NULL, NULL, wave_cols, NCOLS(wave_cols), dc_plan_service_count(r->d->plan));
	for (i = 0; i < nw; i++) {
		size_t n = dc_plan_wave(r->d->plan, i, &ids);
		for (k = 0; k < n; k++) {
			const dc_id s = ids[k];
			dc_jw_arr_inline(&r->w);
			dc_jw_int(&r->w, (long long)i + 1);
			dc_jw_int(&r->w, s);
			dc_jw_str(&r->w, r->d->groups.name[r->d->groups.of[s]]);
			dc_jw_str(&r->w, dc_service_owner(r->d->cat, s));
			dc_jw_int(&r->w, (long long)dc_blast_down(b, s));
			dc_jw_int(&r->w, (long long)(nw - i));
			dc_jw_arr_end(&r->w);
		}
	}
	tab_end(r);
	sec_end(r);
}

/* Effective availability vs SLO (dc_report_options.availability): the rows
 * of `depcheck availability`, in its order (SLO misses first, largest
 * shortfall first). */
#define MIN_PER_30D 43200.0

static void section_availability(report_ctx *r)
{
	static const char *const cols[] = { "svc:Service", "text:Role", "text:SLO", "text:Availability",
					     "num:Downtime min/30 days", "text:Method", "text:95% interval" };
	const dc_id *rows = r->d->avail_rows;
	size_t nmiss = r->d->nmiss, nslo = r->d->nslo, i, neps_miss = 0, nexact = 0;
	char intro[768], tr[96];

	if (!r->d->av)
		return;
	for (i = 0; i < r->d->n; i++) {
		neps_miss += i < nmiss && dc_service_is_entrypoint(r->d->cat, rows[i]);
		nexact += dc_availability_of(r->d->av, (dc_id)i)->method == DC_AVAIL_EXACT;
	}
	tr[0] = '\0';
	if (dc_availability_trials(r->d->av))
		snprintf(tr, sizeof(tr), " (%llu trials, seed %llu)",
			 (unsigned long long)dc_availability_trials(r->d->av), (unsigned long long)r->d->seed);
	snprintf(intro, sizeof(intro),
		 "The probability that each service is not DOWN when every service fails independently "
		 "with 1 - its availability, against its SLO: %zu SLO miss%s (%zu "
		 "entrypoint%s), %zu met, %zu service%s without an SLO. %zu computed exactly, %zu by "
		 "Monte Carlo%s. Downtime is (1 - availability) x 30 days.",
		 nmiss, nmiss == 1 ? "" : "es", neps_miss, neps_miss == 1 ? "" : "s", nslo - nmiss,
		 r->d->n - nslo, r->d->n - nslo == 1 ? "" : "s", nexact, r->d->n - nexact, tr);
	sec_begin(r, "availability", "Availability", intro);
	tab_begin(r, "availability", "SLO misses first", "Misses by shortfall, then the SLOs met, then "
		  "the services without an SLO, lowest availability first.", NULL, cols, NCOLS(cols), r->d->n);
	for (i = 0; i < r->d->n && i < TABLE_MAX; i++) {
		dc_id s = rows[i];
		const dc_availability_estimate *e = dc_availability_of(r->d->av, s);
		double slo = dc_service_slo(r->d->cat, s);
		char buf[96];
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, s);
		dc_jw_str(&r->w, dc_service_is_entrypoint(r->d->cat, s) ? "entrypoint" :
				 dc_service_is_external(r->d->cat, s) ? "external" : "");
		if (slo >= 0) {
			snprintf(buf, sizeof(buf), "%g %s", slo, i < nmiss ? "missed" : "met");
			dc_jw_str(&r->w, buf);
		} else {
			dc_jw_null(&r->w);
		}
		if (e->method == DC_AVAIL_NONE) {
			dc_jw_null(&r->w);
			dc_jw_null(&r->w);
		} else {
			snprintf(buf, sizeof(buf), "%.6f", e->availability);
			dc_jw_str(&r->w, buf);
			dc_jw_num(&r->w, floor((1 - e->availability) * MIN_PER_30D * 10 + 0.5) / 10);
		}
		dc_jw_str(&r->w, dc_avail_method_name(e->method));
		if (e->method == DC_AVAIL_MONTE_CARLO) {
			snprintf(buf, sizeof(buf), "[%.6f, %.6f]", e->ci_low, e->ci_high);
			dc_jw_str(&r->w, buf);
		} else {
			dc_jw_null(&r->w);
		}
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);
	sec_end(r);
}

/* ---- the load scenario ------------------------------------------------------ */

#define LTRIG DC_OVERLOAD_TRIGGERED

static void num3(dc_jsonw *w, double x)
{
	if (!isfinite(x))
		dc_jw_null(w);
	else
		dc_jw_num(w, dc__round3(x));
}

static const char *fmt3(char *buf, size_t size, double x)
{
	dc__fmt3(buf, size, x);
	return buf;
}

static double retry_rps(const dc_overload *l, dc_overload_state st, size_t d)
{
	double at = dc_overload_attempts(l, st, d);
	return at > 1 ? dc_overload_edge_rps(l, st, d) * (1 - 1 / at) : 0;
}

static void fact(report_ctx *r, const char *label, const char *text)
{
	dc_jw_arr_inline(&r->w);
	dc_jw_str(&r->w, label);
	dc_jw_str(&r->w, text);
	dc_jw_arr_end(&r->w);
}

/* a fact of any length, written through a memory stream */
typedef struct {
	char *buf;
	size_t len;
	FILE *m;
} mtext;

static FILE *mt_open(report_ctx *r, mtext *t)
{
	t->buf = NULL;
	t->len = 0;
	t->m = open_memstream(&t->buf, &t->len);
	if (!t->m)
		r->nomem = 1;
	return t->m;
}

static void mt_fact(report_ctx *r, mtext *t, const char *label)
{
	if (fclose(t->m) == 0 && t->buf)
		fact(r, label, t->buf);
	else
		r->nomem = 1;
	free(t->buf);
}

static void load_facts(report_ctx *r)
{
	const dc_overload *l = r->d->ov;
	const dc_catalog *cat = r->d->cat;
	const dc_overload_triggers *tr = dc_overload_triggers_of(l);
	const dc_id *over;
	const size_t *sus;
	size_t i, nt = dc_overload_trigger_count(tr), nover = dc_overload_overloaded(l, &over);
	size_t ns = dc_overload_sustaining(l, &sus);
	double entry = dc_overload_entry_rps(l, LTRIG), lost = dc_overload_lost_rps(l, LTRIG);
	dc_overload_inputs in = dc_overload_inputs_of(l);
	int meta = dc_overload_metastable(l);
	char a[32], b[32], c[32];
	mtext t;

	dc_jw_key(&r->w, "facts");
	dc_jw_arr(&r->w);
	if (mt_open(r, &t)) {
		if (!nt)
			fputs("the declared traffic, no trigger", t.m);
		for (i = 0; i < nt; i++)
			fprintf(t.m, "%s%s", i ? "; " : "", dc_overload_trigger_text(tr, i));
		mt_fact(r, &t, "Trigger");
	}
	if (mt_open(r, &t)) {
		fprintf(t.m, "%s of %s rps", fmt3(a, sizeof(a), lost), fmt3(b, sizeof(b), entry));
		if (entry > 0)
			fprintf(t.m, " (%s %%)", fmt3(c, sizeof(c), 100 * lost / entry));
		fprintf(t.m, "; without the trigger %s rps", fmt3(a, sizeof(a), dc_overload_lost_rps(l, DC_OVERLOAD_BASELINE)));
		mt_fact(r, &t, "Entry requests lost");
	}
	if (mt_open(r, &t)) {
		fprintf(t.m, "%zu service%s", nover, nover == 1 ? "" : "s");
		mt_fact(r, &t, "Overloaded");
	}
	if (!dc_overload_converged(l, LTRIG) || !dc_overload_converged(l, DC_OVERLOAD_BASELINE))
		fact(r, "Warning", "the model did not converge: the numbers are its last iterate, not a steady state");
	fact(r, "Metastable", meta < 0 ? "not decided (no trigger)"
			      : meta ? "yes: after the trigger is removed, the overload sustains itself"
				     : "no: after the trigger is removed, it recovers");
	if (meta == 1 && ns && mt_open(r, &t)) {
		for (i = 0; i < ns && i < 10; i++)
			fprintf(t.m, "%s%s -> %s (%s retries/s)", i ? ", " : "", dc_service_name(cat, dc_dep_from(cat, sus[i])),
				dc_service_name(cat, dc_dep_to(cat, sus[i])),
				fmt3(a, sizeof(a), retry_rps(l, DC_OVERLOAD_AFTER, sus[i])));
		if (ns > 10)
			fprintf(t.m, " and %zu more (the table below lists them)", ns - 10);
		mt_fact(r, &t, "Sustained by the retries on");
	}
	if (meta == 1 && mt_open(r, &t)) {
		dc_overload_fix fx = dc_overload_fix_of(l);
		switch (fx.kind) {
		case DC_OVERLOAD_FIX_RETRY_BUDGET:
			fprintf(t.m, "a retry budget of %s on %s -> %s", fmt3(a, sizeof(a), fx.value),
				dc_service_name(cat, dc_dep_from(cat, fx.dep)), dc_service_name(cat, dc_dep_to(cat, fx.dep)));
			break;
		case DC_OVERLOAD_FIX_FEWER_RETRIES:
			fprintf(t.m, "%.0f retr%s instead of %.0f on %s -> %s", fx.value, fx.value == 1 ? "y" : "ies",
				fx.value + 1, dc_service_name(cat, dc_dep_from(cat, fx.dep)),
				dc_service_name(cat, dc_dep_to(cat, fx.dep)));
			break;
		case DC_OVERLOAD_FIX_REPLICAS:
			fprintf(t.m, "%.0f more replica%s of %s", fx.value, fx.value == 1 ? "" : "s",
				dc_service_name(cat, fx.service));
			break;
		default:
			fputs("none of a retry budget, one retry fewer or more replicas of the bottleneck breaks it", t.m);
			break;
		}
		if (fx.kind != DC_OVERLOAD_FIX_NONE)
			fputs(" (verified by solving again from the overloaded state)", t.m);
		mt_fact(r, &t, "Smallest change that breaks it");
	}
	if (mt_open(r, &t)) {
		fputs("steady state (means); a replica queues as M/M/1 at its capacity_rps; a call times out with "
		      "e^(-timeout/mean response); retries are immediate, on errors and timeouts", t.m);
		if (in.unbounded)
			fprintf(t.m, "; %zu of %zu services declare no capacity and are assumed unbounded", in.unbounded,
				in.services);
		if (in.entry_no_traffic)
			fprintf(t.m, "; %zu of %zu entrypoints have no traffic_rps and send nothing", in.entry_no_traffic,
				in.entrypoints);
		if (in.cycle_edges)
			fprintf(t.m, "; %zu dependencies close a cycle with no declared calls and carry no load",
				in.cycle_edges);
		mt_fact(r, &t, "Model");
	}
	dc_jw_arr_end(&r->w);
}

static void section_load(report_ctx *r)
{
	static const char *const over_cols[] = { "svc:Service", "num:Offered (rps)", "text:Capacity (rps)",
						  "text:Utilisation", "text:Amplification", "text:In flight / limit",
						  "text:Requests failing", "text:Cause" };
	static const char *const retry_cols[] = { "svc:Caller", "svc:Callee", "num:Attempts per call",
						   "num:Retries/s", "num:Retries", "text:Retry budget" };
	static const char *const after_cols[] = { "svc:Service", "num:Offered (rps)", "text:Capacity (rps)",
						   "text:Utilisation" };
	static const char *const sus_cols[] = { "svc:Caller", "svc:Callee", "num:Retries/s" };
	const dc_overload *l = r->d->ov;
	const dc_catalog *cat = r->d->cat;
	const dc_id *over;
	const size_t *rt, *sus;
	size_t i, nover, nr, ns, nafter = 0;
	char a[32], b[32], cause[600];

	if (!l)
		return;
	nover = dc_overload_overloaded(l, &over);
	nr = dc_overload_retrying(l, &rt);
	ns = dc_overload_sustaining(l, &sus);
	dc_jw_obj(&r->w);
	dc_jw_kstr(&r->w, "id", "load");
	dc_jw_kstr(&r->w, "title", "Load scenario");
	dc_jw_kstr(&r->w, "intro",
		   "What `depcheck simulate --load` computes for this scenario: the steady state of the graph under "
		   "its traffic, with the trigger and without it, retries and timeouts included. Amplification is "
		   "a service's offered load with the trigger over its load without it.");
	load_facts(r);
	dc_jw_kbool(&r->w, "map", r->d->load_svg != NULL);
	dc_jw_kstr(&r->w, "map_note", r->d->load_map_note);
	dc_jw_key(&r->w, "tables");
	dc_jw_arr(&r->w);

	tab_begin(r, "overloaded", "Overloaded services",
		  "Past capacity (offered above it) or past the concurrency limit (more requests in flight than "
		  "the slots), most utilised first.", "No service is overloaded.", over_cols, NCOLS(over_cols), nover);
	for (i = 0; i < nover && i < TABLE_MAX; i++) {
		dc_id v = over[i];
		double cap = dc_overload_capacity(l, LTRIG, v), u = dc_overload_utilization(l, LTRIG, v);
		double am = dc_overload_amplification(l, v), fl = dc_overload_in_flight(l, LTRIG, v);
		double lim = dc_overload_concurrency_limit(l, LTRIG, v);
		char buf[96];
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, v);
		num3(&r->w, dc_overload_offered_rps(l, LTRIG, v));
		dc_jw_str(&r->w, cap < 0 ? "unbounded" : fmt3(a, sizeof(a), cap));
		dc_jw_str(&r->w, u < 0 ? "unbounded" : fmt3(a, sizeof(a), u));
		if (am < 0)
			dc_jw_str(&r->w, "new (no load without the trigger)");
		else {
			snprintf(buf, sizeof(buf), "x%s", fmt3(a, sizeof(a), am));
			dc_jw_str(&r->w, buf);
		}
		snprintf(buf, sizeof(buf), "%s / %s", fl < 0 ? "unbounded" : fmt3(a, sizeof(a), fl),
			 lim > 0 ? fmt3(b, sizeof(b), lim) : "no limit");
		dc_jw_str(&r->w, buf);
		snprintf(buf, sizeof(buf), "%s %%", fmt3(a, sizeof(a), 100 * dc_overload_failure_ratio(l, LTRIG, v)));
		dc_jw_str(&r->w, buf);
		dc_jw_str(&r->w, dc_overload_cause_text(l, v, cause, sizeof(cause)));
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);

	tab_begin(r, "retries", "Retries adding load",
		  "The dependencies that retry with the trigger, most retries/s first: each retry is one more "
		  "request on the callee.", "No dependency retries.", retry_cols, NCOLS(retry_cols), nr);
	for (i = 0; i < nr && i < TABLE_MAX; i++) {
		size_t d = rt[i];
		dc_jw_arr_inline(&r->w);
		dc_jw_int(&r->w, dc_dep_from(cat, d));
		dc_jw_int(&r->w, dc_dep_to(cat, d));
		num3(&r->w, dc_overload_attempts(l, LTRIG, d));
		num3(&r->w, retry_rps(l, LTRIG, d));
		dc_jw_int(&r->w, dc_dep_retries(cat, d));
		if (dc_dep_setting_is_set(cat, d, DC_DEP_RETRY_BUDGET))
			dc_jw_str(&r->w, "yes");
		else
			dc_jw_str(&r->w, "none");
		dc_jw_arr_end(&r->w);
	}
	tab_end(r);

	if (dc_overload_metastable(l) == 1) {
		for (i = 0; i < r->d->n; i++)
			nafter += dc_overload_is_overloaded(l, DC_OVERLOAD_AFTER, (dc_id)i) &&
				  !dc_overload_is_overloaded(l, DC_OVERLOAD_BASELINE, (dc_id)i);
		tab_begin(r, "after", "Still overloaded after the trigger is removed",
			  "Solved again without the trigger, starting from the overloaded state: these stay past a "
			  "limit that they are not past without the trigger.", NULL, after_cols, NCOLS(after_cols),
			  nafter);
		for (i = 0, nafter = 0; i < r->d->n && nafter < TABLE_MAX; i++) {
			dc_id v = (dc_id)i;
			double cap = dc_overload_capacity(l, DC_OVERLOAD_AFTER, v), u;
			if (!dc_overload_is_overloaded(l, DC_OVERLOAD_AFTER, v) ||
			    dc_overload_is_overloaded(l, DC_OVERLOAD_BASELINE, v))
				continue;
			nafter++;
			u = dc_overload_utilization(l, DC_OVERLOAD_AFTER, v);
			dc_jw_arr_inline(&r->w);
			dc_jw_int(&r->w, v);
			num3(&r->w, dc_overload_offered_rps(l, DC_OVERLOAD_AFTER, v));
			dc_jw_str(&r->w, cap < 0 ? "unbounded" : fmt3(a, sizeof(a), cap));
			dc_jw_str(&r->w, u < 0 ? "unbounded" : fmt3(a, sizeof(a), u));
			dc_jw_arr_end(&r->w);
		}
		tab_end(r);
		tab_begin(r, "sustaining", "The retry loops that sustain it",
			  "Dependencies into a service still overloaded whose retries keep its load above capacity, "
			  "most retries/s first.", NULL, sus_cols, NCOLS(sus_cols), ns);
		for (i = 0; i < ns && i < TABLE_MAX; i++) {
			dc_jw_arr_inline(&r->w);
			dc_jw_int(&r->w, dc_dep_from(cat, sus[i]));
			dc_jw_int(&r->w, dc_dep_to(cat, sus[i]));
			num3(&r->w, retry_rps(l, DC_OVERLOAD_AFTER, sus[i]));
			dc_jw_arr_end(&r->w);
		}
		tab_end(r);
	}
	sec_end(r);
}

/* ---- cascades -------------------------------------------------------------- */

/* ids ascending as one string: the first id, then the gaps, in base 36,
 * comma-separated ("a,1,1,3k"): 2 to 3 bytes an id where a JSON array of
 * numbers takes 4 to 8 */
static int delta_str(dc_jsonw *w, const dc_id *ids, size_t n, char **buf, size_t *cap)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	size_t i, len = 0;
	if (*cap < n * 8 + 1) {
		char *nb = realloc(*buf, n * 8 + 1);
		if (!nb)
			return DC_ENOMEM;
		*buf = nb;
		*cap = n * 8 + 1;
	}
	for (i = 0; i < n; i++) {
		char tmp[8];
		size_t k = 0;
		uint32_t v = i ? ids[i] - ids[i - 1] : ids[0];
		do
			tmp[k++] = digits[v % 36];
		while ((v /= 36) != 0);
		if (i)
			(*buf)[len++] = ',';
		while (k)
			(*buf)[len++] = tmp[--k];
	}
	(*buf)[len] = '\0';
	dc_jw_str(w, *buf);
	return 0;
}

static int write_cascades(report_ctx *r)
{
	const dc_report_data *d = r->d;
	char *text = NULL;
	size_t textcap = 0, i;
	int rc = 0;

	dc_jw_key(&r->w, "cascade");
	dc_jw_arr(&r->w);
	for (i = 0; i < d->n; i++) {
		const dc_id *ids = d->casc + d->start[i];
		size_t nd = d->ndown[i], ng = d->start[i + 1] - d->start[i] - nd;
		if (!d->kept[i]) {
			dc_jw_null(&r->w);
			continue;
		}
		dc_jw_arr_inline(&r->w);
		if ((rc = delta_str(&r->w, ids, nd, &text, &textcap)) ||
		    (rc = delta_str(&r->w, ids + nd, ng, &text, &textcap)))
			break;
		dc_jw_arr_end(&r->w);
	}
	if (!rc)
		dc_jw_arr_end(&r->w);
	free(text);
	return rc;
}

/* ---- the data block -------------------------------------------------------- */

static void write_services(report_ctx *r)
{
	const dc_blast *b = dc_analysis_blast(r->d->an);
	size_t i, k;
	dc_jw_key(&r->w, "services");
	dc_jw_arr(&r->w);
	for (i = 0; i < r->d->n; i++) {
		dc_id s = (dc_id)i;
		dc_location l = dc_service_location(r->d->cat, s);
		const dc_id *eps;
		dc_jw_obj_inline(&r->w);
		dc__json_service_keys(&r->w, r->d->cat, s, DC__SVC_COMPACT);
		dc_jw_kint(&r->w, "s", r->d->groups.of[s]);
		if (l.file) {
			dc_jw_kstr(&r->w, "f", l.file);
			dc_jw_kint(&r->w, "l", l.line);
		}
		dc_jw_kint(&r->w, "d", (long long)dc_blast_down(b, s));
		dc_jw_kint(&r->w, "g", (long long)dc_blast_degraded(b, s));
		if (dc_analysis_spof_entrypoints(r->d->an, s, &eps))
			dc_jw_kint(&r->w, "sp", (long long)dc_analysis_spof_total(r->d->an, s));
		dc_jw_obj_end(&r->w);
	}
	dc_jw_arr_end(&r->w);
	dc_jw_key(&r->w, "deps");
	dc_jw_arr(&r->w);
	for (i = 0; i < r->d->n; i++) {
		const dc_id *to;
		size_t first, deg = dc_graph_out(r->d->g, (dc_id)i, &to, &first);
		dc_jw_arr_inline(&r->w);
		for (k = 0; k < deg; k++) {
			dc_jw_int(&r->w, to[k]);
			dc_jw_int(&r->w, (dc_dep_kind_of(r->d->cat, first + k) == DC_DEP_SOFT ? 1 : 0) |
					 (dc_dep_group(r->d->cat, first + k) ? 2 : 0));
		}
		dc_jw_arr_end(&r->w);
	}
	dc_jw_arr_end(&r->w);
}

static int write_data(report_ctx *r)
{
	size_t i, nentry = dc_analysis_entrypoint_count(r->d->an), next = 0;
	int rc;

	for (i = 0; i < r->d->n; i++)
		next += dc_service_is_external(r->d->cat, (dc_id)i) != 0;
	dc_jw_obj(&r->w);
	dc_jw_kint(&r->w, "version", 1);
	dc_jw_kstr(&r->w, "title", r->d->title);
	{
		char gen[64];
		snprintf(gen, sizeof(gen), "depcheck %s", dc_version());
		dc_jw_kstr(&r->w, "generator", gen);
	}
	dc_jw_key(&r->w, "files");
	dc_jw_arr_inline(&r->w);
	for (i = 0; i < dc_catalog_file_count(r->d->cat) && i < 50; i++)
		dc_jw_str(&r->w, dc_catalog_file(r->d->cat, i));
	dc_jw_arr_end(&r->w);
	dc_jw_kint(&r->w, "files_total", (long long)dc_catalog_file_count(r->d->cat));
	dc_jw_key(&r->w, "summary");
	dc_jw_obj_inline(&r->w);
	dc_jw_kint(&r->w, "services", (long long)r->d->n);
	dc_jw_kint(&r->w, "dependencies", (long long)dc_graph_edge_count(r->d->g));
	dc_jw_kint(&r->w, "systems", (long long)r->d->groups.count);
	dc_jw_kint(&r->w, "entrypoints", (long long)nentry);
	dc_jw_kint(&r->w, "cycles", (long long)dc_analysis_cycle_count(r->d->an, DC_EDGES_ALL));
	dc_jw_kint(&r->w, "hard_cycles", (long long)dc_analysis_cycle_count(r->d->an, DC_EDGES_HARD_ONLY));
	dc_jw_kint(&r->w, "spofs", (long long)dc_blast_spof_count(dc_analysis_blast(r->d->an)));
	dc_jw_kint(&r->w, "external", (long long)next);
	dc_jw_obj_end(&r->w);
	{
		/* the counts and statements the CLI's JSON carries */
		dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
		oo.assumptions = &r->d->assume;
		dc__json_assumptions(&r->w, &oo);
	}
	dc_jw_key(&r->w, "groups");
	dc_jw_arr(&r->w);
	for (i = 0; i < r->d->groups.count; i++) {
		dc_jw_obj_inline(&r->w);
		dc_jw_kstr(&r->w, "name", r->d->groups.name[i]);
		dc_jw_kint(&r->w, "size", r->d->groups.size[i]);
		dc_jw_obj_end(&r->w);
	}
	dc_jw_arr_end(&r->w);
	write_services(r);
	if ((rc = write_cascades(r)))
		return rc;
	dc_jw_key(&r->w, "map");
	dc_jw_obj_inline(&r->w);
	dc_jw_kstr(&r->w, "mode", r->d->map_mode);
	dc_jw_kstr(&r->w, "note", r->d->map_note);
	dc_jw_kint(&r->w, "cascades_left_out", (long long)r->d->cascades_left_out);
	dc_jw_obj_end(&r->w);
	dc_jw_key(&r->w, "sections");
	dc_jw_arr(&r->w);
	section_load(r);
	section_services(r);
	section_findings(r);
	section_check(r);
	section_plan(r);
	section_availability(r);
	if (r->nomem)
		return DC_ENOMEM;
	dc_jw_arr_end(&r->w);
	dc_jw_obj_end(&r->w);
	dc_jw_end(&r->w);
	return 0;
}

/* ---- computing: every analysis the page shows ------------------------------ */

/* a service and the size of its cascade, to spend the budget on the
 * smallest first (sorted as one array: no qsort context in a static) */
typedef struct {
	size_t cost;
	dc_id id;
} costed;

static int cmp_costed(const void *a, const void *b)
{
	const costed *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_id(const void *a, const void *b)
{
	dc_id x = *(const dc_id *)a, y = *(const dc_id *)b;
	return (x > y) - (x < y);
}

/* The single-failure cascades within `budget` ids (see the file comment):
 * the blast radii give each cascade's size exactly, so the ids kept fit
 * in one array of `spent` ids. */
static int compute_cascades(dc_report_data *d, size_t budget)
{
	const dc_blast *b = dc_analysis_blast(d->an);
	costed *order = malloc((d->n + 1) * sizeof(*order));
	dc_impact *imp = NULL;
	size_t spent = 0, i, k, at = 0;
	int rc = 0;

	d->kept = calloc(d->n + 1, 1);
	d->start = calloc(d->n + 1, sizeof(*d->start));
	d->ndown = calloc(d->n + 1, sizeof(*d->ndown));
	if (!order || !d->kept || !d->start || !d->ndown) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < d->n; i++) {
		order[i].cost = dc_blast_down(b, (dc_id)i) + dc_blast_degraded(b, (dc_id)i);
		order[i].id = (dc_id)i;
	}
	qsort(order, d->n, sizeof(*order), cmp_costed);
	for (i = 0; i < d->n && spent + order[i].cost <= budget; i++) {
		spent += order[i].cost;
		d->kept[order[i].id] = 1;
	}
	d->cascades_left_out = d->n - i;
	d->casc = malloc((spent + 1) * sizeof(*d->casc));
	if (!d->casc) {
		rc = DC_ENOMEM;
		goto out;
	}
	if ((rc = dc_impact_new(&imp, d->g)))
		goto out;
	for (i = 0; i < d->n; i++) {
		const dc_id *aff;
		size_t na, nd = 0, ng = 0;
		dc_id s = (dc_id)i;
		d->start[i] = at;
		if (!d->kept[s])
			continue;
		if ((rc = dc_impact_run(imp, &s, 1, NULL, 0)))
			goto out;
		na = dc_impact_affected(imp, &aff);
		for (k = 0; k < na; k++)
			nd += aff[k] != s && dc_impact_state(imp, aff[k]) == DC_STATE_DOWN;
		if (at + na > spent + 1) { /* the radii disagree with the propagation: a bug */
			rc = DC_ERROR;
			goto out;
		}
		for (k = 0; k < na; k++) {
			if (aff[k] == s)
				continue;
			if (dc_impact_state(imp, aff[k]) == DC_STATE_DOWN)
				d->casc[at + d->ndown[i]++] = aff[k];
			else
				d->casc[at + nd + ng++] = aff[k];
		}
		qsort(d->casc + at, nd, sizeof(*d->casc), cmp_id);
		qsort(d->casc + at + nd, ng, sizeof(*d->casc), cmp_id);
		at += nd + ng;
	}
	d->start[d->n] = at;
out:
	dc_impact_free(imp);
	free(order);
	return rc;
}

void dc_report_data_free(dc_report_data *d)
{
	if (!d)
		return;
	free(d->title);
	free(d->svg);
	free(d->load_svg);
	free(d->kept);
	free(d->start);
	free(d->ndown);
	free(d->casc);
	free(d->avail_rows);
	dc_availability_free(d->av);
	dc_violations_free(d->viol);
	dc_plan_free(d->plan);
	dc_analysis_free(d->an);
	report_groups_free(&d->groups);
	free(d);
}

int dc_report_compute(dc_report_data **out, const dc_graph *g, const dc_report_options *opts)
{
	dc_report_options def = DC_REPORT_OPTIONS_INIT;
	dc_plan_options po = DC_PLAN_OPTIONS_INIT;
	dc_analyze_options ano = DC_ANALYZE_OPTIONS_INIT;
	dc_report_data *d;
	size_t collapse, map_max, drawn;
	dc_policy *own_policy = NULL;
	const dc_policy *policy;
	const char *title;
	int rc;

	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!opts)
		opts = &def;
	if (!g || !DC_OPTIONS_VERSION_OK(opts->version, DC_REPORT_OPTIONS_VERSION))
		return DC_EINVALID;
	/* the nested options too, before any of the work */
	if (opts->version >= 2 && opts->availability &&
	    !DC_OPTIONS_VERSION_OK(opts->availability->version, DC_AVAILABILITY_OPTIONS_VERSION))
		return DC_EINVALID;
	if (opts->version >= 5 && opts->overload && dc_overload_graph(opts->overload) != g)
		return DC_EINVALID;
	title = opts->title ? opts->title : "depcheck report";
	collapse = opts->collapse_above ? opts->collapse_above : DEFAULT_COLLAPSE;
	map_max = opts->map_max_nodes ? opts->map_max_nodes : DEFAULT_MAP_MAX;
	d = calloc(1, sizeof(*d));
	if (!d)
		return DC_ENOMEM;
	d->g = g;
	d->cat = dc_graph_catalog(g);
	d->n = dc_graph_node_count(g);
	d->title = malloc(strlen(title) + 1);
	if (!d->title) {
		rc = DC_ENOMEM;
		goto out;
	}
	strcpy(d->title, title);
	/* version 3 brought `threads` */
	ano.threads = opts->version >= 3 ? opts->threads : 0;
	if ((rc = report_groups_build(&d->groups, d->cat)) || (rc = dc_analyze(&d->an, g, &ano)))
		goto out;
	/* availabilities matter only with the availability section */
	d->assume.version = DC_ASSUMPTIONS_VERSION;
	if ((rc = dc_catalog_assumptions(&d->assume, g,
					 DC_ASSUME_ALL & ~(opts->version >= 2 && opts->availability
							       ? 0u
							       : DC_ASSUME_AVAILABILITY))))
		goto out;
	po.blast = dc_analysis_blast(d->an);
	if ((rc = dc_plan_compute(&d->plan, g, &po)))
		goto out;

	/* the policy check and the availability (version 2 options) */
	if (opts->version >= 2 && opts->policy) {
		d->own_policy = 1;
		policy = opts->policy;
	} else if ((rc = dc_policy_default(&own_policy))) {
		goto out;
	} else {
		policy = own_policy;
	}
	if ((rc = dc_violations_new(&d->viol)) || (rc = dc_check(d->viol, g, d->an, policy, NULL)))
		goto out;
	/* version 4: the load errors, as check's valid-input findings */
	if (opts->version >= 4 && opts->diags) {
		dc_level vi = dc_policy_rule_level(policy, dc_policy_rule_find(policy, "valid-input"));
		if (vi != DC_LEVEL_OFF && (rc = dc_violations_add_input_errors(d->viol, opts->diags, vi)))
			goto out;
	}
	if (opts->version >= 2 && opts->availability) {
		dc_availability_options ao = *opts->availability;
		ao.flags |= DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_NO_CUT_SETS;
		d->seed = opts->availability->seed;
		if ((rc = dc_availability_compute(&d->av, g, &ao)))
			goto out;
		d->avail_rows = malloc((d->n + 1) * sizeof(*d->avail_rows));
		if (!d->avail_rows || dc_availability_rank(d->av, g, d->avail_rows, &d->nmiss, &d->nslo)) {
			rc = DC_ENOMEM;
			goto out;
		}
	}

	/* the map */
	d->map_mode = d->n > collapse ? "groups" : "services";
	drawn = d->n > collapse ? d->groups.count : d->n;
	if (d->n > collapse)
		d->map_note = "More services than a readable map holds: one box per system (with its number "
			      "of services) and the four strongest dependencies of each, labelled and thicker with more calls.";
	if (drawn > map_max) {
		d->map_mode = "none";
		d->map_note = d->n > collapse ? "Too many systems to draw a map; the tables below list everything."
					      : "Too many services to draw a map; the tables below list everything.";
	} else {
		rc = report_map_svg(&d->svg, &d->svglen, g, d->n > collapse);
		if (rc == DC_ERROR) {
			d->map_mode = "none";
			d->map_note = "Graphviz could not lay the map out; the tables below list everything.";
			rc = 0;
		} else if (rc) {
			goto out;
		}
	}

	/* the load section's map: the overlay is drawn per service */
	if (opts->version >= 5 && opts->overload) {
		d->ov = opts->overload;
		if (d->n > collapse || d->n > map_max) {
			d->load_map_note = "More services than a readable map holds: no load map; the tables list "
					   "everything (depcheck render --load --highlight NAME draws a neighbourhood).";
		} else if ((rc = report_load_map_svg(&d->load_svg, &d->load_svglen, g, d->ov)) == DC_ERROR) {
			d->load_map_note = "Graphviz could not lay the load map out; the tables list everything.";
			rc = 0;
		} else if (rc) {
			goto out;
		}
	}

	rc = compute_cascades(d, opts->cascade_budget ? opts->cascade_budget : DEFAULT_BUDGET);
out:
	dc_policy_free(own_policy);
	if (rc)
		dc_report_data_free(d);
	else
		*out = d;
	return rc;
}

/* ---- the page: writing what was computed ------------------------------------ */

int dc_report_write_data(FILE *fp, const dc_report_data *d)
{
	report_ctx r;
	char *json = NULL;
	size_t jlen = 0;
	const char *t, *slot;
	FILE *mem;
	int rc;

	if (!fp || !d)
		return DC_EINVALID;
	memset(&r, 0, sizeof(r));
	r.d = d;

	/* the data */
	mem = open_memstream(&json, &jlen);
	if (!mem)
		return DC_ENOMEM;
	dc_jw_init(&r.w, mem);
	rc = write_data(&r);
	if (fclose(mem) != 0 || !json)
		rc = rc ? rc : DC_ENOMEM;
	if (rc)
		goto out;

	/* the template: @JSHASH@ @TITLE@ @CSS@ @MAP@ @DATA@ @JS@ */
	for (t = report_report_html; (slot = strchr(t, '@')) != NULL;) {
		const char *e = strchr(slot + 1, '@');
		size_t k;
		if (!e)
			break;
		k = (size_t)(e - slot - 1);
		fwrite(t, 1, (size_t)(slot - t), fp);
		if (k == 5 && !strncmp(slot + 1, "TITLE", 5))
			put_html_text(fp, d->title);
		else if (k == 3 && !strncmp(slot + 1, "CSS", 3))
			fputs(report_report_css, fp);
		else if (k == 3 && !strncmp(slot + 1, "MAP", 3)) {
			if (d->svg)
				fwrite(d->svg, 1, d->svglen, fp);
		} else if (k == 7 && !strncmp(slot + 1, "LOADMAP", 7)) {
			if (d->load_svg)
				fwrite(d->load_svg, 1, d->load_svglen, fp);
		} else if (k == 4 && !strncmp(slot + 1, "DATA", 4))
			put_json_html(fp, json, jlen);
		else if (k == 2 && !strncmp(slot + 1, "JS", 2))
			fputs(report_report_js, fp);
		else if (k == 6 && !strncmp(slot + 1, "JSHASH", 6)) {
			/* the policy allows exactly this script: no inline script or
			 * handler that a crafted input smuggled into the page runs */
			uint8_t h[32];
			char b64[45];
			dc_sha256(report_report_js, strlen(report_report_js), h);
			dc_sha256_base64(h, b64);
			fprintf(fp, "'sha256-%s'", b64);
		}
		else {
			fwrite(slot, 1, k + 1, fp);
			t = e;
			continue;
		}
		t = e + 1;
	}
	fputs(t, fp);
	rc = ferror(fp) ? DC_EIO : 0;
out:
	free(json);
	return rc;
}

int dc_report_write(FILE *fp, const dc_graph *g, const dc_report_options *opts)
{
	dc_report_data *d = NULL;
	int rc;
	if (!fp)
		return DC_EINVALID;
	rc = dc_report_compute(&d, g, opts);
	if (!rc)
		rc = dc_report_write_data(fp, d);
	dc_report_data_free(d);
	return rc;
}
