/*
 * alloc_fail.c - allocation-failure test (jansson's test_chaos.c, made
 * exhaustive): for N = 1, 2, ... make the Nth allocation of a scenario
 * fail, in a forked child, until a run makes fewer than N allocations.
 * A scenario is what a CLI command does with the library: load (+
 * finalize), graph, analyze, critical path, plan, simulate, export
 * (tests/exercise.c). The example's scenario ("streaming") goes on with
 * every other command's library calls: diff against
 * testdata/diff/streaming-head.yaml (loaded once, before counting: the
 * loader is swept already) with its DOT map,
 * reconcile with testdata/reconcile/streaming-calls.csv (and the
 * undeclared-dependency findings), check (the default policy and a parsed
 * one, baseline comparison), availability (2,000 trials, seed 1, one
 * thread, then two threads with Monte Carlo everywhere), the HTML report
 * (with its availability section) and render to DOT and SVG. Scenario
 * "load" runs the load model (a slowdown, a surge, lost capacity, the
 * metastability decision and its verified fix) and both its writers.
 *
 * How failures are injected: this executable defines malloc, calloc,
 * realloc, free, strdup and strndup, so every allocation of the process
 * goes through them, libyaml's, jansson's and libc's internal ones
 * included. They forward to the next definition (glibc's, or the
 * sanitizer's interceptors in a -DDC_SANITIZE build, found with
 * dlsym(RTLD_NEXT)) and, while a scenario runs, count down to the failure.
 *
 * What each run checks (its code):
 *   0   the Nth allocation failed and the scenario reported it: a status
 *       other than 0 (DC_ENOMEM, or a load error with an error diagnostic)
 *   10  the scenario made fewer than N allocations: the loop is over
 *   3   leak: allocations made during the scenario and not freed (counted
 *       here, so the normal build checks it too; LSan checks it again at
 *       exit in the sanitizer build)
 *   4   the allocation failed and the scenario still reported success:
 *       a swallowed failure (a result that silently lacks something)
 *   5   the scenario failed without a failed allocation, or NULL arrived
 *       without an error diagnostic for a load error
 *   6   an allocation of depcheck's own code failed and the status is not
 *       DC_ENOMEM (a file that "cannot be opened", a "bad" regex)
 *   7   a thread creation failed (pthread_create is interposed too and
 *       counts as an allocation) and the scenario failed: it must go on
 *       with fewer threads
 *   11  the allocation failed inside jansson, which went on without it
 *       (see child()): counted, tolerated
 *   a signal: a crash
 *
 * Scenario "own-only" restricts failures to allocations made from this
 * executable's code (libdepcheck is linked in statically), not from shared
 * libraries: Graphviz's allocator exits the process when malloc fails,
 * so the DOT loader can only be tested that way. The same restriction
 * holds while exercise.c works through Graphviz (DOT export, render,
 * the report's map, diff's map: its graphviz hook): there the allocations
 * of Graphviz and of the libraries its plugins use (glib, pango, cairo)
 * are neither failed nor counted (what they keep for the process is
 * LSan's to check in the sanitizer build).
 *
 * Runs are made in this process, one after the other (the allocation
 * table above tells each run's leaks apart); DC_ALLOC_FORK=1 forks one
 * child per run instead, so that a crash does not stop the loop, and
 * DC_ALLOC_TRACE=1 prints a backtrace of each failing allocation,
 * DC_ALLOC_COUNT=1 only counts a scenario's allocations, and
 * DC_ALLOC_HEAVY=MASK replaces the scenario's DC_EX_* parts (exercise.h).
 *
 * Usage: dc_alloc_fail TESTDATA [SCENARIO [FIRST [LAST]]] ; without a
 * scenario, all of them. Prints one line per scenario: allocations,
 * failures injected, problems found.
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <depcheck/depcheck.h>

#include "doc.h" /* doc_yaml_set_pipeline: the "pipeline" scenario */

#include "exercise.h"

/* ---- the interposed allocator ----------------------------------------------- */

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);

static malloc_fn next_malloc;
static calloc_fn next_calloc;
static realloc_fn next_realloc;
static free_fn next_free;

static int armed;             /* counting (and failing) only while a scenario runs */
static int own_only;          /* fail only allocations from this executable */
static long countdown;        /* the allocation that fails: when it reaches 0 */
static long allocs;           /* allocations made while armed */
static long live;             /* allocated minus freed while armed */
static long injected;         /* failures injected */
static const void *fail_site; /* the code whose allocation failed */
static int fail_thread;       /* the failure was a thread creation's */
static __thread int on_main;  /* set on the main thread only */
static int trace;             /* DC_ALLOC_TRACE set: backtrace of the failing allocation */

