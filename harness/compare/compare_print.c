/*
 * compare_print.c - a comparison (compare.h) as Markdown for people or CSV for a CI job: the
 * runs' meta side by side with a warning per field that differs, the matched cells' ratios
 * and p-values, then the cells found in one run only. Cost: one pass over the cells. Lesson:
 * a ratio between two machines, compilers or dirty trees is said to be one, not hidden.
 */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* The meta fields shown, with their labels; differing ones warn unless quiet. */
static const struct {
	enum report_meta_field f;
	const char *label;
	int quiet; /* differs between any two runs: shown, never warned */
} meta_rows[] = {
	{ REPORT_META_CPU, "cpu", 0 },          { REPORT_META_CORES, "cores", 0 },
	{ REPORT_META_MEM, "memory bytes", 0 }, { REPORT_META_KERNEL, "kernel", 0 },
	{ REPORT_META_COMPILER, "compiler", 0 }, { REPORT_META_FLAGS, "flags", 0 },
	{ REPORT_META_BUILD_TYPE, "build type", 0 }, { REPORT_META_COMMIT, "git commit", 0 },
	{ REPORT_META_GLIBC, "glibc", 0 },      { REPORT_META_JEMALLOC, "jemalloc", 0 },
	{ REPORT_META_STARTED, "started", 1 },
};

#define N_META (sizeof(meta_rows) / sizeof(meta_rows[0]))

static const char *or_none(const char *s)
{
	return s[0] ? s : "not recorded";
}

static const char *dirty(const struct report_run *run)
{
	return !run->have_meta ? "not recorded" : run->meta.git_dirty ? "yes" : "no";
}

/* One warning line per meta field that differs, to f ("- " prefix for Markdown). */
static void print_meta_warnings(const struct compare_result *r, FILE *f, const char *prefix)
{
	if (!r->a.have_meta || !r->b.have_meta)
		fprintf(f, "%swarning: %s has no meta.json: its machine and build are unknown\n",
			prefix, !r->a.have_meta ? "run A" : "run B");
	if (!r->a.have_meta || !r->b.have_meta)
		return;
	for (size_t i = 0; i < N_META; i++) {
		const char *x = r->a.meta.text[meta_rows[i].f], *y = r->b.meta.text[meta_rows[i].f];

		if (!meta_rows[i].quiet && strcmp(x, y) != 0)
			fprintf(f, "%swarning: %s differs: A \"%s\", B \"%s\"\n", prefix,
				meta_rows[i].label, or_none(x), or_none(y));
	}
	if (r->a.meta.git_dirty != r->b.meta.git_dirty)
		fprintf(f, "%swarning: git dirty differs: A %s, B %s\n", prefix, dirty(&r->a),
			dirty(&r->b));
	else if (r->a.meta.git_dirty)
		fprintf(f, "%swarning: both builds had uncommitted changes (git dirty): the "
			   "commits do not say what ran\n", prefix);
}

static void print_meta_md(const struct compare_result *r, FILE *f)
{
	fprintf(f, "## The runs\n\n| | A | B |\n|---|---|---|\n");
	fprintf(f, "| folder | %s | %s |\n", r->a.dir, r->b.dir);
	for (size_t i = 0; i < N_META; i++)
		fprintf(f, "| %s | %s | %s |\n", meta_rows[i].label,
			or_none(r->a.meta.text[meta_rows[i].f]),
			or_none(r->b.meta.text[meta_rows[i].f]));
	fprintf(f, "| git dirty | %s | %s |\n", dirty(&r->a), dirty(&r->b));
	fprintf(f, "| complete | %s | %s |\n\n", report_run_complete(&r->a) ? "yes" : "no",
		report_run_complete(&r->b) ? "yes" : "no");
	print_meta_warnings(r, f, "- ");
	fprintf(f, "\n");
}

/* A figure with the given decimals, or none when not measured. */
static const char *fig(char *buf, size_t cap, double v, int decimals, const char *none)
{
	if (isfinite(v))
		snprintf(buf, cap, "%.*f", decimals, v);
	else
		snprintf(buf, cap, "%s", none);
	return buf;
}

/*
 * A matched cell's figures, sep-separated (" | " or ","), in the order of the headers; none
 * stands for a figure not measured.
 */
static void print_figures(const struct compare_cell *c, FILE *f, const char *sep,
			  const char *none)
{
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], b7[32];

	fprintf(f, "%s%s%s%s%s%s%s%s%s%s%s%s%zu%s%zu%s%s%s%s", fig(b1, 32, c->build, 3, none),
		sep, fig(b2, 32, c->a->lookup_ns, 2, none), sep,
		fig(b3, 32, c->b->lookup_ns, 2, none), sep, fig(b4, 32, c->lookup, 3, none), sep,
		fig(b5, 32, c->tested ? c->ut.p : NAN, 4, none), sep,
		c->tested ? (c->ut.exact ? "exact" : "normal") : none, sep, c->na, sep, c->nb,
		sep, fig(b6, 32, c->rss, 3, none), sep, fig(b7, 32, c->bpr, 3, none));
}

