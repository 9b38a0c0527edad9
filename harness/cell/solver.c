/*
 * solver.c - a solver cell (solver.h): the command run once per checkpoint on the numbers cut
 * to their first q lines, its answers parsed and hashed as they stream in (checksum.h), its
 * end-to-end time per checkpoint in stream_points, its peak RSS from wait4(), its heap_bytes
 * when it prints `routebench: heap_bytes=N` on stderr. Cost: an exec and a numbers file per
 * checkpoint. Lesson: timing a whole program end to end counts its start-up and its parse,
 * which is what a user of it waits for.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allocator.h"
#include "checksum.h"
#include "clock.h"
#include "load.h"
#include "route_table.h"
#include "signals.h"
#include "solver.h"

#define ERR_MAX 512

int bench_solver_parse(const char *spec, struct bench_solver *s, const char **why)
{
	const char *eq = strchr(spec, '=');
	size_t len = eq ? (size_t)(eq - spec) : 0;

	memset(s, 0, sizeof(*s));
	if (!eq || len == 0) {
		*why = "expected NAME=COMMAND";
		return -EINVAL;
	}
	if (len > BENCH_SOLVER_NAME_MAX) {
		*why = "the name is longer than 31 characters";
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		if (!(spec[i] == '_' || spec[i] == '-' || spec[i] == '.' ||
		      (spec[i] >= '0' && spec[i] <= '9') || (spec[i] >= 'a' && spec[i] <= 'z') ||
		      (spec[i] >= 'A' && spec[i] <= 'Z'))) {
			*why = "a name is letters, digits, '_', '-' and '.'";
			return -EINVAL;
		}
	memcpy(s->name, spec, len);
	snprintf(s->command, sizeof(s->command), "%s", eq + 1);
	return rb_cmd_split(eq + 1, &s->cmd, why);
}

static int path_of(char *buf, const char *tmp, const char *name, uint64_t q)
{
	int n = q ? snprintf(buf, PATH_MAX, "%s/%s-%" PRIu64 ".txt", tmp, name, q)
		  : snprintf(buf, PATH_MAX, "%s/%s.txt", tmp, name);

	return n > 0 && n < PATH_MAX ? 0 : -ENAMETOOLONG;
}

/* Lines in path, at most max. 0 or -errno. */
static int count_lines(const char *path, uint64_t max, uint64_t *n)
{
	FILE *f = fopen(path, "r");
	uint64_t c = 0;
	int ch, last = '\n';

	if (!f)
		return -errno;
	while (c < max && (ch = getc(f)) != EOF) {
		c += ch == '\n';
		last = ch;
	}
	c += c < max && last != '\n';
	fclose(f);
	*n = c;
	return 0;
}

/* The first q lines of src into tmp/numbers-Q.txt. 0 or -errno. */
static int cut_numbers(const char *src, const char *tmp, uint64_t q)
{
	char path[PATH_MAX];
	FILE *in, *out;
	uint64_t lines = 0;
	int ch, rc;

	if ((rc = path_of(path, tmp, "numbers", q)) != 0)
		return rc;
	if (!(in = fopen(src, "r")))
		return -errno;
	if (!(out = fopen(path, "w"))) {
		rc = -errno;
		fclose(in);
		return rc;
	}
	while (lines < q && (ch = getc(in)) != EOF) {
		putc(ch, out);
		lines += ch == '\n';
	}
	fclose(in);
	return fclose(out) == 0 ? 0 : -EIO;
}

/* What one run's answers came to. */
struct answers {
	FILE *keep;      /* tmp/answers-Q.txt */
	uint64_t n, h;
	uint64_t bad;    /* 1 + the first line that is not +NUMBER,COST; 0 = none */
	char bad_line[48];
};

/* One answer line: kept, parsed ("0": no route) and folded into the hash. */
static void on_answer(const char *line, size_t len, struct rb_child *c, void *ctx)
{
	struct answers *ans = ctx;
	const char *comma = memchr(line, ',', len), *why;
	uint64_t cost = RT_NO_ROUTE;

	(void)c;
	if (len && line[len - 1] == '\r')
		len--;
	if (ans->keep)
		fprintf(ans->keep, "%.*s\n", (int)len, line);
	ans->n++;
	if (comma && !(line + len - comma == 2 && comma[1] == '0') &&
	    ds_parse_cost(comma + 1, (size_t)(line + len - comma - 1), &cost, &why) != 0)
		comma = NULL;
	if (!comma && !ans->bad) {
		ans->bad = ans->n;
		snprintf(ans->bad_line, sizeof(ans->bad_line), "%.*s", len > 40 ? 40 : (int)len,
			 line);
	}
	ans->h = bench_hash_step(ans->h, cost);
}

