/*
 * section_api.c - the lesson of scenario 4 from the scenario run's api.csv: what a request to
 * `routebench serve` costs (each implementation's closed-loop maximum against the no-lookup
 * baseline's: the lookup's share), who holds the course's spike at p99.9 under 1 ms, where the
 * hockey stick bends, and whether every answer was right; each target met or not, with its
 * figures. Lesson: behind HTTP a 100 ns lookup is invisible, until the queue makes it not.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "lesson_api.h"
#include "sections.h"

#define API_MAX_OPEN 12
#define API_OUTRAN 1.1 /* a maximum above 1.1x the baseline's: the machine's load changed */

struct api_impl {
	const char *impl;
	const struct report_api_row *closed, *spike, *fail; /* fail: a row of a failed server */
	const struct report_api_row *open[API_MAX_OPEN];    /* by offered rate, ascending */
	size_t nopen, knee;                                 /* knee: lesson_knee's count */
	uint64_t requests, errors, mismatches, peak_rss;
};

struct api_pick {
	uint64_t routes, carriers;
	unsigned threads, connections;
	struct api_impl im[REPORT_MAX_IMPLS], base;
	size_t n, other; /* other: rows of another size, left aside */
	int have_base;
	uint64_t requests, errors, mismatches;
	size_t nfailed;
};

int section_api_applies(const struct report_run *run)
{
	return run->api.n_api || run->api.n_upd || run->api.n_win || section_lessons_apply(run);
}

const char *section_target_word(int t)
{
	return t == LESSON_MET ? "**met**" : t == LESSON_NOT_MET ? "**not met**" : "not judged";
}

void section_target_size(struct rdoc_buf *b, uint64_t routes, uint64_t carriers)
{
	if (lesson_at_target_size(routes, carriers))
		return;
	rdoc_buf_printf(b, " This run has %s carrier%s of %s routes; the issue states its targets "
			   "at 5 × 10,000,000 (`make bench-api-full`), so each verdict here is at "
			   "this run's size.", fig_count(carriers).s, carriers == 1 ? "" : "s",
			fig_count(routes).s);
}

/* Latencies are µs in the files. */
static struct fig us(double v)
{
	return fig_time(v * 1e-6);
}

static struct fig rate(double r)
{
	struct fig f = fig_fix(r, r < 100 ? 1 : 0);

	snprintf(f.s + strlen(f.s), sizeof(f.s) - strlen(f.s), "/s");
	return f;
}

static struct fig pct(double share)
{
	struct fig f = fig_fix(100 * share, fabs(share) < 0.1 ? 1 : 0);

	snprintf(f.s + strlen(f.s), sizeof(f.s) - strlen(f.s), "%%");
	return f;
}

struct fig section_mb(double bytes)
{
	struct fig f = fig_fix(bytes / 1e6, bytes < 1e8 ? 1 : 0);

	if (isfinite(bytes))
		snprintf(f.s + strlen(f.s), sizeof(f.s) - strlen(f.s), " MB");
	return f;
}

static struct api_impl *impl_of(struct api_pick *p, const char *impl)
{
	if (strcmp(impl, REPORT_API_BASELINE) == 0) {
		p->have_base = 1;
		p->base.impl = REPORT_API_BASELINE;
		return &p->base;
	}
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->im[i].impl, impl) == 0)
			return &p->im[i];
	if (p->n == REPORT_MAX_IMPLS)
		return NULL;
	p->im[p->n].impl = impl;
	return &p->im[p->n++];
}

/* Put row r into x: its closed loop, its open points in order, its failure. */
static void add_point(struct api_impl *x, const struct report_api_row *r)
{
	size_t j;

	x->requests += r->requests;
	x->errors += r->errors;
	x->mismatches += r->mismatches;
	x->peak_rss = r->peak_rss > x->peak_rss ? r->peak_rss : x->peak_rss;
	if (!r->measured) {
		x->fail = r;
		return;
	}
	if (strcmp(r->mode, "closed") == 0) {
		x->closed = r;
		return;
	}
	if (x->nopen == API_MAX_OPEN)
		return;
	for (j = x->nopen++; j > 0 && x->open[j - 1]->offered > r->offered; j--)
		x->open[j] = x->open[j - 1];
	x->open[j] = r;
	if (lesson_is_spike(r->offered))
		x->spike = r;
}