/* Blocks allocated while armed: pointer -> the code that asked for it
 * (open addressing, deletion by tombstone). What is left after a scenario
 * is a leak, reported with its allocation site. */
#define LIVE_BITS 20
#define TOMB ((void *)1)
static struct { void *p; const void *site; unsigned gen; } table[1u << LIVE_BITS];
static unsigned gen = 1;      /* entries of older generations are empty: a new
                                 run starts with gen++, not a 24 MB memset */

static size_t slot_of(const void *p)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> (64 - LIVE_BITS));
}

static void live_add(void *p, const void *site)
{
	size_t i = slot_of(p), mask = (1u << LIVE_BITS) - 1;
	while (table[i].gen == gen && table[i].p && table[i].p != TOMB)
		i = (i + 1) & mask;
	table[i].p = p;
	table[i].site = site;
	table[i].gen = gen;
	live++;
}

static void live_del(void *p)
{
	size_t i = slot_of(p), mask = (1u << LIVE_BITS) - 1;
	while (table[i].gen == gen && table[i].p) {
		if (table[i].p == p) {
			table[i].p = TOMB;
			live--;
			return;
		}
		i = (i + 1) & mask;
	}
	/* allocated before the scenario started: not ours to count */
}

#include "boot_alloc.h"

/* Under ASan the sanitizer's allocator must do the work (redzones, leak
 * checking), and calling dlsym before it is initialized crashes: its
 * entry points are reachable directly under these names. */
extern void *__interceptor_malloc(size_t) __attribute__((weak));
extern void *__interceptor_calloc(size_t, size_t) __attribute__((weak));
extern void *__interceptor_realloc(void *, size_t) __attribute__((weak));
extern void __interceptor_free(void *) __attribute__((weak));

static int resolving;

static void resolve(void)
{
	if (next_malloc || resolving)
		return;
	if (__interceptor_malloc && __interceptor_calloc && __interceptor_realloc && __interceptor_free) {
		next_malloc = __interceptor_malloc;
		next_calloc = __interceptor_calloc;
		next_realloc = __interceptor_realloc;
		next_free = __interceptor_free;
		return;
	}
	resolving = 1;
	next_malloc = (malloc_fn)dlsym(RTLD_NEXT, "malloc");
	next_calloc = (calloc_fn)dlsym(RTLD_NEXT, "calloc");
	next_realloc = (realloc_fn)dlsym(RTLD_NEXT, "realloc");
	next_free = (free_fn)dlsym(RTLD_NEXT, "free");
	resolving = 0;
	if (!next_malloc || !next_calloc || !next_realloc || !next_free)
		abort();
}

/* Is the caller (two frames up: the caller of malloc) in this executable? */
static int caller_is_own(const void *ret)
{
	Dl_info self, who;
	static void *self_base;
	if (!self_base) {
		if (!dladdr((void *)caller_is_own, &self))
			return 1;
		self_base = self.dli_fbase;
	}
	if (!dladdr(ret, &who))
		return 0;
	return who.dli_fbase == self_base;
}

/* 1 when this allocation must fail; 2 when it is not counted (not armed,
 * or made by a library while only depcheck's own allocations count: what
 * Graphviz and its plugins' libraries (glib, pango, cairo) keep is theirs,
 * LSan checks it in the sanitizer build); 0 otherwise. */
static int should_fail(const void *ret)
{
	if (!armed)
		return 2;
	if (own_only && !caller_is_own(ret))
		return 2;
	/* a worker thread's libc allocations are the sanitizer runtime's
	 * (ASan's thread start asks pthread_getattr_np, which allocates, and
	 * aborts when that fails): not depcheck's to handle */
	if (!on_main && !caller_is_own(ret))
		return 2;
	allocs++;
	if (--countdown == 0) {
		injected++;
		fail_site = ret;
		if (trace) {
			void *bt[32];
			int n = backtrace(bt, 32);
			backtrace_symbols_fd(bt, n, 2);
		}
		return 1;
	}
	return 0;
}

