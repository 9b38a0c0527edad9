/*
 * lesson.c - the rules behind the report's computed sentences and the charts' derived figures:
 * totals, the crossover, the stream strategy's curve, the allocator comparison, the Pareto
 * frontier and the claimed-versus-fitted big-O verdict. See lesson.h for each rule.
 */
#include "lesson.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

int lesson_usable(const struct bench_cell *c, const char *impl, const char *alloc, uint64_t k)
{
	return c->status == BENCH_OK &&
	       (impl ? strcmp(c->impl, impl) == 0 : strcmp(c->strategy, "solver") != 0) &&
	       strcmp(c->allocator, alloc) == 0 && c->n_carriers == k && !bench_cell_is_cold(c);
}

const struct bench_cell *lesson_find(const struct bench_cell *rows, size_t n, const char *impl,
				     const char *alloc, uint64_t n_routes, uint64_t k)
{
	for (size_t i = 0; i < n; i++)
		if (lesson_usable(&rows[i], impl, alloc, k) && rows[i].n_routes == n_routes)
			return &rows[i];
	return NULL;
}

static double or0(double v)
{
	return isfinite(v) ? v : 0;
}

double lesson_shared_total_s(const struct bench_cell *c, double parse_s, double q)
{
	return or0(parse_s) + or0(c->build_s) + q * or0(c->lookup_ns) * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double lesson_median(double *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[k++] = v[i];
	if (!k)
		return NAN;
	qsort(v, k, sizeof(*v), cmp_double);
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/* The median of parse_s (mb 0) or parse_mb_s (mb 1) over lesson_median_parse_s's rows. */
static double median_parse(const struct bench_cell *rows, size_t n, const char *alloc,
			   uint64_t n_routes, int mb, size_t *count)
{
	double *v = malloc((n ? n : 1) * sizeof(*v)), med = NAN;
	size_t k = 0;

	for (size_t i = 0; v && i < n; i++) {
		double x = mb ? rows[i].parse_mb_s : rows[i].parse_s;

		if (lesson_usable(&rows[i], NULL, alloc, 1) && rows[i].n_routes == n_routes &&
		    !lesson_is_stream(&rows[i]) && isfinite(x) && (!mb || x > 0))
			v[k++] = x;
	}
	if (k)
		med = lesson_median(v, k);
	free(v);
	if (count)
		*count = k;
	return med;
}

double lesson_median_parse_s(const struct bench_cell *rows, size_t n, const char *alloc,
			     uint64_t n_routes, size_t *count)
{
	return median_parse(rows, n, alloc, n_routes, 0, count);
}

double lesson_median_parse_mb_s(const struct bench_cell *rows, size_t n, const char *alloc,
				uint64_t n_routes, size_t *count)
{
	return median_parse(rows, n, alloc, n_routes, 1, count);
}

double lesson_index_total_s(const struct bench_cell *c, double q)
{
	return or0(c->parse_s) + or0(c->build_s) + q * or0(c->lookup_ns) * 1e-9;
}

int lesson_is_stream(const struct bench_cell *c)
{
	return strcmp(c->impl, LESSON_STREAM) == 0;
}

int lesson_measured(const struct bench_cell *c)
{
	return (c->status == BENCH_OK || c->status == BENCH_MISMATCH) &&
	       strcmp(c->strategy, "solver") != 0 && /* a program's rows: section_python.c */
	       !bench_cell_is_cold(c);
}

uint64_t lesson_cross_size(const struct bench_cell *rows, size_t n)
{
	return lesson_cross_size_k(rows, n, 1);
}

uint64_t lesson_cross_size_k(const struct bench_cell *rows, size_t n, uint64_t k)
{
	uint64_t best = 0, any = 0;

	for (size_t i = 0; i < n; i++) {
		const struct bench_cell *c = &rows[i];

		if (!lesson_measured(c) || c->n_carriers != k)
			continue;
		if (c->n_routes > any)
			any = c->n_routes;
		if (c->n_routes <= best)
			continue;
		for (size_t j = 0; j < n; j++) {
			const struct bench_cell *d = &rows[j];

			if (lesson_measured(d) && d->n_carriers == k &&
			    d->n_routes == c->n_routes &&
			    lesson_is_stream(d) != lesson_is_stream(c)) {
				best = c->n_routes;
				break;
			}
		}
	}
	return best ? best : any;
}

void lesson_crossover(const struct bench_cell *lin, const struct bench_cell *idx,
		      struct lesson_cross *out)
{
	lesson_break_even(or0(lin->build_s), or0(lin->lookup_ns), or0(idx->build_s),
			  or0(idx->lookup_ns), out);
}

void lesson_break_even(double scan_base_s, double scan_lookup_ns, double base_s,
		       double lookup_ns, struct lesson_cross *out)
{
	double db = base_s - scan_base_s;
	double dl = (scan_lookup_ns - lookup_ns) * 1e-9;

	out->q = NAN;
	out->first_q = 0;
	if (dl <= 0) {
		out->kind = LESSON_CROSS_NEVER;
	} else if (db <= 0) {
		out->kind = LESSON_CROSS_ALWAYS;
		out->first_q = 1;
	} else {
		out->kind = LESSON_CROSS_FROM;
		out->q = db / dl;
		out->first_q = out->q >= 1e18 ? UINT64_MAX : (uint64_t)floor(out->q) + 1;
	}
}

size_t lesson_stream_points(const char *points, double *q, double *t, size_t cap)
{
	size_t k = 0;
	const char *s = points;

	while (s && *s && k < cap) {
		char *end;
		double qq = strtod(s, &end), tt;

		if (end != s && *end == ':') {
			const char *ts = end + 1;

			tt = strtod(ts, &end);
			if (end != ts && (*end == ';' || *end == '\0') && qq > 0 && tt >= 0) {
				q[k] = qq;
				t[k++] = tt;
			}
		}
		s = strchr(s, ';');
		s = s ? s + 1 : NULL;
	}
	return k;
}

int lesson_cross_wins(const struct lesson_cross *c, uint64_t q)
{
	return c->kind == LESSON_CROSS_ALWAYS || (c->kind == LESSON_CROSS_FROM && q >= c->first_q);
}

static int dominates(const double *x, const double *y, size_t j, size_t i)
{
	return x[j] <= x[i] && y[j] <= y[i] && (x[j] < x[i] || y[j] < y[i]);
}

size_t lesson_frontier(const double *x, const double *y, size_t n, int *on, size_t *beats)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		on[i] = 1;
		if (beats)
			beats[i] = 0;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (j != i && dominates(x, y, j, i)) {
				on[i] = 0;
				if (beats)
					beats[j]++;
			}
	for (size_t i = 0; i < n; i++)
		k += (size_t)on[i];
	return k;
}

/* The next word of s (letters, digits, '^'), into w[cap]; returns where it ends. */
static const char *next_word(const char *s, const char *end, char *w, size_t cap)
{
	size_t len = 0;

	while (s < end && !(isalnum((unsigned char)*s) || *s == '^'))
		s++;
	while (s < end && (isalnum((unsigned char)*s) || *s == '^')) {
		if (len + 1 < cap)
			w[len++] = *s;
		s++;
	}
	w[len] = '\0';
	return s;
}

/* The order inside one "O(...)": n^k and n words count, an n right after "log" is a log. */
static void order_of(const char *s, const char *end, struct lesson_order *out)
{
	char w[32], prev[32] = "";

	out->deg = 0;
	out->log = 0;
	while ((s = next_word(s, end, w, sizeof(w))), w[0]) {
		int after_log = strcmp(prev, "log") == 0 || strcmp(prev, "lg") == 0 ||
				strcmp(prev, "log2") == 0;

		if (strcmp(w, "n") == 0 && after_log)
			out->log = 1;
		else if (strcmp(w, "n") == 0)
			out->deg++;
		else if (w[0] == 'n' && w[1] == '^' && isdigit((unsigned char)w[2]))
			out->deg += w[2] - '0';
		snprintf(prev, sizeof(prev), "%s", w);
	}
}

/* The clause of part in complexity: [*start, *end), after the word, to a top-level comma. */
static int find_clause(const char *complexity, const char *part, const char **start,
		       const char **end)
{
	size_t plen = strlen(part);
	const char *s = complexity, *e;
	int depth = 0;

	for (;; s++) {
		s = strstr(s, part);
		if (!s)
			return -1;
		if ((s == complexity || !isalnum((unsigned char)s[-1])) &&
		    !isalnum((unsigned char)s[plen]))
			break;
	}
	s += plen;
	while (*s == ' ')
		s++;
	for (e = s; *e && !(*e == ',' && depth == 0); e++)
		depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
	while (e > s && e[-1] == ' ')
		e--;
	*start = s;
	*end = e;
	return 0;
}

int lesson_claimed_order(const char *complexity, const char *part, struct lesson_order *out)
{
	const char *s, *end, *o;
	int depth;

	if (find_clause(complexity, part, &s, &end) != 0)
		return -1;
	o = strstr(s, "O(");
	if (!o || o >= end) {
		out->deg = 0;
		out->log = 0;
		return 0;
	}
	s = o + 2;
	for (depth = 1, o = s; o < end && depth; o++)
		depth += *o == '(' ? 1 : *o == ')' ? -1 : 0;
	order_of(s, o, out);
	return 0;
}

int lesson_claim_clause(const char *complexity, const char *part, char *buf, size_t cap)
{
	const char *s, *end;

	if (find_clause(complexity, part, &s, &end) != 0)
		return -1;
	snprintf(buf, cap, "%.*s", (int)(end - s), s);
	return 0;
}

int lesson_fitted_order(const char *big_o, struct lesson_order *out)
{
	static const struct {
		const char *name;
		struct lesson_order o;
	} fits[] = { { "(1)", { 0, 0 } }, { "lgN", { 0, 1 } }, { "N", { 1, 0 } },
		     { "NlgN", { 1, 1 } }, { "N^2", { 2, 0 } }, { "N^3", { 3, 0 } } };

	for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++)
		if (strcmp(big_o, fits[i].name) == 0) {
			*out = fits[i].o;
			return 0;
		}
	return -1;
}