static void knee_of(struct api_impl *x)
{
	double p99[API_MAX_OPEN];

	for (size_t i = 0; i < x->nopen; i++)
		p99[i] = x->open[i]->p99;
	x->knee = x->spike ? lesson_knee(p99, x->nopen, x->spike->p99, LESSON_KNEE_MULT) : 0;
}

/* The rows of the run's size (the last row's), by implementation, the baseline apart. */
static void api_select(const struct report_api_run *r, struct api_pick *p)
{
	const struct report_api_row *last = &r->api[r->n_api - 1];

	p->routes = last->routes;
	p->carriers = last->carriers;
	p->threads = last->threads;
	p->connections = last->connections;
	for (size_t i = 0; i < r->n_api; i++) {
		const struct report_api_row *row = &r->api[i];
		struct api_impl *x;

		if (row->routes != p->routes || row->carriers != p->carriers) {
			p->other++;
			continue;
		}
		x = impl_of(p, row->impl);
		if (!x)
			continue;
		add_point(x, row);
		p->requests += row->requests;
		p->errors += row->errors;
		p->mismatches += row->mismatches;
		p->nfailed += !row->measured;
	}
	for (size_t i = 0; i < p->n; i++)
		knee_of(&p->im[i]);
	knee_of(&p->base);
}

static double max_of(const struct api_impl *x)
{
	return x->closed ? x->closed->achieved : NAN;
}

/* Open point i of x: "80% of its maximum (1,519/s)", "the spike (166.7/s)", "1,519/s". */
static void at_rate(struct rdoc_buf *b, const struct api_impl *x, size_t i)
{
	double m = max_of(x), r = x->open[i]->offered;

	if (lesson_is_spike(r))
		rdoc_buf_printf(b, "the spike (%s/s)", fig_fix(r, 1).s);
	else if (m > 0)
		rdoc_buf_printf(b, "%s of its maximum (%s)", pct(r / m).s, rate(r).s);
	else
		rdoc_buf_printf(b, "%s", rate(r).s);
}

static void table_row(struct rdoc *doc, const struct api_impl *x, const struct api_pick *p)
{
	const struct report_api_row *s = x->spike;
	double share = p->have_base ? max_of(x) / max_of(&p->base) : NAN;
	struct rdoc_buf knee = { 0 };

	if (x->spike && x->knee > 0)
		at_rate(&knee, x, x->knee - 1);
	rdoc_cell(doc, "%s", x->impl);
	rdoc_cell(doc, "%s", x->closed ? rate(max_of(x)).s : x->fail ? "failed" : "-");
	rdoc_cell(doc, "%s", x == &p->base ? "-" : isfinite(share) ? pct(share).s : "-");
	rdoc_cell(doc, "%s", s ? us(s->p50).s : "-");
	rdoc_cell(doc, "%s", s ? us(s->p99).s : "-");
	rdoc_cell(doc, "%s", s ? us(s->p999).s : "-");
	rdoc_cell(doc, "%s", !s ? "-" : lesson_spike_target(s->p999) == LESSON_MET ? "yes" : "**no**");
	rdoc_cell(doc, "%s", knee.len ? knee.s : "-");
	rdoc_cell(doc, "%s", x->peak_rss ? section_mb((double)x->peak_rss).s : "-");
	rdoc_cell(doc, "%s%s%s", x->errors ? "**" : "", fig_count(x->errors).s,
		  x->errors ? "**" : "");
	rdoc_cell(doc, "%s%s%s", x->mismatches ? "**" : "", fig_count(x->mismatches).s,
		  x->mismatches ? "**" : "");
	rdoc_buf_free(&knee);
}

static void api_table(struct rdoc *doc, const struct api_pick *p)
{
	rdoc_table(doc, "implementation|>max (closed loop)|>of the baseline's|>p50 at the spike|"
			">p99|>p99.9|p99.9 under 1 ms|>knee: p99 within 5× the spike's up to|"
			">server peak RSS|>errors|>mismatches");
	for (size_t i = 0; i < p->n; i++)
		table_row(doc, &p->im[i], p);
	if (p->have_base)
		table_row(doc, &p->base, p);
}

