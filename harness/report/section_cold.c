/*
 * section_cold.c - the lesson of hot and cold numbers: at the largest size with cold rows, each
 * structure's lookup on the hot set (a few thousand numbers, repeated) against the cold set
 * (distinct numbers, each once a pass), singly and batched, set against the machine's DRAM
 * latency (meta.json) and cachesim's last-level misses per lookup, of each set: each structure
 * against the bound its cold misses imply, with the rule's reason (lesson_cold.c's rules).
 * Lesson: a benchmark that repeats its numbers measures the cache as much as the structure.
 */
#include <math.h>
#include <string.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

#define COLD_BATCH_TARGET 2.5 /* the issue's: batched >= 2.5x single, cold */
#define COLD_PEER_TARGET 4.0  /* the best own structure >= 4x the fastest peer, cold */
#define COLD_BOUND_TARGET 1.5 /* each cold lookup within 1.5x of misses x DRAM latency */
#define COLD_SIZE_TARGET 10000000ULL /* the size the targets are stated at */
#define COLD_FEW_MISSES 0.05 /* LL misses per lookup under which the table fits the LL */

struct cold_pick {
	uint64_t n;      /* the largest size with cold rows */
	struct cold_row {
		const struct bench_cell *hot, *cold; /* hot may be NULL */
		const struct report_cachesim *cs;    /* the cold set's, else the hot's; or NULL */
		const struct report_cachesim *cs_hot; /* the hot set's, or NULL */
		double bound;                        /* LL misses x DRAM latency, ns (NaN) */
		enum lesson_bound_why why;
	} r[REPORT_MAX_IMPLS];
	size_t nr, n_cs, n_cs_cold; /* rows with a cachesim row, and with one of the cold set */
	uint64_t cold_q;   /* the fewest numbers any cold row had (queries_total) */
	uint64_t cs_lookups, ll_bytes; /* cachesim's lookups per pass and LL, of its first row */
	double dram_ns;    /* meta.json machine.dram_ns, NaN when not measured */
};

/* The rows of the lesson: every index with an ok cold row at the largest cold size. */
static void cold_select(const struct report_run *run, struct cold_pick *p)
{
	memset(p, 0, sizeof(*p));
	p->dram_ns = report_meta_number(run, REPORT_META_DRAM_NS);
	if (!(p->dram_ns > 0))
		p->dram_ns = NAN;
	p->n = lesson_cold_size(run->rows, run->n, run->alloc);
	for (size_t i = 0; p->n && i < run->n_impls; i++) {
		const char *impl = run->impls[i];
		struct cold_row *r = &p->r[p->nr];

		r->cold = lesson_find_qs(run->rows, run->n, impl, run->alloc, p->n, 1);
		if (!r->cold || !lesson_is_index(impl))
			continue;
		r->hot = lesson_find_qs(run->rows, run->n, impl, run->alloc, p->n, 0);
		r->cs_hot = report_cachesim_find(run, impl, p->n, 0);
		r->cs = report_cachesim_find(run, impl, p->n, 1);
		p->n_cs_cold += r->cs != NULL;
		if (!r->cs)
			r->cs = r->cs_hot;
		r->bound = r->cs ? lesson_miss_bound_ns(r->cs->ll, p->dram_ns) : NAN;
		r->why = lesson_bound_why(r->cold->lookup_ns, r->cs ? r->cs->ll : NAN, p->dram_ns,
					  r->hot ? r->hot->lookup_ns : NAN, r->cs && !r->cs->cold,
					  COLD_FEW_MISSES, COLD_BOUND_TARGET);
		if (!p->cold_q || r->cold->queries_total < p->cold_q)
			p->cold_q = r->cold->queries_total;
		if (r->cs && (!p->n_cs++ || (r->cs->cold && p->n_cs_cold == 1))) {
			p->cs_lookups = r->cs->lookups; /* the first cold row's, else the first's */
			p->ll_bytes = r->cs->ll_bytes;
		}
		p->nr++;
	}
}

/* A cell of figure v with fmt's unit, or "not measured". */
static void cell_or(struct rdoc *doc, double v, const char *fmt, int decimals)
{
	if (isfinite(v))
		rdoc_cell(doc, fmt, fig_fix(v, decimals).s);
	else
		rdoc_cell(doc, "not measured");
}