enum lesson_verdict lesson_verdict(const struct lesson_order *claimed,
				   const struct lesson_order *fitted)
{
	if (claimed->deg < 0 || fitted->deg < 0)
		return LESSON_UNKNOWN;
	if (claimed->deg != fitted->deg)
		return LESSON_FLAG;
	if (claimed->deg == 0 && !claimed->log && fitted->log)
		return LESSON_CACHE;
	return LESSON_AGREES;
}

const char *lesson_scan_name(void)
{
	const struct route_table_ops *scan = rt_find_flag(RT_F_SCAN);

	return scan ? scan->name : NULL;
}

int lesson_is_index(const char *impl)
{
	const char *scan = lesson_scan_name();

	return (!scan || strcmp(impl, scan) != 0) && strcmp(impl, LESSON_STREAM) != 0;
}

double lesson_bytes_per_route(const struct bench_cell *c)
{
	double routes = (double)c->n_routes * (double)c->n_carriers;

	return routes > 0 ? (double)c->struct_bytes / routes : NAN;
}

uint64_t lesson_common_size(const struct bench_cell *rows, size_t n, const char *a,
			    const char *b, const char *alloc)
{
	uint64_t best = 0;

	for (size_t i = 0; i < n; i++)
		if (lesson_usable(&rows[i], a, alloc, 1) && rows[i].n_routes > best &&
		    lesson_find(rows, n, b, alloc, rows[i].n_routes, 1))
			best = rows[i].n_routes;
	return best;
}

