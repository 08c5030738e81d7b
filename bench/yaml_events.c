/*
 * yaml_events.c - the baseline for the load benchmark: a bare libyaml
 * event loop over a file, with nothing built from the events.
 *
 *   bench_yaml_events FILE
 *
 * Reads the whole file into memory (as depcheck's loader does), runs
 * yaml_parser_parse() until the end of the stream, deleting each event,
 * and prints the number of events. Exit 1 on a read or syntax error.
 */
#include <yaml.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	unsigned long long events = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	int done = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_yaml_events FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	do {
		if (cap - len < 65536) {
			char *nb;
			cap = cap ? cap * 2 : 1u << 20;
			nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "bench_yaml_events: out of memory\n");
				return 1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);

	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "bench_yaml_events: out of memory\n");
		return 1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "%s:%lu:%lu: YAML error: %s\n", argv[1],
				(unsigned long)parser.problem_mark.line + 1,
				(unsigned long)parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "invalid YAML");
			yaml_parser_delete(&parser);
			free(buf);
			return 1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		events++;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	free(buf);
	printf("%llu events\n", events);
	return 0;
}
