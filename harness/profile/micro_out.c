/*
 * micro_out.c - routebench-micro's results: each run Google Benchmark reports is folded into
 * a row (one per family and size) or its family's big-O fit, then written as micro.csv,
 * micro-fit.csv and one gnuplot data file per chart panel, with the fitted curve sampled
 * between the sizes. Figures not measured stay empty, never 0. Cost: O(families x rows).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "micro.h"
#include "outfile.h"

#define FIT_POINTS_PER_DECADE 8

static struct family *family_named(struct micro *m, const char *name)
{
	for (size_t i = 0; i < m->n_fams; i++)
		if (strcmp(m->fams[i].name, name) == 0)
			return &m->fams[i];
	return NULL;
}

struct row *micro_row_named(struct micro *m, const char *name, struct family *f)
{
	struct row *r;

	for (size_t i = 0; i < m->n_rows; i++)
		if (strcmp(m->rows[i].name, name) == 0)
			return &m->rows[i];
	if (m->n_rows == m->cap_rows) {
		size_t cap = m->cap_rows ? 2 * m->cap_rows : 64;
		struct row *v = realloc(m->rows, cap * sizeof(*v));

		if (!v)
			return NULL;
		m->rows = v;
		m->cap_rows = cap;
	}
	r = &m->rows[m->n_rows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->fam = f;
	r->median_ns = r->mean_ns = r->stddev_ns = r->cv = r->real_median_ns = NAN;
	r->hit_ratio = r->bytes_per_route = NAN;
	return r;
}

static double counter(const struct gb_result *r, const char *name)
{
	for (size_t i = 0; i < r->n_counters; i++)
		if (strcmp(r->counter_names[i], name) == 0)
			return r->counter_values[i];
	return NAN;
}

void micro_on_result(const struct gb_result *res, void *ctx)
{
	struct micro *m = ctx;
	struct family *f = family_named(m, res->family);
	struct row *r;

	if (!f)
		return;
	if (res->kind == GB_RUN_BIG_O) {
		snprintf(f->big_o, sizeof(f->big_o), "%s", res->big_o);
		f->coef_ns = res->cpu_ns;
		f->have_fit = 1;
		return;
	}
	if (res->kind == GB_RUN_RMS) {
		f->rms = res->cpu_ns;
		return;
	}
	r = micro_row_named(m, res->name, f);
	if (!r)
		return;
	r->n = strtoull(res->args, NULL, 10);
	r->repetitions = res->repetitions;
	if (res->error) {
		snprintf(r->error, sizeof(r->error), "%s", res->error);
		return;
	}
	r->error[0] = '\0'; /* a rerun measured what an earlier run could not */
	if (res->kind == GB_RUN_ITERATION || strcmp(res->aggregate, "median") == 0) {
		r->median_ns = res->cpu_ns;
		r->real_median_ns = res->real_ns;
		r->hit_ratio = counter(res, "hit_ratio");
		r->bytes_per_route = counter(res, "bytes_per_route");
	}
	if (res->kind == GB_RUN_ITERATION || strcmp(res->aggregate, "mean") == 0)
		r->mean_ns = res->cpu_ns;
	if (res->kind == GB_RUN_AGGREGATE && strcmp(res->aggregate, "stddev") == 0)
		r->stddev_ns = res->cpu_ns;
	if (res->kind == GB_RUN_AGGREGATE && strcmp(res->aggregate, "cv") == 0)
		r->cv = res->cpu_ns;
}

/* coef * big_o(n), with GB's meaning of each name (lg is log2); NaN for an unknown name. */
static double fit_at(const struct family *f, double n)
{
	const char *o = f->big_o;

	if (strcmp(o, "(1)") == 0)
		return f->coef_ns;
	if (strcmp(o, "N") == 0)
		return f->coef_ns * n;
	if (strcmp(o, "lgN") == 0)
		return f->coef_ns * log2(n);
	if (strcmp(o, "NlgN") == 0)
		return f->coef_ns * n * log2(n);
	if (strcmp(o, "N^2") == 0)
		return f->coef_ns * n * n;
	if (strcmp(o, "N^3") == 0)
		return f->coef_ns * n * n * n;
	return NAN;
}