/* Is c an ok one-carrier index row of n_routes routes under alloc? */
static int index_at(const struct bench_cell *c, const char *alloc, uint64_t n_routes)
{
	return lesson_usable(c, NULL, alloc, 1) && c->n_routes == n_routes &&
	       lesson_is_index(c->impl);
}

const struct bench_cell *lesson_quickest_index(const struct bench_cell *rows, size_t n,
					       const char *alloc, uint64_t n_routes,
					       double parse_s, double q)
{
	const struct bench_cell *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (index_at(&rows[i], alloc, n_routes) &&
		    (!best || lesson_shared_total_s(&rows[i], parse_s, q) <
				      lesson_shared_total_s(best, parse_s, q)))
			best = &rows[i];
	return best;
}

const struct bench_cell *lesson_cheapest_build(const struct bench_cell *rows, size_t n,
					       const char *alloc, uint64_t n_routes)
{
	const struct bench_cell *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (index_at(&rows[i], alloc, n_routes) &&
		    (!best || rows[i].build_s < best->build_s))
			best = &rows[i];
	return best;
}

size_t lesson_cheapest(const struct bench_cell *const *rows, size_t n, double q)
{
	size_t best = n;

	for (size_t i = 0; i < n; i++)
		if (best == n ||
		    lesson_index_total_s(rows[i], q) < lesson_index_total_s(rows[best], q))
			best = i;
	return best;
}

const struct bench_cell *lesson_fastest_table(const struct bench_cell *rows, size_t n,
					      const struct bench_cell *like, double q)
{
	const struct bench_cell *best = NULL;

	for (size_t j = 0; j < n; j++) {
		const struct bench_cell *c = &rows[j];

		if (!lesson_usable(c, NULL, like->allocator, like->n_carriers) ||
		    lesson_is_stream(c) || c->n_routes != like->n_routes ||
		    c->n_carriers != like->n_carriers || strcmp(c->allocator, like->allocator) != 0)
			continue;
		if (!best || lesson_index_total_s(c, q) < lesson_index_total_s(best, q))
			best = c;
	}
	return best;
}

