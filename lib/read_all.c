/*
 * read_all.c - one whole input stream into one buffer (load_read_all, see
 * util.h), shared by the catalog loader, the policy and the observed
 * dependencies readers.
 *
 * Every parser of depcheck wants the whole text at once (cgraph, libyaml,
 * jansson, the locations of diagnostics), so a file is read into memory,
 * bounded by a size limit. A regular file gets one buffer of its size; a
 * pipe a doubling series.
 */
#include "util.h"

#include <depcheck/common.h>

#include <stdint.h>
#include <sys/stat.h>

int load_read_all(FILE *fp, size_t max, char **out, size_t *outlen, int *too_big)
{
	size_t cap = 65536, len = 0;
	/* reading max + 1 bytes tells a file of exactly max bytes from a
	 * bigger one */
	size_t limit = max < SIZE_MAX - 1 ? max + 1 : SIZE_MAX - 1;
	char *buf;
	struct stat st;
	/* a regular file: one buffer of the right size (plus one byte, to see
	 * the end), not a doubling series of copies */
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < (uint64_t)max)
		cap = (size_t)st.st_size + 1;
	if (cap > limit)
		cap = limit;
	buf = malloc(cap + 1);
	*too_big = 0;
	if (!buf)
		return DC_ENOMEM;
	for (;;) {
		size_t n;
		if (len == cap) {
			char *nb;
			if (len > max) {
				*too_big = 1;
				free(buf);
				return DC_ELIMIT;
			}
			cap = cap > limit / 2 ? limit : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				return DC_ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp)) {
				free(buf);
				return DC_EIO;
			}
			break;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}