static const char *bench_of(const struct family *f)
{
	return f->mode < 0 ? "build" : "lookup";
}

static const char *mode_of(const struct family *f)
{
	return f->mode < 0 ? "" : modes[f->mode].name;
}

static void put_num(FILE *f, double v, const char *fmt)
{
	if (isfinite(v))
		fprintf(f, fmt, v);
}

static int write_rows_csv(struct micro *m, const char *path)
{
	struct rb_outfile o;
	int rc = rb_outfile_open(&o, path);

	if (rc != 0)
		return rc;
	fprintf(o.f, "name,bench,impl,mode,n_routes,cpu_ns_median,cpu_ns_mean,cpu_ns_stddev,cv,"
		     "real_ns_median,repetitions,hit_ratio,bytes_per_route,error\n");
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct row *r = &m->rows[i];

		fprintf(o.f, "%s,%s,%s,%s,%" PRIu64 ",", r->name, bench_of(r->fam),
			r->fam->ops->name, mode_of(r->fam), r->n);
		put_num(o.f, r->median_ns, "%.3f");
		fputc(',', o.f);
		put_num(o.f, r->mean_ns, "%.3f");
		fputc(',', o.f);
		put_num(o.f, r->stddev_ns, "%.3f");
		fputc(',', o.f);
		put_num(o.f, r->cv, "%.5f");
		fputc(',', o.f);
		put_num(o.f, r->real_median_ns, "%.3f");
		fprintf(o.f, ",%" PRId64 ",", r->repetitions);
		put_num(o.f, r->hit_ratio, "%.4f");
		fputc(',', o.f);
		put_num(o.f, r->bytes_per_route, "%.2f");
		fputc(',', o.f);
		for (const char *s = r->error; *s; s++)
			fputc(*s == ',' ? ';' : *s, o.f);
		fputc('\n', o.f);
	}
	return rb_outfile_commit(&o);
}

static int write_fits_csv(struct micro *m, const char *path)
{
	struct rb_outfile o;
	int rc = rb_outfile_open(&o, path);

	if (rc != 0)
		return rc;
	fprintf(o.f, "family,bench,impl,mode,big_o,coef_ns,rms,claimed\n");
	for (size_t i = 0; i < m->n_fams; i++) {
		const struct family *f = &m->fams[i];

		if (!f->have_fit)
			continue;
		fprintf(o.f, "%s,%s,%s,%s,%s,%.6g,%.4f,\"%s\"\n", f->name, bench_of(f),
			f->ops->name, mode_of(f), f->big_o, f->coef_ns, f->rms, f->ops->complexity);
	}
	return rb_outfile_commit(&o);
}

/*
 * One gnuplot data file per chart panel (lookup-hit, lookup-miss, lookup-mixed, build): for
 * each implementation two blocks (separated by two blank lines, so `index` picks them): the
 * measured medians, then its fitted curve sampled between the smallest and largest size it was
 * measured at. The first line of each block is its title, for `title columnheader(1)`.
 */