static void cold_table(struct rdoc *doc, const struct cold_pick *p)
{
	rdoc_table(doc, "structure|>hot ns|>cold ns|>cold / hot|>cold batched ns|"
			">batched speed-up|>cold in DRAM misses");
	for (size_t i = 0; i < p->nr; i++) {
		const struct cold_row *r = &p->r[i];
		double hot = r->hot ? r->hot->lookup_ns : NAN, cold = r->cold->lookup_ns;

		rdoc_cell(doc, "%s%s", r->cold->impl,
			  r->cold->n_queries < r->cold->queries_total ? " (sampled)" : "");
		cell_or(doc, hot, "%s", 1);
		cell_or(doc, cold, "%s", 1);
		cell_or(doc, cold / hot, "%s×", 2);
		cell_or(doc, r->cold->batch_lookup_ns, "%s", 1);
		cell_or(doc, cold / r->cold->batch_lookup_ns, "%s×", 2);
		cell_or(doc, lesson_dram_misses(cold, p->dram_ns), "%s", 2);
	}
}

/* The rule's reason for row r, worked out in its figures, into the table cell. */
static void why_cell(struct rdoc *doc, const struct cold_pick *p, const struct cold_row *r)
{
	double cold = r->cold->lookup_ns, hot = r->hot ? r->hot->lookup_ns : NAN;

	switch (r->why) {
	case LESSON_BOUND_FITS:
		rdoc_cell(doc, "fits the LL: no DRAM bound (under %s misses)",
			  fig_fix(COLD_FEW_MISSES, 2).s);
		break;
	case LESSON_BOUND_WITHIN:
		rdoc_cell(doc, "within %s×: DRAM-bound", fig_ratio(COLD_BOUND_TARGET).s);
		break;
	case LESSON_BOUND_OVERLAPPED:
		rdoc_cell(doc, "under the bound: misses overlapped, %s in flight on average",
			  fig_fix(r->bound / cold, 2).s);
		break;
	case LESSON_BOUND_HOT_SET:
		rdoc_cell(doc, "the misses are the hot set's (no cold cachesim row), fewer than "
			       "the cold set's");
		break;
	case LESSON_BOUND_WORK:
		rdoc_cell(doc, "bound by its own work: its hot lookup alone, %s ns (%s instructions, "
			       "%s L1 misses), exceeds the bound", fig_fix(hot, 1).s,
			  fig_fix(r->cs->instr, 0).s, fig_fix(r->cs->d1, 1).s);
		break;
	case LESSON_BOUND_ADDED:
		rdoc_cell(doc, "misses plus its own work: bound + hot = %s ns, cold %s× that",
			  fig_fix(r->bound + hot, 1).s, fig_fix(cold / (r->bound + hot), 2).s);
		break;
	case LESSON_BOUND_UNEXPLAINED:
		if (isfinite(hot))
			rdoc_cell(doc, "not explained: %s ns over bound + hot (%s ns); callgrind "
				       "simulates no TLB and no prefetcher", fig_fix(cold - r->bound -
				       hot, 1).s, fig_fix(r->bound + hot, 1).s);
		else
			rdoc_cell(doc, "over the bound, and no hot row to set its own work against");
		break;
	default:
		rdoc_cell(doc, "%s", !r->cs ? "no cachesim row" : !isfinite(p->dram_ns)
				     ? "no DRAM latency (bench --machine-limits)" : "not measured");
	}
}

/* Each structure against the bound its cold misses imply, and why it is where it is. */
static void bound_table(struct rdoc *doc, const struct cold_pick *p)
{
	rdoc_table(doc, "structure|>cold ns|>LL misses, hot set|>LL misses, cold set|"
			">bound: misses × DRAM ns|>cold / bound|why");
	for (size_t i = 0; i < p->nr; i++) {
		const struct cold_row *r = &p->r[i];
		const struct report_cachesim *c = r->cs && r->cs->cold ? r->cs : NULL;

		rdoc_cell(doc, "%s", r->cold->impl);
		cell_or(doc, r->cold->lookup_ns, "%s", 1);
		cell_or(doc, r->cs_hot ? r->cs_hot->ll : NAN, "%s", 3);
		cell_or(doc, c ? c->ll : NAN, "%s", 3);
		cell_or(doc, r->bound, "%s", 1);
		if (r->why == LESSON_BOUND_FITS)
			rdoc_cell(doc, "-");
		else
			cell_or(doc, lesson_bound_ratio(r->cold->lookup_ns, r->bound), "%s×", 2);
		why_cell(doc, p, r);
	}
}