/* The servers that did not serve, and what the first of them said. */
static void api_failed(struct rdoc_buf *b, const struct api_pick *p)
{
	const char *names[REPORT_MAX_IMPLS];
	const struct report_api_row *first = NULL;
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->im[i].fail && !p->im[i].closed) {
			names[n++] = p->im[i].impl;
			first = first ? first : p->im[i].fail;
		}
	if (!n)
		return;
	rdoc_buf_printf(b, " The server%s of ", n == 1 ? "" : "s");
	section_join_names(b, names, n);
	rdoc_buf_printf(b, " did not serve (%s%s%s): %s out of the targets, which ask of every "
			   "implementation that fits in memory.", n > 1 ? "the first said: " : "",
			first->detail[0] ? first->detail : "failed",
			strstr(first->detail, "allocate") ? ", under the scenario's memory limit" : "",
			n == 1 ? "it is left" : "they are left");
}

/* Every answer right, or loudly not. */
static void api_answers(struct rdoc_buf *b, const struct api_pick *p)
{
	size_t shown = 0;

	if (!p->errors && !p->mismatches) {
		rdoc_buf_printf(b, "**Every answer was right**: 0 errors and 0 mismatches over %s "
				   "requests, each answer checked against `routebench price`'s for "
				   "the same number (target: 0 failed and 0 wrong answers: %s).",
				fig_count(p->requests).s, section_target_word(LESSON_MET));
	} else {
		rdoc_buf_printf(b, "**Not every answer was right: %s wrong answers and %s errors** "
				   "over %s requests (target: 0 failed and 0 wrong: %s):",
				fig_count(p->mismatches).s, fig_count(p->errors).s,
				fig_count(p->requests).s, section_target_word(LESSON_NOT_MET));
		for (size_t i = 0; i <= p->n; i++) {
			const struct api_impl *x = i < p->n ? &p->im[i] : &p->base;

			if (x->impl && (x->errors || x->mismatches))
				rdoc_buf_printf(b, "%s **%s**: %s wrong, %s errors", shown++ ? ";" : "",
						x->impl, fig_count(x->mismatches).s,
						fig_count(x->errors).s);
		}
		rdoc_buf_printf(b, ". A wrong answer is worse than a slow one: the figures of these "
				   "rows are not to be trusted until it is found.");
	}
	api_failed(b, p);
}

/* The fastest and the slowest maximum among the implementations, by position (n: none). */
static void extremes(const struct api_pick *p, size_t *fast, size_t *slow)
{
	*fast = *slow = p->n;
	for (size_t i = 0; i < p->n; i++) {
		double m = max_of(&p->im[i]);

		if (!(m > 0))
			continue;
		if (*fast == p->n || m > max_of(&p->im[*fast]))
			*fast = i;
		if (*slow == p->n || m < max_of(&p->im[*slow]))
			*slow = i;
	}
}

/* "a, 12% of the baseline's: the lookup is about 88% of its request (X of Y)" */
static void share_clause(struct rdoc_buf *b, const struct api_impl *x, double base)
{
	double m = max_of(x), share = lesson_lookup_share(m, base);

	rdoc_buf_printf(b, "%s, peaks at %s, %s of the baseline's", x->impl, rate(m).s,
			pct(m / base).s);
	if (share < 0 && m <= API_OUTRAN * base)
		rdoc_buf_printf(b, " (above it: the difference is noise, the lookup does not show)");
	else if (share >= 0)
		rdoc_buf_printf(b, ": the lookup is about %s of its request (%s of %s)",
				pct(share).s, fig_time(1 / m - 1 / base).s, fig_time(1 / m).s);
}