int lesson_stream_wins(double stream_s, double index_s)
{
	return stream_s >= 0 && (isnan(index_s) || stream_s < index_s);
}

double lesson_stream_time(const double *q, const double *t, size_t n, double x)
{
	double b;

	if (!n)
		return -1;
	for (size_t j = 0; j < n; j++)
		if (x <= q[j])
			return j == 0 ? t[0]
				      : t[j - 1] + (t[j] - t[j - 1]) * (x - q[j - 1]) /
							  (q[j] - q[j - 1]);
	b = n > 1 ? (t[n - 1] - t[n - 2]) / (q[n - 1] - q[n - 2]) : 0;
	return t[n - 1] + (b > 0 ? b : 0) * (x - q[n - 1]);
}

double lesson_overtakes(const struct bench_cell *idx, const double *q, const double *t,
			size_t n)
{
	double prev = 1;

	if (!n || lesson_index_total_s(idx, 1) < lesson_stream_time(q, t, n, 1))
		return 0;
	for (int k = 1; k <= 146; k++) { /* 20 steps a decade, to 2e7 */
		double x = pow(10, k / 20.0), lo, hi;

		if (!(lesson_index_total_s(idx, x) < lesson_stream_time(q, t, n, x))) {
			prev = x;
			continue;
		}
		for (lo = prev, hi = x; hi / lo > 1.0001;) {
			double mid = sqrt(lo * hi);

			if (lesson_index_total_s(idx, mid) < lesson_stream_time(q, t, n, mid))
				hi = mid;
			else
				lo = mid;
		}
		return hi;
	}
	return 0;
}

/* A one-carrier row of a table: what the Pareto chart draws. */
static int pareto_row(const struct bench_cell *c)
{
	return c->n_carriers == 1 && !lesson_is_stream(c);
}

const char *lesson_pareto_alloc(const struct bench_cell *rows, size_t n)
{
	const char *alloc = NULL;

	for (size_t i = 0; i < n; i++)
		if (pareto_row(&rows[i]) && (!alloc || strcmp(rows[i].allocator, "glibc") == 0))
			alloc = rows[i].allocator;
	return alloc;
}

uint64_t lesson_pareto_size(const struct bench_cell *rows, size_t n, const char *alloc)
{
	uint64_t big = 0;

	for (size_t i = 0; i < n && alloc; i++)
		if (pareto_row(&rows[i]) && strcmp(rows[i].allocator, alloc) == 0 &&
		    rows[i].n_routes > big)
			big = rows[i].n_routes;
	return big;
}

size_t lesson_allocs_of(const struct bench_cell *rows, size_t n, const char *impl,
			const char *first, const char **out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct bench_cell *c = &rows[i];
		size_t j;

		if (c->status != BENCH_OK || c->n_carriers != 1 || strcmp(c->impl, impl) != 0)
			continue;
		for (j = 0; j < k && strcmp(out[j], c->allocator) != 0; j++)
			;
		if (j == k && k < cap)
			out[k++] = c->allocator;
	}
	for (size_t j = 1; j < k; j++)
		if (strcmp(out[j], first) == 0) {
			const char *t = out[0];

			out[0] = out[j];
			out[j] = t;
		}
	return k;
}

uint64_t lesson_alloc_size(const struct bench_cell *rows, size_t n, const char *impl,
			   const char *alloc, const char *const *others, size_t nothers)
{
	uint64_t best = 0;

	for (size_t i = 0; i < n; i++) {
		int all = lesson_usable(&rows[i], impl, alloc, 1);

		for (size_t a = 0; a < nothers && all; a++)
			all = lesson_find(rows, n, impl, others[a], rows[i].n_routes, 1) != NULL;
		if (all && rows[i].n_routes > best)
			best = rows[i].n_routes;
	}
	return best;
}

double lesson_alloc_overhead(const struct bench_cell *c)
{
	return (double)(c->heap_bytes - (int64_t)c->struct_bytes) / (double)c->struct_bytes;
}

int lesson_alloc_slim(const struct bench_cell *c)
{
	return fabs(lesson_alloc_overhead(c)) <= LESSON_SAME_SHARE;
}

int lesson_alloc_compare(const struct bench_cell *a, const struct bench_cell *b, double *share)
{
	double d = (double)(a->heap_bytes - b->heap_bytes) / (double)a->struct_bytes;

	if (share)
		*share = d;
	return d > LESSON_SAME_SHARE ? 1 : d < -LESSON_SAME_SHARE ? -1 : 0;
}