/* The cold set itself, and the ratios cold / hot over the structures. */
static void cold_ratios(struct rdoc_buf *b, const struct cold_pick *p)
{
	const struct cold_row *lo = NULL, *hi = NULL;

	rdoc_buf_printf(b, "At %s routes the cold set is %s distinct numbers in random order, "
			   "each looked up once a pass and every rep one pass; the hot set repeats "
			   "a few thousand numbers pass after pass, so the paths they take stay "
			   "cached. ", fig_count(p->n).s, fig_count(p->cold_q).s);
	if (p->cold_q < BENCH_COLD_MIN)
		rdoc_buf_printf(b, "**That is fewer than the %s numbers this lesson counts as "
				   "cold**: these are a test's figures, not a cold measurement. ",
				fig_count(BENCH_COLD_MIN).s);
	for (size_t i = 0; i < p->nr; i++) {
		const struct cold_row *r = &p->r[i];

		if (!r->hot || !(r->hot->lookup_ns > 0))
			continue;
		if (!lo || r->cold->lookup_ns / r->hot->lookup_ns <
			       lo->cold->lookup_ns / lo->hot->lookup_ns)
			lo = r;
		if (!hi || r->cold->lookup_ns / r->hot->lookup_ns >
			       hi->cold->lookup_ns / hi->hot->lookup_ns)
			hi = r;
	}
	if (!lo) {
		rdoc_buf_printf(b, "No structure has a hot row at this size: cold against hot is "
				   "not measured. ");
		return;
	}
	if (lo == hi)
		rdoc_buf_printf(b, "Cold, %s's lookup costs **%s× its hot figure** (%s ns against "
				   "%s ns). ", lo->cold->impl,
				fig_ratio(lo->cold->lookup_ns / lo->hot->lookup_ns).s,
				fig_fix(lo->cold->lookup_ns, 1).s, fig_fix(lo->hot->lookup_ns, 1).s);
	else
		rdoc_buf_printf(b, "Cold, a lookup costs **from %s× (%s) to %s× (%s) its hot "
				   "figure**: %s ns against %s ns for %s. ",
				fig_ratio(lo->cold->lookup_ns / lo->hot->lookup_ns).s, lo->cold->impl,
				fig_ratio(hi->cold->lookup_ns / hi->hot->lookup_ns).s, hi->cold->impl,
				fig_fix(hi->cold->lookup_ns, 1).s, fig_fix(hi->hot->lookup_ns, 1).s,
				hi->cold->impl);
}

/* Where the targets are stated (10M routes), and whether this size is it. */
static const char *at_size(const struct cold_pick *p)
{
	return p->n == COLD_SIZE_TARGET ? "" : " (stated for 10M routes; measured here at the "
					       "size above)";
}

/* Batched against single, cold: the best speed-up, and which reach the 2.5x. */
static void cold_batched(struct rdoc_buf *b, const struct cold_pick *p)
{
	const char *met[REPORT_MAX_IMPLS];
	const struct cold_row *best = NULL;
	size_t nm = 0, nb = 0;

	for (size_t i = 0; i < p->nr; i++) {
		const struct bench_cell *c = p->r[i].cold;
		double s = c->lookup_ns / c->batch_lookup_ns;

		if (!isfinite(s))
			continue;
		nb++;
		if (!best || s > best->cold->lookup_ns / best->cold->batch_lookup_ns)
			best = &p->r[i];
		if (s >= COLD_BATCH_TARGET)
			met[nm++] = c->impl;
	}
	if (!best) {
		rdoc_buf_printf(b, "Batched lookups were not measured (a run older than the "
				   "batch_lookup_ns column). ");
		return;
	}
	rdoc_buf_printf(b, "Through rt_lookup_batch (256 numbers a call, the misses of one "
			   "overlapping the work of the others), the best cold speed-up over single "
			   "lookups is %s's %s×. The target of batched at least %s× single%s is met "
			   "by ", best->cold->impl,
			fig_ratio(best->cold->lookup_ns / best->cold->batch_lookup_ns).s,
			fig_ratio(COLD_BATCH_TARGET).s, at_size(p));
	if (nm) {
		struct rdoc_buf names = { 0 };

		section_join_names(&names, met, nm);
		rdoc_buf_printf(b, "%zu of the %zu structures: %s. ", nm, nb, names.s);
		rdoc_buf_free(&names);
	} else {
		rdoc_buf_printf(b, "none of the %zu structures. ", nb);
	}
}