/* Each line of path through on_answer. */
static void read_answers(const char *path, struct answers *ans)
{
	FILE *f = fopen(path, "r");
	char line[RB_CHILD_LINE_MAX];

	while (f && fgets(line, sizeof(line), f))
		on_answer(line, strcspn(line, "\n"), NULL, ans);
	if (f)
		fclose(f);
}

/* Up to cap - 1 bytes of path, NUL-terminated. */
static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* The last non-empty line of err, into buf[cap] ("" when none). */
static void last_line(const char *err, char *buf, size_t cap)
{
	const char *end = err + strlen(err), *start;

	while (end > err && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > err && start[-1] != '\n')
		start--;
	snprintf(buf, cap, "%.*s", (int)(end - start), start);
}

/* How a run that did not exit 0 ended, as a status and detail in *row. */
static void classify(const struct rb_child *c, const char *err, double budget_s, uint64_t q,
		     struct bench_cell *row)
{
	int oom_text = strstr(err, "MemoryError") || strstr(err, "bad_alloc") ||
		       strstr(err, "Cannot allocate memory") || strstr(err, "out of memory");
	char last[100];

	last_line(err, last, sizeof(last));
	if (c->timed_out) {
		row->status = BENCH_TIMEOUT;
		bench_cell_detail(row, "killed after the %g s budget at q=%" PRIu64, budget_s, q);
	} else if (WIFSIGNALED(c->status) && WTERMSIG(c->status) == SIGKILL) {
		row->status = BENCH_OOM;
		bench_cell_detail(row, "SIGKILL at q=%" PRIu64 " (kernel OOM killer)", q);
	} else if (WIFSIGNALED(c->status)) {
		row->status = BENCH_CRASH;
		bench_cell_detail(row, "signal %d (%s) at q=%" PRIu64, WTERMSIG(c->status),
				  strsignal(WTERMSIG(c->status)), q);
	} else {
		row->status = oom_text ? BENCH_OOM : BENCH_CRASH;
		bench_cell_detail(row, "exit %d at q=%" PRIu64 "%s%s", WEXITSTATUS(c->status), q,
				  *last ? ": " : "", last);
	}
}

/* The run's files: its numbers, answers kept, {out} and stderr. */
struct run_paths {
	char numbers[PATH_MAX], answers[PATH_MAX], out[PATH_MAX], err[PATH_MAX];
};

/*
 * One run on the first q numbers with timeout_s left: seconds into *secs, answers into *ans,
 * the end and stderr into *c and err. 0 when it ran (however it ended), or -errno.
 */
static int run_once(const struct bench_solver *s, const struct bench_cell_args *a,
		    const struct run_paths *p, double timeout_s, struct rb_child *c,
		    struct answers *ans, char *err, double *secs)
{
	struct rb_argv *argv = malloc(sizeof(*argv));
	double t0;
	int rc = argv ? 0 : -ENOMEM;

	if (rc == 0)
		rc = rb_cmd_argv(&s->cmd, a->routes, a->n_carriers, p->numbers, p->out, argv);
	if (rc == 0 && !(ans->keep = fopen(p->answers, "w")))
		rc = -errno;
	if (rc != 0) {
		free(argv);
		return rc;
	}
	unlink(p->out);
	unlink(p->err);
	memset(c, 0, sizeof(*c));
	c->argv = argv->v;
	c->out = s->cmd.to_out ? RB_IO_NULL : RB_IO_PIPE;
	c->err = RB_IO_FILE;
	c->err_path = p->err;
	c->timeout_s = timeout_s;
	c->as_limit = a->mem_limit;
	t0 = rb_now_s();
	rc = rb_child_start(c);
	if (rc == 0) {
		rb_child_read(c, NULL, 0, on_answer, ans);
		rc = rb_child_wait(c);
	}
	*secs = rb_now_s() - t0;
	if (rc == 0 && s->cmd.to_out && rb_child_exited(c, 0))
		read_answers(p->out, ans);
	fclose(ans->keep);
	ans->keep = NULL;
	slurp(p->err, err, ERR_MAX);
	free(argv);
	return rc;
}