int lesson_within(double got, double want, double share)
{
	return isfinite(got) && isfinite(want) && fabs(got - want) <= share * want;
}

int lesson_python_step(const struct bench_cell *c)
{
	const char *n = c->impl;

	if (strcmp(c->strategy, "solver") != 0 || strncmp(n, "py", 2) != 0)
		return 0;
	return n[2] >= '1' && n[2] <= '0' + LESSON_PY_STEPS && n[3] == '_' ? n[2] - '0' : 0;
}

int lesson_python_c_step(int py)
{
	static const int c[LESSON_PY_STEPS + 1] = { 0, LESSON_PY_SCAN, 0, 1, 1, 1, 3, 4 };

	return py >= 1 && py <= LESSON_PY_STEPS ? c[py] : 0;
}

double lesson_python_bytes_per_route(const struct bench_cell *c)
{
	double routes = (double)c->n_routes * (double)c->n_carriers;

	return routes > 0 && c->heap_bytes > 0 ? (double)c->heap_bytes / routes : NAN;
}

/*
 * The post this project comes from: the object trie (step 4) took 3 GB for 10M routes (300
 * bytes per route), __slots__ (step 5) "more than halved it" (-50% or more), and the mapper
 * (step 7) took the trie "from 3 GB to 1.5 GB" (-50% against the 3 GB trie, step 4).
 */
int lesson_python_claim(int py, double *bpr, int *against, double *change, const char **text)
{
	switch (py) {
	case 4: *bpr = 3e9 / 1e7; *against = 0; *change = NAN; *text = "3 GB at 10M routes";
		return 0;
	case 5: *bpr = NAN; *against = 4; *change = -50; *text = "__slots__ more than halved it";
		return 0;
	case 7: *bpr = 1.5e9 / 1e7; *against = 4; *change = -50;
		*text = "the mapper took 3 GB to 1.5 GB";
		return 0;
	default: return -1;
	}
}

/* A run's fit good enough to judge: enough sizes, a small error. FEW, POOR or 0. */
static int fit_quality(const struct lesson_fit *f)
{
	if (f->n_sizes < LESSON_FIT_MIN_SIZES)
		return LESSON_FIT_FEW;
	return isfinite(f->rms) && f->rms < LESSON_FIT_RMS_MAX ? 0 : LESSON_FIT_POOR;
}

enum lesson_fit_state lesson_fit_state(const struct lesson_fit *a, const struct lesson_fit *b)
{
	struct lesson_order oa, ob;
	int qa, qb;

	if (!a || !a->big_o || lesson_fitted_order(a->big_o, &oa) != 0)
		return LESSON_FIT_NONE;
	qa = fit_quality(a);
	if (!b || !b->big_o)
		return qa ? (enum lesson_fit_state)qa : LESSON_FIT_ONCE;
	qb = fit_quality(b);
	if (qa == LESSON_FIT_FEW || qb == LESSON_FIT_FEW)
		return LESSON_FIT_FEW;
	if (qa || qb)
		return LESSON_FIT_POOR;
	if (lesson_fitted_order(b->big_o, &ob) != 0 || ob.deg != oa.deg)
		return LESSON_FIT_DIFFER;
	return LESSON_FIT_REPEATS;
}

/* |a - b| beyond share x ref, all finite. */
static int apart(double a, double b, double ref, double share)
{
	return isfinite(a) && isfinite(b) && isfinite(ref) && fabs(a - b) > share * fabs(ref);
}

unsigned lesson_heap_reasons(const struct lesson_heap *h)
{
	double total = h->finished + h->extra, glibc = h->heap_bytes - h->finished;
	unsigned r = 0;

	if (apart(h->peak, h->finished, h->finished, LESSON_HEAP_SHARE) && h->peak > h->finished)
		r |= LESSON_HEAP_TRANSIENT;
	if (isfinite(h->peak) && isfinite(h->finished) && h->peak < h->finished)
		r |= LESSON_HEAP_PEAK_LATE;
	if (apart(total, h->heap_bytes, h->heap_bytes, LESSON_HEAP_SHARE)) {
		if (total < h->heap_bytes)
			r |= LESSON_HEAP_ROUNDING;
		else if (h->extra > LESSON_SLACK_RATIO * (glibc > 0 ? glibc : 0))
			r |= LESSON_HEAP_SLACK;
		else
			r |= LESSON_HEAP_ADMIN;
	}
	if (apart(h->finished, h->struct_bytes, h->struct_bytes, LESSON_HEAP_SHARE))
		r |= LESSON_HEAP_ACCOUNTING;
	return r;
}