/* The best of our structures (single or batched) against the fastest peer's single lookup. */
static void cold_peer(struct rdoc_buf *b, const struct cold_pick *p)
{
	const struct bench_cell *own = NULL, *peer = NULL;
	double own_ns = NAN;

	for (size_t i = 0; i < p->nr; i++) {
		const struct bench_cell *c = p->r[i].cold;
		double ns = isfinite(c->batch_lookup_ns) ? fmin(c->lookup_ns, c->batch_lookup_ns)
							   : c->lookup_ns;

		if (lesson_is_peer(c->impl)) {
			if (!peer || c->lookup_ns < peer->lookup_ns)
				peer = c;
		} else if (!own || ns < own_ns) {
			own = c;
			own_ns = ns;
		}
	}
	if (!own || !peer) {
		rdoc_buf_printf(b, "Our best structure against the fastest peer, cold: not "
				   "measured (no cold row of %s). ", own ? "a peer" : "ours");
		return;
	}
	rdoc_buf_printf(b, "Our fastest cold structure, %s, answers in %s ns%s: **%s× the "
			   "throughput of the fastest peer's single lookup** (%s, %s ns), against "
			   "the target of %s×%s: %s. ", own->impl, fig_fix(own_ns, 1).s,
			own_ns < own->lookup_ns ? " batched" : "", fig_ratio(peer->lookup_ns / own_ns).s,
			peer->impl, fig_fix(peer->lookup_ns, 1).s, fig_ratio(COLD_PEER_TARGET).s,
			at_size(p), peer->lookup_ns / own_ns >= COLD_PEER_TARGET ? "met" : "not met");
}

/* The cold lookups in DRAM misses' worth, the cost of one miss being meta.json's. */
static void cold_dram(struct rdoc_buf *b, const struct report_run *run,
		      const struct cold_pick *p)
{
	double lo = INFINITY, hi = 0;

	if (!isfinite(p->dram_ns)) {
		rdoc_buf_printf(b, "The DRAM latency was not measured (this run's meta.json has "
				   "no machine.dram_ns: run bench with --machine-limits), so no "
				   "lookup is stated in DRAM misses. ");
		return;
	}
	for (size_t i = 0; i < p->nr; i++) {
		lo = fmin(lo, lesson_dram_misses(p->r[i].cold->lookup_ns, p->dram_ns));
		hi = fmax(hi, lesson_dram_misses(p->r[i].cold->lookup_ns, p->dram_ns));
	}
	rdoc_buf_printf(b, "One dependent load from DRAM costs **%s ns** on this machine "
			   "(meta.json machine.dram_ns%s): cold, the structures answer in %s to "
			   "%s DRAM misses' worth. ", fig_fix(p->dram_ns, 1).s,
			   strcmp(run->meta.text[REPORT_META_DRAM_BEYOND_LLC], "false") == 0
				   ? ", measured at a working set under 4× the LLC: partly a "
				     "cache's figure"
				   : "", fig_fix(lo, 2).s, fig_fix(hi, 2).s);
}

/* The names of the rows whose reason is why, joined, and how many (0: nothing written). */
static size_t names_of(struct rdoc_buf *b, const struct cold_pick *p, enum lesson_bound_why why)
{
	const char *v[REPORT_MAX_IMPLS];
	size_t n = 0;

	for (size_t i = 0; i < p->nr; i++)
		if (p->r[i].why == why)
			v[n++] = p->r[i].cold->impl;
	if (n)
		section_join_names(b, v, n);
	return n;
}