/* malloc on behalf of the code at `ret` */
static void *do_malloc(size_t n, const void *ret)
{
	void *p;
	int f;
	if (!next_malloc) {
		if (resolving)
			return boot_alloc(n);
		resolve();
	}
	if ((f = should_fail(ret)) == 1) {
		errno = ENOMEM;
		return NULL;
	}
	p = next_malloc(n);
	if (p && !f)
		live_add(p, ret);
	return p;
}

void *malloc(size_t n)
{
	return do_malloc(n, __builtin_return_address(0));
}

void *calloc(size_t a, size_t b)
{
	void *p;
	int f;
	if (!next_calloc) {
		if (resolving) {
			p = boot_alloc(a * b);
			if (p)
				memset(p, 0, a * b);
			return p;
		}
		resolve();
	}
	if ((f = should_fail(__builtin_return_address(0))) == 1) {
		errno = ENOMEM;
		return NULL;
	}
	p = next_calloc(a, b);
	if (p && !f)
		live_add(p, __builtin_return_address(0));
	return p;
}

void *realloc(void *old, size_t n)
{
	void *p;
	int f;
	if (!next_realloc)
		resolve();
	if (in_boot(old)) {
		p = malloc(n);
		if (p)
			memcpy(p, old, n);
		return p;
	}
	if ((f = should_fail(__builtin_return_address(0))) == 1) {
		errno = ENOMEM;
		return NULL;
	}
	p = next_realloc(old, n);
	if (armed && (p || n == 0)) {
		if (old)
			live_del(old);
		if (p && !f)
			live_add(p, __builtin_return_address(0));
	}
	return p;
}

void free(void *p)
{
	if (!p || in_boot(p))
		return;
	if (!next_free)
		resolve();
	if (armed)
		live_del(p);
	next_free(p);
}

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = do_malloc(n, __builtin_return_address(0));
	if (p)
		memcpy(p, s, n);
	return p;
}

char *strndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *p = do_malloc(n + 1, __builtin_return_address(0));
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Thread creation counts as an allocation (its stack): the Nth one may
 * fail too, with EAGAIN. depcheck's workers take their work from a shared
 * counter, so a thread that cannot be started means less parallelism and
 * the same result: the run must succeed (and not leak). */
typedef int (*pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
static pthread_create_fn next_pthread_create;

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	if (!next_pthread_create)
		next_pthread_create = (pthread_create_fn)dlsym(RTLD_NEXT, "pthread_create");
	if (!next_pthread_create)
		return EAGAIN;
	if (should_fail(__builtin_return_address(0)) == 1) {
		fail_thread = 1;
		return EAGAIN;
	}
	return next_pthread_create(t, attr, fn, arg);
}

/* ---- scenarios --------------------------------------------------------------- */

static const char *testdata;

static void graphviz_phase(int entering)
{
	/* DOT export builds a cgraph graph: only depcheck's own allocations
	 * may fail there (Graphviz exits on a failed malloc) */
	static int saved;
	if (entering) {
		saved = own_only;
		own_only = 1;
	} else {
		own_only = saved;
	}
}

typedef struct {
	const char *name;
	const char *paths[4];
	const char *fail;      /* simulate selector */
	int own_only;
	unsigned heavy;        /* DC_EX_* parts of exercise.h beyond export */
} scenario;

/* what the heavy parts compare with: the head of `depcheck diff` and the
 * calls of `depcheck reconcile` (read once, before counting starts) */
#define DIFF_HEAD "diff/streaming-head.yaml"
#define OBSERVED "reconcile/streaming-calls.csv"
static char *observed;
static size_t observed_len;
static dc_catalog *head_cat;
static dc_graph *diff_head;  /* loaded once: the loader is swept by the scenarios */