static void print_key(const struct bench_cell *x, FILE *f, const char *sep)
{
	fprintf(f, "%s%s%s%s%" PRIu64 "%s%" PRIu64 "%s%s", x->impl, sep, x->allocator, sep,
		x->n_routes, sep, x->n_carriers, sep, x->strategy);
}

static void print_only_md(const struct compare_result *r, FILE *f, int side_a)
{
	size_t from = r->n_matched + (side_a ? 0 : r->n_only_a);
	size_t n = side_a ? r->n_only_a : r->n_only_b;

	fprintf(f, "## Cells only in run %s\n\n", side_a ? "A" : "B");
	if (n == 0) {
		fprintf(f, "None.\n\n");
		return;
	}
	fprintf(f, "| impl | allocator | routes | carriers | strategy | status | lookup ns |\n"
		   "|---|---|---:|---:|---|---|---:|\n");
	for (size_t i = from; i < from + n; i++) {
		const struct bench_cell *x = side_a ? r->cells[i].a : r->cells[i].b;
		char b[32];

		fprintf(f, "| ");
		print_key(x, f, " | ");
		fprintf(f, " | %s | %s |\n", bench_status_name(x->status),
			fig(b, sizeof(b), x->lookup_ns, 2, "-"));
	}
	fprintf(f, "\n");
}

static void print_cells_md(const struct compare_result *r, const struct compare_opts *o,
			   FILE *f)
{
	fprintf(f, "## Matched cells: B / A\n\n");
	fprintf(f, "| impl | allocator | routes | carriers | strategy | build B/A | lookup A ns | "
		   "lookup B ns | lookup B/A | p | test | reps A | reps B | peak RSS B/A | "
		   "bytes/route B/A | verdict |\n"
		   "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|\n");
	for (size_t i = 0; i < r->n_matched; i++) {
		fprintf(f, "| ");
		print_key(r->cells[i].a, f, " | ");
		fprintf(f, " | ");
		print_figures(&r->cells[i], f, " | ", "-");
		fprintf(f, " | %s |\n", r->cells[i].verdict);
	}
	fprintf(f, "\n%zu cells matched. p: two-sided Mann-Whitney U test over the per-repetition "
		   "lookup samples (`lookup_samples`), significant below %g. Builds are not "
		   "repeated, so build B/A is one build against one, without a test.\n",
		r->n_matched, o->alpha);
	if (r->n_few)
		fprintf(f, "\n- warning: %zu cells have fewer than %d repetitions a side: the U "
			   "test has little power there, and a real difference may show as none "
			   "(run with --reps %d or more).\n", r->n_few, UTEST_GOOD_REPS,
			UTEST_GOOD_REPS);
	if (isfinite(o->threshold_pct))
		fprintf(f, "\nThreshold %g%%: %zu cells regressed (lookup B/A over %.3f, p < %g).\n",
			o->threshold_pct, r->n_regressed, 1 + o->threshold_pct / 100, o->alpha);
	fprintf(f, "\n");
}

static void print_csv(const struct compare_result *r, FILE *f)
{
	fprintf(f, "in,impl,allocator,n_routes,n_carriers,strategy,build_ratio,lookup_a_ns,"
		   "lookup_b_ns,lookup_ratio,p_value,test,reps_a,reps_b,peak_rss_ratio,"
		   "bytes_per_route_ratio,regressed,verdict\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct compare_cell *c = &r->cells[i];

		fprintf(f, "%s,", c->a && c->b ? "both" : c->a ? "a" : "b");
		print_key(c->a ? c->a : c->b, f, ",");
		fprintf(f, ",");
		if (c->a && c->b)
			print_figures(c, f, ",", "");
		else
			fprintf(f, ",,,,,,0,0,,");
		fprintf(f, ",%d,%s\n", c->regressed,
			c->a && c->b ? c->verdict : c->a ? "only in A" : "only in B");
	}
}

void compare_print(const struct compare_result *r, const struct compare_opts *o, FILE *out,
		   FILE *warn)
{
	if (o->csv) {
		print_meta_warnings(r, warn, "routebench compare: ");
		if (r->n_few)
			fprintf(warn, "routebench compare: warning: %zu cells have fewer than %d "
				      "repetitions a side: the U test has little power\n",
				r->n_few, UTEST_GOOD_REPS);
		print_csv(r, out);
		return;
	}
	fprintf(out, "# routebench compare: B against A\n\n");
	print_meta_md(r, out);
	print_cells_md(r, o, out);
	print_only_md(r, out, 1);
	print_only_md(r, out, 0);
}