/* The tally of the bound table's reasons over the structures judged (WITHIN and after). */
static void cold_tally(struct rdoc_buf *b, const struct cold_pick *p)
{
	static const struct {
		enum lesson_bound_why why;
		const char *what;
	} over[] = {
		{ LESSON_BOUND_WORK, "bound by their own work, the hot lookup alone over the bound" },
		{ LESSON_BOUND_ADDED, "their own work added to their misses" },
		{ LESSON_BOUND_UNEXPLAINED, "not explained by misses and work" },
	};
	struct rdoc_buf names = { 0 };
	size_t nj = 0, nw, nl, k = 0;

	if (names_of(&names, p, LESSON_BOUND_HOT_SET))
		rdoc_buf_printf(b, "Not judged against the bound, their misses counted on the hot "
				   "set only: %s. ", names.s);
	rdoc_buf_free(&names);
	for (size_t i = 0; i < p->nr; i++)
		nj += p->r[i].why >= LESSON_BOUND_WITHIN;
	if (!nj)
		return;
	nw = names_of(&names, p, LESSON_BOUND_WITHIN);
	rdoc_buf_printf(b, "Of the %zu structures that miss, %zu answer%s cold within %s× of the "
			   "time their misses imply at the DRAM latency%s%s%s", nj, nw,
			nw == 1 ? "s" : "", fig_ratio(COLD_BOUND_TARGET).s, nw ? " (" : "",
			nw ? names.s : "", nw ? ")" : "");
	rdoc_buf_free(&names);
	nl = names_of(&names, p, LESSON_BOUND_OVERLAPPED);
	if (nl)
		rdoc_buf_printf(b, "; %zu beat%s it, %s misses overlapped (%s)", nl,
				nl == 1 ? "s" : "", nl == 1 ? "its" : "their", names.s);
	rdoc_buf_free(&names);
	for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		size_t n = names_of(&names, p, over[i].why);

		if (n)
			rdoc_buf_printf(b, "%s %zu %s (%s)", k++ ? "," : "; over it:", n,
					over[i].what, names.s);
		rdoc_buf_free(&names);
	}
	rdoc_buf_printf(b, ". ");
}

/* The gap between hot and cold, in the cold set's extra misses at the DRAM latency. */
static void cold_explain(struct rdoc_buf *b, const struct cold_pick *p)
{
	const struct cold_row *lo = NULL, *hi = NULL;
	double slo = NAN, shi = NAN;

	for (size_t i = 0; i < p->nr; i++) {
		const struct cold_row *r = &p->r[i];
		double gap, share;

		if (!r->hot || !r->cs_hot || !r->cs || !r->cs->cold)
			continue;
		gap = r->cold->lookup_ns - r->hot->lookup_ns;
		share = (r->cs->ll - r->cs_hot->ll) * p->dram_ns / gap;
		if (!(gap > 0) || !isfinite(share))
			continue;
		if (!lo || share < slo)
			lo = r, slo = share;
		if (!hi || share > shi)
			hi = r, shi = share;
	}
	if (!lo) {
		rdoc_buf_printf(b, "No structure has both a hot and a cold cachesim row at this "
				   "size (`routebench cachesim --query-set hot,cold`), so the gap between "
				   "its hot and cold lookups is not set against misses.");
		return;
	}
	rdoc_buf_printf(b, "What the cold set adds to a hot lookup is its extra last-level misses "
			   "at the DRAM latency: they come to %s%% of the gap for %s (%s against %s "
			   "misses per lookup, %s ns against %s ns)", fig_fix(100 * slo, 0).s,
			lo->cold->impl, fig_fix(lo->cs->ll, 3).s, fig_fix(lo->cs_hot->ll, 3).s,
			fig_fix(lo->cold->lookup_ns, 1).s, fig_fix(lo->hot->lookup_ns, 1).s);
	if (hi != lo)
		rdoc_buf_printf(b, " and %s%% for %s (%s against %s, %s ns against %s ns)",
				fig_fix(100 * shi, 0).s, hi->cold->impl, fig_fix(hi->cs->ll, 3).s,
				fig_fix(hi->cs_hot->ll, 3).s, fig_fix(hi->cold->lookup_ns, 1).s,
				fig_fix(hi->hot->lookup_ns, 1).s);
	rdoc_buf_printf(b, "; under 100%% the rest is the cost of the misses to the levels "
			   "above DRAM, over 100%% misses overlapped.");
}

