/*
 * run.c - one run of a subject on a case, judged: the reference answers, an implementation's
 * answers from a forked child (a crash or a hang in a plugin is a verdict, not a dead
 * grader), a solver's from its own process on small temp files, and the comparison.
 *
 * Cost: one fork (and an exec for a solver) and a few tiny files per run. Lesson: the one
 * thing a grader must not do is trust what it grades, so it runs it at arm's length.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "grade.h"
#include "proc.h"
#include "registry.h"
#include "signals.h"

#define OUTPUT_MAX 16384 /* a case's answers are at most 64 lines of under 64 bytes */

/* Carrier k's routes of c as a ds_routes over v[GRADE_MAX_ROUTES]. */
static void carrier_routes(const struct grade_case *c, size_t k, struct ds_route *v,
			   struct ds_routes *out)
{
	memset(out, 0, sizeof(*out));
	out->v = v;
	for (size_t i = 0; i < c->n_routes; i++)
		if (c->routes[i].carrier == k)
			v[out->n++] = c->routes[i].r;
	out->cap = out->n;
}

/* The cheapest of each carrier's longest match, with ops, into best[c->n_numbers]. */
static int price_case(const struct route_table_ops *ops, const struct grade_case *c,
		      uint64_t *best)
{
	struct ds_route v[GRADE_MAX_ROUTES];

	for (size_t i = 0; i < c->n_numbers; i++)
		best[i] = RT_NO_ROUTE;
	for (size_t k = 0; k < c->n_carriers; k++) {
		struct ds_routes routes;
		int rc;

		carrier_routes(c, k, v, &routes);
		rc = pricing_price_carrier(ops, &routes, c->numbers, c->n_numbers, best);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static void format_line(const struct ds_number *n, uint64_t cost, char *line)
{
	int len = snprintf(line, GRADE_LINE_MAX, "+%.*s,", (int)n->len, n->digits);

	ds_format_cost(cost, line + len);
}

int grade_expected(const struct grade_case *c, struct grade_answers *out)
{
	const struct route_table_ops *ref = rt_find_flag(RT_F_SCAN);
	uint64_t best[GRADE_MAX_NUMBERS];
	int rc;

	if (!ref)
		return -ENOENT;
	rc = price_case(ref, c, best);
	if (rc != 0)
		return rc;
	out->n = c->n_numbers;
	for (size_t i = 0; i < c->n_numbers; i++)
		format_line(&c->numbers[i], best[i], out->line[i]);
	return 0;
}

struct impl_job {
	const struct route_table_ops *ops;
	const struct grade_case *c;
};

/* In the forked child: the implementation's answers on stdout. The exit status is 1 when
 * a table could not be built (the reason on stderr). */
static int impl_child(void *arg)
{
	const struct impl_job *job = arg;
	uint64_t best[GRADE_MAX_NUMBERS];
	char line[GRADE_LINE_MAX];
	int rc = price_case(job->ops, job->c, best);

	if (rc != 0) {
		fprintf(stderr, "cannot build the %s table: %s\n", job->ops->name, strerror(-rc));
		return 1;
	}
	for (size_t i = 0; i < job->c->n_numbers; i++) {
		format_line(&job->c->numbers[i], best[i], line);
		printf("%s\n", line);
	}
	return 0;
}

static int path_in(char *buf, const char *dir, const char *name)
{
	return (size_t)snprintf(buf, PATH_MAX, "%s/%s", dir, name) < PATH_MAX ? 0 : -ENAMETOOLONG;
}

/* Write the case's route files (carrier-K.txt) and numbers.txt into dir. 0 or -errno. */
static int write_files(const char *dir, const struct grade_case *c)
{
	char path[PATH_MAX], name[40], cost[32];
	FILE *f;

	for (size_t k = 0; k <= c->n_carriers; k++) {
		if (k < c->n_carriers)
			snprintf(name, sizeof(name), "carrier-%zu.txt", k + 1);
		if (path_in(path, dir, k < c->n_carriers ? name : "numbers.txt") != 0)
			return -ENAMETOOLONG;
		f = fopen(path, "w");
		if (!f)
			return -errno;
		for (size_t i = 0; k < c->n_carriers && i < c->n_routes; i++) {
			const struct ds_route *r = &c->routes[i].r;

			if (c->routes[i].carrier != k)
				continue;
			ds_format_cost(r->cost, cost);
			fprintf(f, "+%.*s,%s\n", (int)r->len, r->digits, cost);
		}
		for (size_t i = 0; k == c->n_carriers && i < c->n_numbers; i++)
			fprintf(f, "+%.*s\n", (int)c->numbers[i].len, c->numbers[i].digits);
		if (fclose(f) != 0)
			return -EIO;
	}
	return 0;
}

/* word with every {numbers} and {out} replaced, and {routes} by routes (NULL: none). */
static int expand(struct rb_argv *a, const char *dir, const char *word, const char *routes)
{
	static const char *const keys[] = { "{routes}", "{numbers}", "{out}" };
	char buf[PATH_MAX * 2], sub[PATH_MAX];
	size_t n = 0;

	while (*word) {
		size_t k = 0, klen = 0;

		while (k < 3 && strncmp(word, keys[k], klen = strlen(keys[k])) != 0)
			k++;
		if (k == 3) {
			sub[0] = *word;
			sub[1] = '\0';
			klen = 1;
		} else if (k == 0) {
			snprintf(sub, sizeof(sub), "%s", routes);
		} else if (path_in(sub, dir, k == 1 ? "numbers.txt" : "out.txt") != 0) {
			return -ENAMETOOLONG;
		}
		if (n + strlen(sub) >= sizeof(buf))
			return -E2BIG;
		memcpy(buf + n, sub, strlen(sub));
		n += strlen(sub);
		word += klen;
	}
	buf[n] = '\0';
	return rb_argv_pushf(a, "%s", buf);
}

/* The solver's command line for case c: a word with {routes} once per carrier file. */
static int solver_argv(const struct grade_subject *s, const struct grade_case *c,
		       struct rb_argv *a)
{
	char path[PATH_MAX], name[40];
	int rc = 0;

	rb_argv_init(a);
	for (size_t w = 0; w < s->n_words && rc == 0; w++) {
		if (!strstr(s->words[w], "{routes}")) {
			rc = expand(a, s->dir, s->words[w], NULL);
			continue;
		}
		for (size_t k = 0; k < c->n_carriers && rc == 0; k++) {
			snprintf(name, sizeof(name), "carrier-%zu.txt", k + 1);
			rc = path_in(path, s->dir, name);
			if (rc == 0)
				rc = expand(a, s->dir, s->words[w], path);
		}
	}
	return rc;
}

/* Up to cap - 1 bytes of dir/name into buf, NUL-terminated ("" when unreadable). */
static void read_file(const char *dir, const char *name, char *buf, size_t cap)
{
	char path[PATH_MAX];
	FILE *f = path_in(path, dir, name) == 0 ? fopen(path, "r") : NULL;
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* buf's lines into *out, each cut to GRADE_LINE_MAX - 1 bytes, a trailing '\r' dropped; at
 * most one line more than GRADE_MAX_NUMBERS is kept (enough to say there are too many). */
static void split_answers(char *buf, struct grade_answers *out)
{
	out->n = 0;
	for (char *p = buf; *p && out->n <= GRADE_MAX_NUMBERS;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len && p[len - 1] == '\r')
			len--;
		if (len >= GRADE_LINE_MAX)
			len = GRADE_LINE_MAX - 1;
		memcpy(out->line[out->n], p, len);
		out->line[out->n++][len] = '\0';
		p = nl ? nl + 1 : p + strlen(p);
	}
}

/* How the child ended, with the start of its stderr, into r->detail. */
static void describe_end(const struct rb_child *ch, const char *dir, double timeout_s,
			 struct grade_result *r)
{
	char err[300];
	int n;

	if (ch->timed_out)
		n = snprintf(r->detail, sizeof(r->detail), "killed after %.1f s, its time budget",
			     timeout_s);
	else if (WIFSIGNALED(ch->status))
		n = snprintf(r->detail, sizeof(r->detail), "killed by signal %d (%s)",
			     WTERMSIG(ch->status), strsignal(WTERMSIG(ch->status)));
	else
		n = snprintf(r->detail, sizeof(r->detail), "exit status %d",
			     WEXITSTATUS(ch->status));
	read_file(dir, "stderr.txt", err, sizeof(err));
	for (char *p = err; *p; p++)
		if (*p == '\n')
			*p = p[1] ? '|' : '\0';
	if (*err && n > 0 && (size_t)n < sizeof(r->detail))
		snprintf(r->detail + n, sizeof(r->detail) - (size_t)n, "; stderr: %s", err);
}

/* Compare r->got with r->expected into r->verdict and r->first_bad. */
static void judge(struct grade_result *r)
{
	size_t n = r->got.n < r->expected.n ? r->got.n : r->expected.n;

	r->verdict = GRADE_OK;
	for (r->first_bad = 0; r->first_bad < n; r->first_bad++)
		if (strcmp(r->got.line[r->first_bad], r->expected.line[r->first_bad]) != 0)
			break;
	if (r->first_bad < n || r->got.n != r->expected.n)
		r->verdict = GRADE_WRONG;
}

int grade_run(struct grade_subject *s, const struct grade_case *c, struct grade_result *r)
{
	static char out[OUTPUT_MAX];
	struct impl_job job = { s->ops, c };
	struct rb_child ch = { 0 };
	char err_path[PATH_MAX], out_path[PATH_MAX];
	struct rb_argv a;
	int rc;

	if (rb_signals_caught())
		return -EINTR;
	memset(r, 0, sizeof(*r));
	rc = grade_expected(c, &r->expected);
	if (rc == 0)
		rc = path_in(err_path, s->dir, "stderr.txt");
	if (rc == 0)
		rc = path_in(out_path, s->dir, "out.txt");
	if (rc == 0 && !s->ops)
		rc = write_files(s->dir, c);
	if (rc == 0 && !s->ops)
		rc = solver_argv(s, c, &a);
	if (rc != 0)
		return rc;
	unlink(err_path);
	unlink(out_path);
	if (s->ops) {
		ch.fn = impl_child;
		ch.fn_arg = &job;
	} else {
		ch.argv = a.v;
	}
	ch.out = s->to_out && !s->ops ? RB_IO_NULL : RB_IO_PIPE;
	ch.err = RB_IO_FILE;
	ch.err_path = err_path;
	ch.timeout_s = s->timeout_s;
	s->runs++;
	rc = rb_child_run(&ch, out, sizeof(out));
	if (rc != 0 && rc != -ETIMEDOUT && rc != -ECHILD)
		return rc;
	if (rc != 0) {
		r->verdict = rc == -ETIMEDOUT ? GRADE_TIMEOUT : GRADE_CRASH;
		describe_end(&ch, s->dir, s->timeout_s, r);
		return 0;
	}
	if (ch.out == RB_IO_NULL)
		read_file(s->dir, "out.txt", out, sizeof(out));
	split_answers(out, &r->got);
	judge(r);
	return 0;
}

int grade_dir_make(char *buf, size_t cap)
{
	const char *tmp = getenv("TMPDIR");

	if ((size_t)snprintf(buf, cap, "%s/rb-check-XXXXXX", tmp && *tmp ? tmp : "/tmp") >= cap)
		return -ENAMETOOLONG;
	return mkdtemp(buf) ? 0 : -errno;
}

void grade_dir_remove(const char *dir)
{
	static const char *const names[] = { "numbers.txt", "out.txt", "stderr.txt" };
	char path[PATH_MAX], name[40];

	for (size_t k = 0; k < GRADE_MAX_CARRIERS; k++) {
		snprintf(name, sizeof(name), "carrier-%zu.txt", k + 1);
		if (path_in(path, dir, name) == 0)
			unlink(path);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (path_in(path, dir, names[i]) == 0)
			unlink(path);
	rmdir(dir);
}