/* The answers of an exited-0 run judged by shape: q lines, each +NUMBER,COST. 0 or -1. */
static int judge_shape(const struct answers *ans, uint64_t q, struct bench_cell *row)
{
	if (ans->bad) {
		row->status = BENCH_MISMATCH;
		bench_cell_detail(row, "answer line %" PRIu64 " at q=%" PRIu64 " is not "
				       "+NUMBER,COST: '%s'", ans->bad, q, ans->bad_line);
	} else if (ans->n != q) {
		row->status = BENCH_MISMATCH;
		bench_cell_detail(row, "%" PRIu64 " answer lines for %" PRIu64 " numbers", ans->n,
				  q);
	}
	return row->status == BENCH_OK ? 0 : -1;
}

/* The row of a solver cell before any run. */
static void solver_row(const struct bench_solver *s, const struct bench_cell_args *a,
		       uint64_t n_routes, uint64_t total, struct bench_cell *row)
{
	bench_cell_init(row, s->name, bench_allocator_name(a->allocator));
	snprintf(row->strategy, sizeof(row->strategy), "%s", BENCH_SOLVER_STRATEGY);
	row->status = BENCH_OK;
	row->n_routes = n_routes;
	row->n_carriers = a->n_carriers;
	row->reps = 1;
	row->queries_total = total;
	row->mem_limit_bytes = a->mem_limit;
	row->heap_bytes = 0; /* unless it prints heap_bytes=N */
}

/* heap_bytes=N from the solver's stderr, if it printed one. */
static void note_heap(const char *err, struct bench_cell *row)
{
	const char *h = strstr(err, "routebench: heap_bytes=");
	long long v;

	if (h && sscanf(h + strlen("routebench: heap_bytes="), "%lld", &v) == 1)
		row->heap_bytes = v;
}

/* One checkpoint's files named. 0 or -ENAMETOOLONG. */
static int paths_for(const char *tmp, uint64_t q, struct run_paths *p)
{
	int rc = path_of(p->numbers, tmp, "numbers", q);

	if (rc == 0)
		rc = path_of(p->answers, tmp, "answers", q);
	if (rc == 0)
		rc = path_of(p->out, tmp, "out", 0);
	return rc ? rc : path_of(p->err, tmp, "stderr", 0);
}

/*
 * One checkpoint run and judged into *row, its time into *secs. 0 ok, 1 the run failed (row
 * says how), or -errno.
 */
static int checkpoint(const struct bench_solver *s, const struct bench_cell_args *a,
		      const char *tmp, uint64_t q, double left, struct bench_cell *row,
		      uint64_t *h, double *secs)
{
	static char err[ERR_MAX];
	struct answers ans = { NULL, 0, BENCH_HASH_SEED, 0, "" };
	struct run_paths p;
	struct rb_child c;
	int rc = paths_for(tmp, q, &p);

	if (rc == 0)
		rc = cut_numbers(a->numbers, tmp, q);
	if (rc == 0)
		rc = run_once(s, a, &p, left, &c, &ans, err, secs);
	if (rc != 0)
		return rc;
	if (rb_signals_caught())
		return -EINTR;
	if ((uint64_t)c.ru.ru_maxrss * 1024 > row->peak_rss_bytes)
		row->peak_rss_bytes = (uint64_t)c.ru.ru_maxrss * 1024;
	if (!rb_child_exited(&c, 0)) {
		classify(&c, err, a->budget_s, q, row);
		return 1;
	}
	note_heap(err, row);
	*h = ans.h;
	return judge_shape(&ans, q, row) == 0 ? 0 : 1;
}