/* What a request costs: HTTP alone, then with the lookup; the 70% target. */
static void api_cost(struct rdoc_buf *b, const struct api_pick *p)
{
	double base = max_of(&p->base);
	size_t fast, slow, reach = 0, judged = 0, shown = 0;

	extremes(p, &fast, &slow);
	if (!p->have_base || !(base > 0) || fast == p->n) {
		rdoc_buf_printf(b, " This run has no closed-loop maximum of %s: what share of a "
				   "request is the lookup cannot be told (`routebench bench "
				   "--scenario api` measures the no-lookup baseline unless told not to).",
				!p->have_base || !(base > 0) ? "the no-lookup baseline" : "any "
				"implementation");
		return;
	}
	rdoc_buf_printf(b, " The no-lookup baseline (the same server answering every number with a "
			   "constant) peaks at %s closed loop (%u connections, %u server thread%s): "
			   "one request every %s is what HTTP alone costs. The fastest "
			   "implementation, ", rate(base).s, p->connections, p->threads,
			p->threads == 1 ? "" : "s", fig_time(1 / base).s);
	share_clause(b, &p->im[fast], base);
	if (slow != fast) {
		rdoc_buf_printf(b, "; the slowest, ");
		share_clause(b, &p->im[slow], base);
	}
	for (size_t i = 0; i < p->n; i++) {
		enum lesson_target t = lesson_base_target(max_of(&p->im[i]), base);

		judged += t != LESSON_UNJUDGED;
		reach += t == LESSON_MET;
	}
	if (max_of(&p->im[fast]) > API_OUTRAN * base)
		rdoc_buf_printf(b, ". **%s outran the baseline by %s**: a server with a lookup cannot "
				   "be faster than one without, so the machine's load changed between "
				   "the servers and these ratios are not to be trusted (rerun on a "
				   "quiet machine)", p->im[fast].impl,
				pct(max_of(&p->im[fast]) / base - 1).s);
	rdoc_buf_printf(b, ". **%zu of %zu implementations reach 70%% of the baseline's maximum** "
			   "(target: every one, %s)", reach, judged,
			section_target_word(reach == judged ? LESSON_MET : LESSON_NOT_MET));
	for (size_t i = 0; i < p->n; i++)
		if (lesson_base_target(max_of(&p->im[i]), base) == LESSON_NOT_MET)
			rdoc_buf_printf(b, "%s%s %s", shown++ ? ", " : "; below it: ", p->im[i].impl,
					pct(max_of(&p->im[i]) / base).s);
	rdoc_buf_printf(b, ".");
}

/* Who holds the spike at p99.9 under 1 ms, with figures. */
static void api_spike(struct rdoc_buf *b, const struct api_pick *p)
{
	struct rdoc_buf yes = { 0 }, no = { 0 };
	size_t ny = 0, nn = 0, none = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct api_impl *x = &p->im[i];
		int met = x->spike && lesson_spike_target(x->spike->p999) == LESSON_MET;
		struct rdoc_buf *to = met ? &yes : &no;

		if (!x->spike) {
			none += x->closed != NULL; /* a failed server does not fit: not counted */
			continue;
		}
		rdoc_buf_printf(to, "%s%s %s", (met ? ny : nn) ? ", " : "", x->impl,
				us(x->spike->p999).s);
		*(met ? &ny : &nn) += 1;
	}
	rdoc_buf_printf(b, "At the course's spike (10,000 requests a minute: %s/s offered, open "
			   "loop, each latency from the request's intended send time), **%zu of %zu "
			   "implementations hold p99.9 under 1 ms**", fig_fix(LESSON_SPIKE_RATE, 1).s, ny,
			ny + nn + none);
	if (ny)
		rdoc_buf_printf(b, " (%s)", yes.s);
	if (nn)
		rdoc_buf_printf(b, "; %zu do%s not (p99.9: %s)", nn, nn == 1 ? "es" : "", no.s);
	if (none)
		rdoc_buf_printf(b, "; %zu served but were not measured at the spike", none);
	rdoc_buf_printf(b, " (target: every implementation that fits in memory, %s).",
			section_target_word(nn || none || !ny ? LESSON_NOT_MET : LESSON_MET));
	if (p->have_base && p->base.spike)
		rdoc_buf_printf(b, " The no-lookup baseline's own p99.9 there is %s: the floor that "
				   "HTTP, the load generator and this machine set.",
				us(p->base.spike->p999).s);
	rdoc_buf_free(&yes);
	rdoc_buf_free(&no);
}