/* cachesim's misses: which set they are of, which structures miss at all, and the tally. */
static void cold_misses(struct rdoc_buf *b, const struct report_run *run,
			const struct cold_pick *p)
{
	struct rdoc_buf names = { 0 };

	if (!p->n_cs) {
		rdoc_buf_printf(b, "Cache misses per lookup were not counted at %s routes (%s): "
				   "run `make cachesim CACHESIM_SIZE=%llu` to explain these times by "
				   "misses.", fig_count(p->n).s,
				run->have_cachesim ? "cachesim has no row of that size"
						   : run->cachesim_why,
				(unsigned long long)p->n);
		return;
	}
	if (p->n_cs_cold)
		rdoc_buf_printf(b, "cachesim counted the misses of %s lookups a pass of the cold "
				   "set (distinct numbers, each once a pass: bench's cold file) at %s "
				   "routes (a simulated last level of %s MiB)%s. ",
				fig_count(p->cs_lookups).s, fig_count(p->n).s,
				fig_fix((double)p->ll_bytes / 1048576.0, 0).s,
				p->cs_lookups < BENCH_COLD_MIN ? ", fewer numbers than a cold set: "
								 "its misses are closer to the hot "
								 "set's" : "");
	else
		rdoc_buf_printf(b, "cachesim counted the misses of the hot set only (%s lookups a "
				   "pass at %s routes, a simulated last level of %s MiB; no cold row: "
				   "`routebench cachesim --query-set cold`), which misses less than the "
				   "cold set: the bounds below are too low. ", fig_count(p->cs_lookups).s,
				fig_count(p->n).s, fig_fix((double)p->ll_bytes / 1048576.0, 0).s);
	if (names_of(&names, p, LESSON_BOUND_FITS))
		rdoc_buf_printf(b, "Under %s last-level misses per lookup: %s, whose tables "
				   "the last level holds, so their cold time is the cache's, not "
				   "DRAM's. ", fig_fix(COLD_FEW_MISSES, 2).s, names.s);
	rdoc_buf_free(&names);
	cold_tally(b, p);
	if (isfinite(p->dram_ns))
		cold_explain(b, p);
}

void section_cold(const struct report_run *run, struct rdoc *doc)
{
	struct cold_pick p;
	struct rdoc_buf b = { 0 };

	cold_select(run, &p);
	if (!p.nr) {
		section_nothing(run, doc, "This run has no `ok` cold row (bench --query-set cold, "
					  "or make bench-full): hot against cold lookups is not "
					  "measured.");
		return;
	}
	cold_table(doc, &p);
	cold_ratios(&b, &p);
	cold_batched(&b, &p);
	cold_peer(&b, &p);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_buf_free(&b);
	cold_dram(&b, run, &p);
	cold_misses(&b, run, &p);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_buf_free(&b);
	if (p.n_cs)
		bound_table(doc, &p);
	rdoc_note(doc, "Rule: each structure's one-carrier rows at the largest size with cold "
		       "rows, the run's allocator; ns are the medians over reps. A DRAM miss's "
		       "worth is cold ns / machine.dram_ns; the bound is cachesim's last-level "
		       "misses per lookup of the cold set (else the hot set's) × machine.dram_ns, "
		       "every miss paid in full, none overlapped (batching overlaps them, so "
		       "batched can beat it). Why, the first that applies: misses of the hot set only "
		       "are not judged; under 0.05 misses the table fits the LL; cold / bound in "
		       "[1, 1.5] is within; under 1, misses overlapped (bound / cold in flight); "
		       "over 1.5: its own work when the hot lookup alone is at least the bound; its work "
		       "added when cold is at most 1.5 × (bound + hot); else not explained. A "
		       "(sampled) row timed only the first numbers of the set, not each once.");
}