static char *join(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

#define LOAD_NO_DIAG 5000

/* a catalog load as the CLI makes it: 0, DC_ENOMEM, another load error
 * with an error diagnostic, or LOAD_NO_DIAG for one without (a bug) */
static int load(dc_catalog **cat, const char *const *paths, size_t npaths, dc_diags *diags)
{
	int rc = dc_catalog_load(cat, paths, npaths, NULL, diags);
	if (rc && rc != DC_ENOMEM && !dc_diags_count_severity(diags, DC_SEV_ERROR))
		rc = LOAD_NO_DIAG;
	return rc;
}

/* The library calls of a CLI run; returns 0 or the first failure. */
static int run_catalog(const scenario *s, size_t npaths)
{
	dc_diags *diags = NULL;
	dc_catalog *cat = NULL;
	dc_graph *g = NULL;
	char *paths_full[8];
	dc_exercise_opts eo = { NULL, NULL, graphviz_phase, 0, NULL, NULL, 0 };
	size_t i;
	int rc;

	memset(paths_full, 0, sizeof(paths_full));
	if ((rc = dc_diags_new(&diags)))
		return rc;
	for (i = 0; i < npaths; i++) {
		if (!(paths_full[i] = join(testdata, s->paths[i]))) {
			rc = DC_ENOMEM;
			goto out;
		}
	}
	if (!strcmp(s->name, "pipeline"))
		doc_yaml_set_pipeline(0, 7);
	rc = load(&cat, (const char *const *)paths_full, npaths, diags);
	doc_yaml_set_pipeline((size_t)-1, 0);
	if (rc)
		goto out;
	dc_diags_sort(diags);
	if ((rc = dc_graph_new(&g, cat)))
		goto out;
	/* export, as `depcheck export` writes it (to /dev/null) */
	eo.out = fopen("/dev/null", "w");
	if (!eo.out) {
		rc = DC_ENOMEM; /* fopen's FILE allocation failed: nothing else can */
		goto out;
	}
	eo.fail = s->fail;
	eo.heavy = getenv("DC_ALLOC_HEAVY") ? (unsigned)atoi(getenv("DC_ALLOC_HEAVY")) : s->heavy;
	eo.diff_head = diff_head;
	eo.observed = observed;
	eo.observed_len = observed_len;
	rc = dc_exercise(g, &eo);
out:
	if (eo.out)
		fclose(eo.out);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	for (i = 0; i < npaths; i++)
		free(paths_full[i]);
	return rc;
}

#define ALL_HEAVY (DC_EX_RENDER | DC_EX_CHECK | DC_EX_AVAIL | DC_EX_DIFF | DC_EX_RECONCILE | DC_EX_REPORT)

static const scenario scenarios[] = {
	/* the example catalog (47 services) */
	{ "streaming", { "catalogs/streaming/catalog.yaml" }, "discovery", 0, ALL_HEAVY },
	{ "json", { "catalogs/small/backend.json", "catalogs/small/shop.yaml" }, "zone:eu-a", 0, DC_EX_CHAOS },
	{ "backstage", { "catalogs/streaming-backstage" }, "discovery", 0, 0 },
	{ "compose", { "catalogs/streaming-compose/docker-compose.yml" }, "discovery", 0, 0 },
	{ "kubernetes", { "realworld/online-boutique/kubernetes-manifests.yaml" }, "cartservice", 0, 0 },
	/* Istio objects: edge policies, settings records, ServiceEntry, Sidecar */
	{ "mesh", { "mesh/istio/bookinfo.yaml", "mesh/linkerd/emojivoto.yaml", "mesh/gateway/store.yaml" }, "ratings", 0, 0 },
	/* Envoy and gRPC configs: caller-scoped edge policies, name forms */
	{ "proxies", { "envoy/productpage-config-dump.json", "envoy/bookinfo-catalog.yaml",
		       "grpc/frontend-service-config.json", "realworld/online-boutique/kubernetes-manifests.yaml" },
	  "reviews", 0, 0 },
	{ "dot", { "golden/dot-roundtrip-social/social.dot" }, "user-service", 1, 0 },
	/* the load model (lib/overload.c): a metastable storm, its fix verified */
	{ "load", { "catalogs/load/storm.yaml" }, "db", 0, DC_EX_LOAD },
	/* entry traffic, partly declared: the requests/s lost, ranked by them */
	{ "traffic", { "catalogs/traffic/partial.yaml" }, "db", 0, 0 },
	/* the example again, libyaml's parser on a second thread (forced for
	 * this small file, 7 events a batch: load_yaml.c): the ring and the
	 * thread's start may fail (the load then parses on this thread); the
	 * thread's own libyaml allocations are not counted (see should_fail) */
	{ "pipeline", { "catalogs/streaming/catalog.yaml" }, "discovery", 0, 0 },
};

/* Graphviz keeps memory for the life of the process (its string
 * dictionary, plugin state): not counted here; LSan, which sees what is
 * still reachable, checks a missing agclose in the sanitizer build. */
static int is_graphviz(const char *lib)
{
	return strstr(lib, "libcgraph") || strstr(lib, "libgvc") || strstr(lib, "libcdt") ||
	       strstr(lib, "libpathplan") || strstr(lib, "libxdot") || strstr(lib, "libgvplugin");
}

/* Offset of a code address in its module (for addr2line). */
static unsigned long site_offset(const void *site)
{
	Dl_info info;
	if (!dladdr(site, &info))
		return 0;
	return (unsigned long)((const char *)site - (const char *)info.dli_fbase);
}

static int site_in(const void *site, const char *lib)
{
	Dl_info info;
	return dladdr(site, &info) && info.dli_fname && strstr(info.dli_fname, lib);
}

/* Print what was not freed, by allocation site. Blocks that libc's stdio
 * allocated for itself are not leaks of the scenario: when its buffer
 * allocation fails, a stream is unbuffered and glibc keeps later buffers
 * it makes for the life of the process. Returns the number reported. */
static long report_leaks(const scenario *s, long n, int rc)
{
	size_t i;
	long count = 0;
	for (i = 0; i < (1u << LIVE_BITS); i++) {
		Dl_info info;
		if (table[i].gen != gen || !table[i].p || table[i].p == TOMB)
			continue;
		if (dladdr(table[i].site, &info) && info.dli_fname &&
		    (strstr(info.dli_fname, "libc.so") || is_graphviz(info.dli_fname)))
			continue;
		count++;
		fprintf(stderr, "%s N=%ld: not freed (status %d): a block allocated at %s+%#lx "
			"(addr2line -f -e %s %#lx)\n", s->name, n, rc, info.dli_fname ? info.dli_fname : "?",
			site_offset(table[i].site), info.dli_fname ? info.dli_fname : "?",
			site_offset(table[i].site) - 1);
	}
	return count;
}

static int child(const scenario *s, long n)
{
	size_t np = 0;
	int rc;
	while (np < 4 && s->paths[np])
		np++;
	own_only = s->own_only;
	countdown = n;
	allocs = live = injected = 0;
	fail_thread = 0;
	gen++;
	armed = 1;
	rc = run_catalog(s, np);
	armed = 0;
	if (!injected)
		return rc ? 5 : 10;
	if (live != 0 && report_leaks(s, n, rc))
		return 3;
	if (rc == 0 && fail_thread)
		return 0; /* fewer threads, same result */
	if (fail_thread) {
		fprintf(stderr, "%s N=%ld: a thread creation failed, and the scenario failed (status %d)\n",
			s->name, n, rc);
		return 7;
	}
	if (rc == 0 && site_in(fail_site, "libc.so"))
		return 0; /* stdio's buffer: the stream works unbuffered */
	/* jansson 2.14 ignores a failure to grow a token's buffer (lex_save
	 * drops the status of strbuffer_append_byte) and returns a document
	 * with that token cut short: nothing depcheck can see. Known, counted,
	 * not a failure of this test. */
	if (rc == 0 && site_in(fail_site, "libjansson"))
		return 11;
	if (rc == 0) {
		Dl_info info;
		int ok = dladdr(fail_site, &info);
		fprintf(stderr, "%s N=%ld: allocation failed, yet the scenario succeeded: the allocation "
			"at %s+%#lx\n", s->name, n, ok && info.dli_fname ? info.dli_fname : "?",
			site_offset(fail_site));
		return 4;
	}
	/* depcheck's own allocation failed: the status says out of memory
	 * (a parser library's failure may read as its syntax error) */
	if (rc != DC_ENOMEM && rc != LOAD_NO_DIAG && caller_is_own(fail_site)) {
		fprintf(stderr, "%s N=%ld: depcheck's allocation failed, status %d, not DC_ENOMEM\n",
			s->name, n, rc);
		return 6;
	}
	if (rc == LOAD_NO_DIAG) {
		fprintf(stderr, "%s N=%ld: load failed without an error diagnostic\n", s->name, n);
		return 5;
	}
	return 0;
}

static long current_n;
static const char *current_scenario;

/* A crash names the allocation that caused it. */
static void on_death(void)
{
	if (current_scenario) {
		char msg[128];
		int len = snprintf(msg, sizeof(msg), "\n%s N=%ld: crashed\n", current_scenario, current_n);
		if (len > 0 && write(2, msg, (size_t)len) < 0)
			return;
	}
}

extern void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

static void on_signal(int sig)
{
	on_death();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One run with the Nth allocation failing: in this process (fast; the
 * allocation table finds leaks, ASan the rest) or, with DC_ALLOC_FORK set,
 * in a child (a crash does not end the loop). Returns child()'s code, or
 * 128 + signal. */
static int one_run(const scenario *s, long n, int use_fork)
{
	pid_t pid;
	int st;
	if (!use_fork)
		return child(s, n);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0)
		exit(child(s, n)); /* exit, not _exit: LSan checks at exit */
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(1);
	}
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static int run_scenario(const scenario *s, long first, long last, int use_fork)
{
	long n, problems = 0, swallowed = 0, jansson = 0;
	size_t np = 0;
	while (np < 4 && s->paths[np])
		np++;
	/* a first run without failures: it must succeed, and it makes the
	 * libraries' lazily allocated globals (stdio, Graphviz, jansson's
	 * hash seed) exist before counting starts */
	if (run_catalog(s, np) != 0) {
		fprintf(stderr, "%s: the scenario fails without any injected failure\n", s->name);
		return 1;
	}
	if (getenv("DC_ALLOC_COUNT")) {
		child(s, 0);
		printf("%s: %ld allocations\n", s->name, allocs);
		return 0;
	}
	current_scenario = s->name;
	for (n = first; !last || n <= last; n++) {
		int code;
		current_n = n;
		code = one_run(s, n, use_fork);
		if (code >= 128) {
			fprintf(stderr, "%s N=%ld: killed by signal %d\n", s->name, n, code - 128);
			problems++;
			continue;
		}
		switch (code) {
		case 0: break;
		case 11: jansson++; break;
		case 10:
			printf("%s: %ld allocations, each made to fail in turn: %ld problem(s), %ld "
			       "swallowed failure(s)", s->name, n - 1, problems, swallowed);
			if (jansson)
				printf(", %ld swallowed inside jansson (known, tolerated)", jansson);
			printf("\n");
			current_scenario = NULL;
			return problems != 0;
		case 4: swallowed++; problems++; break;
		default: problems++; break;
		}
	}
	printf("%s: N=%ld..%ld: %ld problem(s)\n", s->name, first, last, problems);
	current_scenario = NULL;
	return problems != 0;
}

int main(int argc, char **argv)
{
	size_t i, ns = sizeof(scenarios) / sizeof(scenarios[0]);
	long first = argc > 3 ? atol(argv[3]) : 1, last = argc > 4 ? atol(argv[4]) : 0;
	int bad = 0, found = 0, use_fork;
	if (argc < 2) {
		fprintf(stderr, "usage: %s TESTDATA [SCENARIO [FIRST [LAST]]]\n", argv[0]);
		return 2;
	}
	testdata = argv[1];
	on_main = 1;
	{
		char *path = join(testdata, OBSERVED);
		dc_diags *hd = NULL;
		FILE *fp = path ? fopen(path, "rb") : NULL;
		if (!fp || !(observed = malloc(1 << 20)) ||
		    (observed_len = fread(observed, 1, 1 << 20, fp)) == 0) {
			fprintf(stderr, "%s: cannot read\n", path ? path : OBSERVED);
			return 2;
		}
		fclose(fp);
		free(path);
		path = join(testdata, DIFF_HEAD);
		if (!path || dc_diags_new(&hd) ||
		    dc_catalog_load(&head_cat, (const char *const *)&path, 1, NULL, hd) ||
		    dc_graph_new(&diff_head, head_cat)) {
			fprintf(stderr, "%s: cannot load\n", DIFF_HEAD);
			return 2;
		}
		dc_diags_free(hd);
		free(path);
	}
	use_fork = getenv("DC_ALLOC_FORK") != NULL;
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_death);
	else {
		signal(SIGSEGV, on_signal);
		signal(SIGABRT, on_signal);
		signal(SIGBUS, on_signal);
	}
	next_pthread_create = (pthread_create_fn)dlsym(RTLD_NEXT, "pthread_create");
	if (getenv("DC_ALLOC_TRACE")) {
		void *bt[2];
		trace = 1;
		backtrace(bt, 2); /* loads libgcc now, not inside a failing malloc */
	}
	for (i = 0; i < ns; i++) {
		if (argc > 2 && strcmp(argv[2], scenarios[i].name))
			continue;
		found = 1;
		bad |= run_scenario(&scenarios[i], first, last, use_fork);
	}
	if (!found) {
		fprintf(stderr, "unknown scenario '%s'\n", argv[2]);
		return 2;
	}
	free(observed);
	dc_graph_free(diff_head);
	dc_catalog_free(head_cat);
	return bad;
}