/* Where p99 leaves 5x its spike figure: the same for all, or the earlier knees named. */
static void api_knee(struct rdoc_buf *b, const struct api_pick *p)
{
	const char *all[REPORT_MAX_IMPLS];
	size_t nall = 0, shown = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct api_impl *x = &p->im[i];

		if (x->spike && x->nopen > 1 && x->knee == x->nopen)
			all[nall++] = x->impl;
	}
	if (nall) {
		rdoc_buf_printf(b, " The hockey stick: p99 stays within %g× its figure at the spike up "
				   "to the highest rate measured for ", LESSON_KNEE_MULT);
		section_join_names(b, all, nall);
		rdoc_buf_printf(b, ".");
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct api_impl *x = &p->im[i];

		if (!x->spike || x->nopen < 2 || x->knee == x->nopen || x->knee == 0)
			continue;
		rdoc_buf_printf(b, "%s%s up to ", shown++ ? "; " : nall ? " It bends earlier for "
								  : " The hockey stick bends: ",
				x->impl);
		at_rate(b, x, x->knee - 1);
		rdoc_buf_printf(b, ", then %s at ", us(x->open[x->knee]->p99).s);
		at_rate(b, x, x->knee);
		rdoc_buf_printf(b, " (%s× the spike's p99)",
				fig_ratio(x->open[x->knee]->p99 / x->spike->p99).s);
	}
	if (shown)
		rdoc_buf_printf(b, ". Past the knee the latency is the queue's, not the lookup's.");
}

static void api_prose(const struct report_run *run, struct rdoc *doc, const struct api_pick *p)
{
	struct rdoc_buf b = { 0 };

	api_answers(&b, p);
	api_cost(&b, p);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_buf_free(&b);
	api_spike(&b, p);
	api_knee(&b, p);
	section_target_size(&b, p->routes, p->carriers);
	if (p->other)
		rdoc_buf_printf(&b, " (%zu rows of another size in api.csv are left aside.)",
				p->other);
	if (run->api.bad_api)
		rdoc_buf_printf(&b, " **%zu row%s of api.csv could not be read** and %s left out.",
				run->api.bad_api, run->api.bad_api == 1 ? "" : "s",
				run->api.bad_api == 1 ? "is" : "are");
	if (!run->api.complete)
		rdoc_buf_printf(&b, " The scenario run is incomplete (its meta.json says so): it "
				    "may have stopped before some points.");
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "api");
	rdoc_buf_free(&b);
	rdoc_note(doc, "Rule: from `%s/api.csv`, the rows of its last size (%s carriers × %s "
		       "routes). An implementation's maximum is its closed-loop row's achieved rate; "
		       "the lookup's share of a request is 1 − max / the baseline's max (a request "
		       "costs the server 1 / max). The spike row is the open-loop row offered "
		       "166.7/s; it holds when p99.9 < 1 ms. The knee is the highest offered rate "
		       "up to which every point's p99 is at most %g× the spike's. Errors and "
		       "mismatches are summed over every row; a server that failed to start is a "
		       "row without figures.", run->api.dir, fig_count(p->carriers).s,
		 fig_count(p->routes).s, LESSON_KNEE_MULT);
}

void section_api(const struct report_run *run, struct rdoc *doc)
{
	const struct report_api_run *r = &run->api;
	struct api_pick *p;

	if (!r->have_api || !r->n_api) {
		rdoc_para(doc, "This report has no scenario run (%s): `make bench-api` measures "
			       "`routebench serve` under load (about 10 minutes) into "
			       "`results/latest-api`, which the report reads next time.",
			  r->have_api ? "api.csv has no row" : r->why[0] ? r->why : "no api.csv");
		return;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return;
	api_select(r, p);
	section_chart(run, doc, r->dir, "api_latency", "latency percentiles against the offered "
						       "rate, open loop: the hockey stick");
	api_table(doc, p);
	api_prose(run, doc, p);
	free(p);
}