static int write_dat(struct micro *m, int mode, const char *path)
{
	struct rb_outfile o;
	int rc = rb_outfile_open(&o, path);
	uint64_t lo, hi;

	if (rc != 0)
		return rc;
	fprintf(o.f, "# %s: per implementation, a block of measured medians (n_routes cpu_ns cv) "
		     "and a block of its fitted curve (n_routes ns)\n",
		mode < 0 ? "build" : modes[mode].name);
	for (size_t i = 0; i < m->n_fams; i++) {
		const struct family *f = &m->fams[i];
		int any = 0;

		if (f->mode != mode)
			continue;
		for (size_t j = 0; j < m->n_rows; j++)
			any |= m->rows[j].fam == f && isfinite(m->rows[j].median_ns);
		if (!any)
			continue;
		/* the fit is drawn over the sizes it was fitted to, not past a skipped one */
		lo = UINT64_MAX;
		hi = 0;
		for (size_t j = 0; j < m->n_rows; j++)
			if (m->rows[j].fam == f && isfinite(m->rows[j].median_ns)) {
				lo = m->rows[j].n < lo ? m->rows[j].n : lo;
				hi = m->rows[j].n > hi ? m->rows[j].n : hi;
			}
		if (f->have_fit)
			fprintf(o.f, "\"%s  %.3g %s\"\n", f->ops->name, f->coef_ns, f->big_o);
		else
			fprintf(o.f, "\"%s\"\n", f->ops->name);
		for (size_t j = 0; j < m->n_rows; j++) {
			const struct row *r = &m->rows[j];

			if (r->fam != f || !isfinite(r->median_ns))
				continue;
			fprintf(o.f, "%" PRIu64 " %.3f %.5f\n", r->n, r->median_ns,
				isfinite(r->cv) ? r->cv : 0.0);
		}
		fprintf(o.f, "\n\n\"%s fit\"\n", f->ops->name);
		if (f->have_fit && lo < hi)
			for (double e = log10((double)lo); e <= log10((double)hi) + 1e-9;
			     e += 1.0 / FIT_POINTS_PER_DECADE)
				fprintf(o.f, "%.0f %.4g\n", pow(10, e), fit_at(f, pow(10, e)));
		else
			fprintf(o.f, "%" PRIu64 " NaN\n", lo);
		fprintf(o.f, "\n\n");
	}
	return rb_outfile_commit(&o);
}

int micro_write_outputs(struct micro *m)
{
	char path[4200];
	int rc;

	snprintf(path, sizeof(path), "%s/micro.csv", m->out_dir);
	rc = write_rows_csv(m, path);
	snprintf(path, sizeof(path), "%s/micro-fit.csv", m->out_dir);
	if (rc == 0)
		rc = write_fits_csv(m, path);
	for (int k = -1; rc == 0 && k < N_MODES; k++) {
		snprintf(path, sizeof(path), "%s/micro-%s.dat", m->out_dir,
			 k < 0 ? "build" : modes[k].name);
		rc = write_dat(m, k, path);
	}
	if (rc != 0)
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(-rc));
	return rc;
}

void micro_print_fits(struct micro *m, FILE *f)
{
	fprintf(f, "\nFitted complexity (GB least squares on cpu time; coefficient in ns, rms "
		   "error of the fit):\n");
	fprintf(f, "%-12s", "impl");
	for (int k = 0; k < N_MODES; k++)
		fprintf(f, " lookup/%-16s", modes[k].name);
	fprintf(f, " %-22s claimed\n", "build");
	for (size_t i = 0; i < m->n_impls; i++) {
		int any = 0;

		for (size_t j = 0; j < m->n_fams; j++)
			any |= m->fams[j].ops == m->impls[i] && m->fams[j].have_fit;
		if (!any)
			continue;
		fprintf(f, "%-12s", m->impls[i]->name);
		for (int k = 0; k <= N_MODES; k++) {
			int mode = k < N_MODES ? k : -1;
			char cell[64] = "-";

			for (size_t j = 0; j < m->n_fams; j++) {
				const struct family *fa = &m->fams[j];

				if (fa->ops != m->impls[i] || fa->mode != mode || !fa->have_fit)
					continue;
				snprintf(cell, sizeof(cell), "%.3g %s (%.0f%%)", fa->coef_ns,
					 fa->big_o, 100 * fa->rms);
			}
			fprintf(f, " %-*s", k < N_MODES ? 23 : 22, cell);
		}
		fprintf(f, " %s\n", m->impls[i]->complexity);
	}
}
