/*
 * measure.c - run a command and report its wall time and peak RSS.
 *
 *   bench_measure [-o FILE] CMD [ARG...]
 *
 * Forks, execs CMD (standard streams inherited), waits with wait4() and
 * prints one line "WALL_SECONDS MAXRSS_KB EXIT_CODE CPU_SECONDS" to FILE
 * (default: standard error); CPU is user + system time of the command. A command killed by a signal reports 128 + signal.
 * Exits 0 when the measurement itself worked, whatever CMD returned, so
 * that a script can decide what a given exit code means.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	FILE *out = stderr;
	struct rusage ru;
	int argi = 1, status = 0, code;
	double t0, t1;
	pid_t pid;

	if (argi + 1 < argc && !strcmp(argv[argi], "-o")) {
		outpath = argv[argi + 1];
		argi += 2;
	}
	if (argi < argc && !strcmp(argv[argi], "--"))
		argi++;
	if (argi >= argc) {
		fprintf(stderr, "usage: bench_measure [-o FILE] CMD [ARG...]\n");
		return 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("bench_measure: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[argi], argv + argi);
		fprintf(stderr, "bench_measure: %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench_measure: wait4");
			return 2;
		}
	}
	t1 = now();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (outpath && !(out = fopen(outpath, "w"))) {
		perror(outpath);
		return 2;
	}
	fprintf(out, "%.4f %ld %d %.4f\n", t1 - t0, ru.ru_maxrss, code,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6);
	if (out != stderr && fclose(out)) {
		perror(outpath);
		return 2;
	}
	return 0;
}
