/*
 * bench_solver.c - the solver list of `routebench bench` (bench_solver.h): options, name
 * checks, and each solver's cell at one size with its mismatch named. Cost: one temp folder
 * per run. Lesson: a row names its culprit; "checksum differs" is where a search starts, the
 * first wrong number is where it ends.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_solver.h"
#include "registry.h"

/* One NAME=COMMAND appended; where says where it came from ("--solver", "FILE:LINE"). */
static int add_one(const char *spec, const char *where, struct bench_solvers *s)
{
	const char *why = "";

	if (s->n == BENCH_MAX_SOLVERS)
		return cli_usage_error("bench", "%s: more than %d solvers", where,
				       BENCH_MAX_SOLVERS);
	if (bench_solver_parse(spec, &s->v[s->n], &why) != 0) {
		rb_cmd_free(&s->v[s->n].cmd);
		return cli_usage_error("bench", "%s: %s in '%s'", where, why, spec);
	}
	s->n++;
	return 0;
}

/* Every line of path: blank lines and '#' comments skipped. */
static int add_file(const char *path, struct bench_solvers *s)
{
	FILE *f = fopen(path, "r");
	char line[1200], where[4200];
	int rc = 0;

	if (!f)
		return cli_usage_error("bench", "--solvers: %s: %s", path, strerror(errno));
	for (size_t n = 1; rc == 0 && fgets(line, sizeof(line), f); n++) {
		char *p = line;

		line[strcspn(line, "\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%zu", path, n);
		rc = add_one(p, where, s);
	}
	fclose(f);
	return rc;
}

int bench_solvers_option(const struct cli_parser *p, int file, struct bench_solvers *s)
{
	return file ? add_file(p->arg, s) : add_one(p->arg, "--solver", s);
}

int bench_solvers_check(const struct bench_solvers *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *name = s->v[i].name;

		if (rt_find(name) || strcmp(name, BENCH_STREAM_IMPL) == 0)
			return cli_usage_error("bench", "--solver: '%s' is the name of an "
							"implementation (see 'routebench list')",
					       name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(name, s->v[j].name) == 0)
				return cli_usage_error("bench", "--solver: '%s' given twice",
						       name);
	}
	return 0;
}

void bench_solvers_reset(struct bench_solvers *s)
{
	memset(s->failed, 0, sizeof(s->failed));
}

/* RUN/tmp, made once. 0 or -errno. */
static int make_tmp(struct bench_solvers *s, const char *dir)
{
	if (s->tmp[0])
		return 0;
	if ((size_t)snprintf(s->tmp, sizeof(s->tmp), "%s/tmp", dir) >= sizeof(s->tmp))
		return -ENAMETOOLONG;
	if (mkdir(s->tmp, 0777) != 0 && errno != EEXIST) {
		int rc = -errno;

		fprintf(stderr, "routebench bench: %s: %s\n", s->tmp, strerror(-rc));
		s->tmp[0] = '\0';
		return rc;
	}
	return 0;
}

int bench_solvers_cell(struct bench_solvers *s, size_t i, const struct bench_cell_args *a,
		       uint64_t size, const char *dir, struct bench_answers *ref,
		       struct bench_cell *row)
{
	char *failed = s->failed[i];
	uint64_t at;
	int rc;

	if (*failed) {
		bench_cell_init(row, s->v[i].name, bench_allocator_name(a->allocator));
		snprintf(row->strategy, sizeof(row->strategy), "%s", BENCH_SOLVER_STRATEGY);
		row->n_routes = size;
		row->n_carriers = a->n_carriers;
		row->status = BENCH_SKIPPED;
		bench_cell_detail(row, "%s", failed);
		return 0;
	}
	rc = make_tmp(s, dir);
	if (rc == 0)
		rc = bench_solver_run(&s->v[i], a, size, s->tmp, row);
	if (rc == 0 && row->status == BENCH_OK &&
	    bench_answers_check(ref, row->checkpoints, &at) != 0) {
		row->status = BENCH_MISMATCH;
		bench_cell_detail(row, "checksum differs from earlier rows at the first %" PRIu64
				       " numbers", at);
		bench_solver_explain(a, s->tmp, at, row);
	}
	if (rc == 0 && (row->status == BENCH_OOM || row->status == BENCH_TIMEOUT ||
			row->status == BENCH_CRASH))
		snprintf(failed, BENCH_FAILED_MAX, "after %s at n=%" PRIu64,
			 bench_status_name(row->status), size);
	if (s->tmp[0])
		bench_solver_clean(s->tmp);
	return rc;
}

void bench_solvers_done(struct bench_solvers *s)
{
	if (s->tmp[0]) {
		bench_solver_clean(s->tmp);
		rmdir(s->tmp);
	}
	for (size_t i = 0; i < s->n; i++)
		rb_cmd_free(&s->v[i].cmd);
	s->n = 0;
}
