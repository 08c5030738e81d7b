/*
 * driver.c - replay fuzz inputs without libFuzzer (libgit2's
 * standalone_driver.c): `fuzz_<target> PATH...` feeds every regular file
 * under each PATH (directories walked recursively, in sorted order) to
 * LLVMFuzzerTestOneInput once. Normal and sanitizer builds link this
 * driver into each target, so ctest replays the corpora and testdata on
 * every CI run; -DDEPCHECK_FUZZ=ON links libFuzzer's main instead.
 *
 * Exit 0 when every file ran (a crash kills the process, which is the
 * failure), 1 when a PATH cannot be read or holds no file at all.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replayed;

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	if (!fp) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *nb;
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				fclose(fp);
				free(buf);
				fprintf(stderr, "%s: out of memory\n", path);
				return 1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "%s: read error\n", path);
		fclose(fp);
		free(buf);
		return 1;
	}
	fclose(fp);
	/* exactly `len` bytes: a read past the end is caught by ASan */
	{
		uint8_t *exact = malloc(len ? len : 1);
		if (!exact) {
			free(buf);
			return 1;
		}
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	replayed++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? run_file(path) : 0;
	if (!(d = opendir(path))) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		char *full;
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));
			if (!nn) {
				rc = 1;
				break;
			}
			names = nn;
		}
		full = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!full) {
			rc = 1;
			break;
		}
		sprintf(full, "%s/%s", path, e->d_name);
		names[n++] = full;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		if (!rc)
			rc = run_path(names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int i, rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc && !rc; i++)
		rc = run_path(argv[i]);
	if (!rc && !replayed) {
		fprintf(stderr, "no input files\n");
		return 1;
	}
	if (!rc)
		printf("%zu inputs replayed\n", replayed);
	return rc;
}
