/*
 * suggest.c - "did you mean": a bounded Damerau-Levenshtein distance
 * (optimal string alignment) and the closest of a list of words.
 *
 * Used wherever a name is looked up in a known set: attribute keys of the
 * loaders, rules and options of a policy, and on the command line the
 * commands, options, service names and selector values. Only the cells
 * within `max` of the diagonal are computed (Ukkonen's band), so a lookup
 * over N names is O(N * len * max), never quadratic in the name length.
 */
#include <depcheck/common.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define DC_SUGGEST_MAXLEN 255

unsigned dc_edit_distance(const char *a, const char *b, unsigned max)
{
	/* three rows: i-2, i-1, i (transpositions look two rows back) */
	unsigned char rows[3][DC_SUGGEST_MAXLEN + 1];
	size_t la, lb, i, j;
	unsigned cap;
	if (max > 8)
		max = 8;
	cap = max + 1;
	if (!a || !b)
		return cap;
	la = strlen(a);
	lb = strlen(b);
	if (la > DC_SUGGEST_MAXLEN || lb > DC_SUGGEST_MAXLEN)
		return cap;
	if ((la > lb ? la - lb : lb - la) > max)
		return cap;
	for (j = 0; j <= lb; j++)
		rows[0][j] = (unsigned char)(j < cap ? j : cap);
	for (i = 1; i <= la; i++) {
		unsigned char *cur = rows[i % 3], *prev = rows[(i - 1) % 3], *pp = rows[(i + 1) % 3];
		size_t lo = i > max ? i - max : 1, hi = i + max < lb ? i + max : lb;
		unsigned best = cap;
		cur[0] = (unsigned char)(i < cap ? i : cap);
		/* cells outside the band are "more than max" */
		if (lo > 1)
			cur[lo - 1] = (unsigned char)cap;
		for (j = lo; j <= hi; j++) {
			unsigned d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			unsigned ins = cur[j - 1] + 1u;
			unsigned del = prev[j] + 1u;
			if (ins < d)
				d = ins;
			if (del < d)
				d = del;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    (unsigned)pp[j - 2] + 1u < d)
				d = pp[j - 2] + 1u;
			if (d > cap)
				d = cap;
			cur[j] = (unsigned char)d;
			if (d < best)
				best = d;
		}
		if (hi < lb)
			cur[hi + 1] = (unsigned char)cap;
		if (best > max)
			return cap;
	}
	return rows[la % 3][lb];
}

const char *dc_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t i, len;
	unsigned bd, d;
	int tie = 0;
	if (!word || !candidates)
		return NULL;
	len = strlen(word);
	bd = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	bd++; /* a candidate must be closer than this */
	for (i = 0; i < n; i++) {
		if (!candidates[i] || !strcmp(candidates[i], word))
			continue;
		d = !strcasecmp(candidates[i], word) ? 0 : dc_edit_distance(word, candidates[i], bd);
		if (d < bd) {
			bd = d;
			best = candidates[i];
			tie = 0;
		} else if (best && d == bd && strcmp(best, candidates[i])) {
			tie = 1;
		}
	}
	/* two equally close words: a guess between them would mislead */
	return tie ? NULL : best;
}
