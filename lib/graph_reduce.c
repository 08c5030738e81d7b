/*
 * graph_reduce.c - transitive reduction of the dependency graph
 * (dc_graph_transitive_reduction, include/depcheck/graph.h).
 *
 * A dependency a -> c is implied when a path a -> b -> ... -> c exists
 * through other components of the condensation, so leaving it out keeps
 * reachability unchanged. Edges inside a strongly connected component are
 * never implied (the condensation has no self loops), and any_of members
 * are never dropped: a group's redundancy is the point of drawing it.
 *
 * Bitsets over the condensation, providers first (component c's strict
 * reach is the union of its successors and their reaches), in column
 * blocks so memory stays under 64 MB at any size: O(E * C / 64) word
 * operations for C components. Maps use it to draw big graphs legibly
 * (lib/render.c); it knows nothing about drawing.
 */
#include <depcheck/graph.h>

#include <stdlib.h>
#include <string.h>

/* Reach rows kept per pass: at most 8M words (64 MB). */
#define REACH_WORDS_MAX ((size_t)8 << 20)

int dc_graph_transitive_reduction(const dc_graph *g, uint8_t *dropped, size_t *ndropped)
{
	const dc_catalog *cat;
	dc_scc *scc = NULL;
	size_t nc, words, lo, c, j, m, count = 0;
	uint64_t *reach = NULL, *cover = NULL;
	int rc;

	if (ndropped)
		*ndropped = 0;
	if (!g || !dropped)
		return DC_EINVALID;
	cat = dc_graph_catalog(g);
	m = dc_graph_edge_count(g);
	memset(dropped, 0, m);
	if ((rc = dc_scc_compute(&scc, g, DC_EDGES_ALL)))
		return rc;
	nc = dc_scc_count(scc);
	/* columns per pass */
	words = (nc + 63) / 64;
	if (words * nc > REACH_WORDS_MAX)
		words = REACH_WORDS_MAX / (nc ? nc : 1);
	if (!words)
		words = 1;
	reach = malloc(words * nc * sizeof(*reach) + 1);
	cover = malloc(words * sizeof(*cover));
	if (!reach || !cover) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (lo = 0; lo < nc; lo += words * 64) {
		size_t hi = lo + words * 64;
		for (c = 0; c < nc; c++) {
			const dc_id *mem;
			size_t nm = dc_scc_members(scc, (uint32_t)c, &mem), k;
			uint64_t *row = reach + c * words;
			memset(cover, 0, words * sizeof(*cover));
			/* cover = union over successor components C of reach(C) \ {C}
			 * (C is not in its own strict reach: the condensation is acyclic) */
			for (k = 0; k < nm; k++) {
				const dc_id *to;
				size_t first, deg = dc_graph_out(g, mem[k], &to, &first);
				for (j = 0; j < deg; j++) {
					size_t cc = dc_scc_of(scc, to[j]), w, own = SIZE_MAX;
					const uint64_t *src = reach + cc * words;
					uint64_t bit = 0;
					if (cc == c)
						continue;
					if (cc >= lo && cc < hi) {
						own = (cc - lo) / 64;
						bit = (uint64_t)1 << ((cc - lo) % 64);
					}
					for (w = 0; w < words; w++)
						cover[w] |= w == own ? src[w] & ~bit : src[w];
				}
			}
			/* edges implied by cover are dropped (any_of members never) */
			for (k = 0; k < nm; k++) {
				const dc_id *to;
				size_t first, deg = dc_graph_out(g, mem[k], &to, &first);
				for (j = 0; j < deg; j++) {
					size_t cc = dc_scc_of(scc, to[j]);
					if (cc == c || cc < lo || cc >= hi || dc_dep_group(cat, first + j))
						continue;
					if (cover[(cc - lo) / 64] >> ((cc - lo) % 64) & 1)
						dropped[first + j] = 1;
				}
			}
			/* reach(c) = {c} + successors + cover */
			memcpy(row, cover, words * sizeof(*row));
			for (k = 0; k < nm; k++) {
				const dc_id *to;
				size_t first, deg = dc_graph_out(g, mem[k], &to, &first);
				for (j = 0; j < deg; j++) {
					size_t cc = dc_scc_of(scc, to[j]);
					if (cc >= lo && cc < hi)
						row[(cc - lo) / 64] |= (uint64_t)1 << ((cc - lo) % 64);
				}
			}
			if (c >= lo && c < hi)
				row[(c - lo) / 64] |= (uint64_t)1 << ((c - lo) % 64);
		}
	}
	for (j = 0; j < m; j++)
		count += dropped[j];
	if (ndropped)
		*ndropped = count;
out:
	free(reach);
	free(cover);
	dc_scc_free(scc);
	return rc;
}