int bench_solver_run(const struct bench_solver *s, const struct bench_cell_args *a,
		     uint64_t n_routes, const char *tmp, struct bench_cell *row)
{
	double t0 = rb_now_s(), deadline = a->budget_s > 0 ? t0 + a->budget_s : 0, t_last = 0;
	uint64_t total = 0, m = 0, h = 0;
	size_t used_c = 0, used_p = 0;
	int rc = count_lines(a->numbers, a->queries ? a->queries : UINT64_MAX, &total);

	if (rc != 0) {
		fprintf(stderr, "routebench: %s: %s\n", a->numbers, strerror(-rc));
		return rc;
	}
	solver_row(s, a, n_routes, total, row);
	while (m < total) {
		uint64_t next = bench_next_checkpoint(m, total), hq = 0;
		double left = deadline ? deadline - rb_now_s() : 0, secs;

		if (m > 0 && deadline && t_last > left)
			break; /* the next run would not fit: the row ends at m */
		rc = checkpoint(s, a, tmp, next, deadline ? (left > 0.001 ? left : 0.001) : 0, row,
				&hq, &secs);
		if (rc < 0) {
			if (rc != -EINTR)
				fprintf(stderr, "routebench: solver %s: %s: %s\n", s->name, tmp,
					strerror(-rc));
			return rc;
		}
		if (rc == 1 && m > 0 && row->status == BENCH_TIMEOUT) {
			row->status = BENCH_OK; /* the points so far stand, like a stream cell's */
			bench_cell_detail(row, "q=%" PRIu64 " did not fit in the budget", next);
			break;
		}
		if (rc == 1)
			break;
		m = next;
		h = hq;
		t_last = secs;
		used_c = bench_checkpoints_add(row->checkpoints, sizeof(row->checkpoints), used_c,
					       m, h);
		used_p = bench_points_add(row->stream_points, sizeof(row->stream_points), used_p, m,
					  secs);
		row->lookups_timed += m;
	}
	row->n_queries = m;
	row->checksum = h;
	row->wall_s = rb_now_s() - t0;
	return 0;
}

/* The first line where files x and y differ: 1-based into *line, both lines into bx and by.
 * 0 found, -1 none. */
static int first_difference(const char *x, const char *y, uint64_t *line, char *bx, char *by,
			    size_t cap)
{
	FILE *fx = fopen(x, "r"), *fy = fopen(y, "r");
	uint64_t n = 0;
	int found = -1;

	while (fx && fy && found != 0) {
		char *gx = fgets(bx, (int)cap, fx), *gy = fgets(by, (int)cap, fy);

		n++;
		if (!gx && !gy)
			break;
		if (!gx)
			snprintf(bx, cap, "(no line)");
		if (!gy)
			snprintf(by, cap, "(no line)");
		bx[strcspn(bx, "\r\n")] = by[strcspn(by, "\r\n")] = '\0';
		if (!gx || !gy || strcmp(bx, by) != 0)
			found = 0;
	}
	if (fx)
		fclose(fx);
	if (fy)
		fclose(fy);
	*line = n;
	return found;
}

void bench_solver_explain(const struct bench_cell_args *a, const char *tmp, uint64_t q,
			  struct bench_cell *row)
{
	char ref[PATH_MAX], got[BENCH_SOLVER_NAME_MAX + 64], want[sizeof(got)];
	struct rb_argv *argv = malloc(sizeof(*argv));
	struct run_paths p;
	struct rb_child c = { .exec_path = "/proc/self/exe", .out = RB_IO_NULL,
			      .err = RB_IO_NULL };
	const char *comma;
	uint64_t line;
	int rc = argv ? paths_for(tmp, q, &p) : -ENOMEM;

	if (rc == 0)
		rc = path_of(ref, tmp, "expected", q);
	if (rc == 0) {
		rb_argv_init(argv);
		rb_argv_push(argv, "routebench");
		rb_argv_push(argv, "price");
		for (size_t k = 0; k < a->n_carriers; k++) {
			rb_argv_push(argv, "--routes");
			rb_argv_push(argv, a->routes[k]);
		}
		rb_argv_push(argv, "--numbers");
		rb_argv_push(argv, p.numbers);
		rb_argv_push(argv, "-o");
		rc = rb_argv_push(argv, ref);
	}
	c.argv = argv ? argv->v : NULL;
	if (rc == 0)
		rc = rb_child_run(&c, NULL, 0);
	free(argv);
	if (rc != 0 || first_difference(p.answers, ref, &line, got, want, sizeof(got)) != 0)
		return; /* the detail the caller wrote stays */
	comma = strchr(want, ',');
	bench_cell_detail(row, "number %" PRIu64 " (%.*s): solver %s but expected %s", line,
			  comma ? (int)(comma - want) : (int)strlen(want), want,
			  strchr(got, ',') ? strchr(got, ',') + 1 : got, comma ? comma + 1 : want);
	unlink(ref);
}

void bench_solver_clean(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	char path[PATH_MAX];

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name) < sizeof(path))
			unlink(path);
	if (d)
		closedir(d);
}
