/*
 * read_all.c - one whole input stream into one buffer (load_read_all, see
 * util.h), shared by the catalog loader, the policy and the observed
 * dependencies readers.
 *
 * Every parser of depcheck wants the whole text at once (cgraph, libyaml,
 * jansson, the locations of diagnostics), so a file is read into memory,
 * bounded by a size limit. A regular file gets one buffer of its size; a
 * pipe a doubling series.
 *
 * load_open_input opens a named input: regular files and FIFOs (with a
 * bounded wait for a writer) are read, devices and sockets refused.
 */
#include "util.h"

#include <depcheck/common.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
	dc_mem_hint_huge(buf, cap + 1);
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

/* ---- opening a named input ------------------------------------------------ */

const char *load_special_kind(unsigned mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return NULL;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* fd: a FIFO opened O_NONBLOCK. Wait for a writer: 0 when one is there
 * (*pushback: the first byte, already read, or -1) or came and went (the
 * read then sees the end at once), 1 when none came within
 * LOAD_FIFO_WAIT_MS, -1 on a read error (errno). A read of a FIFO without
 * a writer returns 0 at once; with a writer and no data it fails with
 * EAGAIN: that tells "nobody opened it yet" from "a writer, still quiet",
 * which must not time out (a slow generator behind /dev/stdin). */
static int fifo_wait(int fd, int *pushback)
{
	int64_t deadline = now_ms() + LOAD_FIFO_WAIT_MS;
	*pushback = -1;
	for (;;) {
		unsigned char c;
		struct pollfd p;
		int64_t left;
		int r;
		ssize_t n = read(fd, &c, 1);
		if (n == 1) {
			*pushback = c;
			return 0;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
		if (n < 0)
			continue;
		/* no writer now: wait in short slices (one that opens and
		 * stays quiet is seen by the read above, not by poll) */
		left = deadline - now_ms();
		if (left <= 0)
			return 1;
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		r = poll(&p, 1, left < 100 ? (int)left : 100);
		if (r < 0 && errno != EINTR)
			return -1;
		/* POLLHUP alone: a writer opened it and closed it, writing
		 * nothing (Linux reports it only for writers since our open) */
		if (r > 0 && (p.revents & POLLHUP) && !(p.revents & POLLIN))
			return 0;
	}
}

int load_open_input(const char *path, FILE **fp, const char **why, int *is_fifo)
{
	struct stat st;
	const char *kind;
	int fd, flags, pushback = -1;
	*fp = NULL;
	*why = NULL;
	if (is_fifo)
		*is_fifo = 0;
	/* refuse devices and sockets before opening them: opening a device
	 * can have effects of its own (a tty, a tape) */
	if (stat(path, &st) != 0) {
		*why = strerror(errno);
		return DC_EIO;
	}
	if (S_ISDIR(st.st_mode)) {
		*why = "it is a directory";
		return DC_EIO;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		kind = load_special_kind(st.st_mode);
		*why = S_ISSOCK(st.st_mode) ? "a socket, not a file: refused"
		       : kind ? "a device, not a file: refused (use a regular file or a pipe)"
		       : "not a regular file: refused";
		return DC_EIO;
	}
	/* O_NONBLOCK: opening a FIFO without a writer returns at once (a
	 * plain open would block until one comes, perhaps never) */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOMEM)
			return DC_ENOMEM;
		*why = strerror(errno);
		return DC_EIO;
	}
	/* the node may have been replaced between stat and open: judge the
	 * one that was opened */
	if (fstat(fd, &st) != 0 || (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))) {
		close(fd);
		*why = "not a regular file or a pipe: refused";
		return DC_EIO;
	}
	if (S_ISFIFO(st.st_mode)) {
		int r = fifo_wait(fd, &pushback);
		if (r) {
			_Static_assert(LOAD_FIFO_WAIT_MS == 10000, "the message says 10 seconds");
			*why = r > 0 ? "a FIFO that no writer opened within 10 seconds"
			       : strerror(errno);
			close(fd);
			return DC_EIO;
		}
		if (is_fifo)
			*is_fifo = 1;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		*why = strerror(errno);
		close(fd);
		return DC_EIO;
	}
	*fp = fdopen(fd, "rb");
	if (!*fp) {
		int e = errno;
		close(fd);
		if (e == ENOMEM)
			return DC_ENOMEM;
		*why = strerror(e);
		return DC_EIO;
	}
	/* one byte of push-back is guaranteed */
	if (pushback >= 0 && ungetc(pushback, *fp) == EOF) {
		fclose(*fp);
		*fp = NULL;
		*why = "cannot read";
		return DC_EIO;
	}
	return 0;
}
