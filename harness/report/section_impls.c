/*
 * section_impls.c - "The implementations": each registered implementation's claimed big-O
 * beside the classes Google Benchmark fitted in two runs (micro-fit.csv, run-2/micro-fit.csv),
 * with each fit's RMS error and the sizes it had (micro.csv). A family is judged only when
 * lesson_fit_state says both runs fit it well and alike; lesson_verdict then compares it with
 * the claim. Without a micro run, the claims alone, and why. Lesson: a complexity claim is a
 * prediction, and a fit checks it only when the fit is good and repeats.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "registry.h"
#include "sections.h"

#define N_FAMS 4

static const char *const fam_bench[N_FAMS] = { "lookup", "lookup", "lookup", "build" };
static const char *const fam_mode[N_FAMS] = { "hit", "miss", "mixed", "" };

/* The verdicts of the registry, tallied for the prose. */
struct impls_tally {
	const char *cached[REPORT_MAX_IMPLS]; /* lookups claimed constant, fitted lgN */
	const char *all[REPORT_MAX_IMPLS];    /* agree in every family */
	const char *part[REPORT_MAX_IMPLS];   /* agree where judged, some not judged */
	const char *none[REPORT_MAX_IMPLS];   /* no family judged */
	size_t nf, nc, nfit, nall, npart, nnone; /* flagged, cached, fitted, the lists' sizes */
	size_t fams, judged, why[LESSON_FIT_REPEATS + 1]; /* families, judged, by state */
	struct rdoc_buf flags;                /* "name (what); ..." of the flagged */
	struct rdoc_buf skips;                /* "trie at 1M (memory budget); ..." */
};

/* The fit of impl's family (bench, mode) among fits[0..n), or NULL. */
static const struct report_fit *fit_in(const struct report_fit *fits, size_t n,
				       const char *impl, const char *bench, const char *mode)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fits[i].impl, impl) == 0 && strcmp(fits[i].bench, bench) == 0 &&
		    strcmp(fits[i].mode, mode) == 0)
			return &fits[i];
	return NULL;
}

static struct lesson_fit as_fit(const struct report_fit *g)
{
	struct lesson_fit f = { NULL, NAN, 0 };

	if (g) {
		f.big_o = g->big_o;
		f.rms = g->rms;
		f.n_sizes = g->n_sizes;
	}
	return f;
}

/* 1000 -> "1K", 300000 -> "300K", 1000000 -> "1M", else the count. */
static void short_count(uint64_t n, char *buf, size_t cap)
{
	if (n >= 1000000 && n % 1000000 == 0)
		snprintf(buf, cap, "%" PRIu64 "M", n / 1000000);
	else if (n >= 1000 && n % 1000 == 0)
		snprintf(buf, cap, "%" PRIu64 "K", n / 1000);
	else
		snprintf(buf, cap, "%" PRIu64, n);
}

/* One fit as a cell: "NlgN 3%", the second run's after a dot. */
static void fit_cell(struct rdoc_buf *b, const struct report_fit *g, const struct report_fit *h)
{
	if (!g) {
		rdoc_buf_printf(b, "no fit");
		return;
	}
	rdoc_buf_printf(b, "%s", g->big_o);
	if (isfinite(g->rms))
		rdoc_buf_printf(b, " %.0f%%", 100 * g->rms);
	if (h) {
		rdoc_buf_printf(b, " · %s", h->big_o);
		if (isfinite(h->rms))
			rdoc_buf_printf(b, " %.0f%%", 100 * h->rms);
	}
}

/* Why a family is not judged, in a few words, into b. */
static void why_not(struct rdoc_buf *b, enum lesson_fit_state st, const struct report_fit *g,
		    const struct report_fit *h)
{
	unsigned sizes = g ? g->n_sizes : 0;
	double rms = g ? g->rms : NAN;

	if (h && h->n_sizes < sizes)
		sizes = h->n_sizes;
	if (h && (!(h->rms <= rms)))
		rms = h->rms;
	switch (st) {
	case LESSON_FIT_NONE: rdoc_buf_printf(b, "no fit"); break;
	case LESSON_FIT_FEW:
		if (sizes)
			rdoc_buf_printf(b, "%u sizes", sizes);
		else
			rdoc_buf_printf(b, "sizes not recorded");
		break;
	case LESSON_FIT_POOR:
		if (isfinite(rms))
			rdoc_buf_printf(b, "rms %.0f%%", 100 * rms);
		else
			rdoc_buf_printf(b, "rms not recorded");
		break;
	case LESSON_FIT_ONCE: rdoc_buf_printf(b, "one run"); break;
	default: rdoc_buf_printf(b, "runs: %s, %s", g->big_o, h ? h->big_o : "-"); break;
	}
}

/* Do fits a and b have the same sizes? (A missing one agrees with anything.) */
static int same_sizes(const struct report_fit *a, const struct report_fit *b)
{
	return !a || !b || (a->n_sizes == b->n_sizes && a->lo == b->lo && a->hi == b->hi);
}

static void sizes_of(struct rdoc_buf *b, const char *what, const struct report_fit *g)
{
	char lo[24], hi[24];

	short_count(g->lo, lo, sizeof(lo));
	short_count(g->hi, hi, sizeof(hi));
	if (!g->n_sizes)
		rdoc_buf_printf(b, "%s%s%snot recorded", b->len ? "; " : "", what, *what ? " " : "");
	else
		rdoc_buf_printf(b, "%s%s%s%u: %s-%s", b->len ? "; " : "", what, *what ? " " : "",
				g->n_sizes, lo, hi);
}

/*
 * The sizes impl's fits had in the first run: "7: 1K-1M" when every family had the same, else
 * "lookups 7: 1K-1M; build 5: 1K-100K", or each lookup family on its own.
 */
static void sizes_cell(struct rdoc_buf *b, const struct report_fit *const *g)
{
	const struct report_fit *any = NULL;
	int lookups_same = same_sizes(g[0], g[1]) && same_sizes(g[1], g[2]) &&
			   same_sizes(g[0], g[2]);

	for (int m = 0; m < N_FAMS && !any; m++)
		any = g[m];
	if (!any) {
		rdoc_buf_printf(b, "-");
		return;
	}
	if (lookups_same && same_sizes(any, g[3]) && same_sizes(any, g[0]) &&
	    same_sizes(any, g[1]) && same_sizes(any, g[2])) {
		sizes_of(b, "", any);
		return;
	}
	for (int m = 0; m < 3; m++)
		if (g[m] && (!lookups_same || b->len == 0))
			sizes_of(b, lookups_same ? "lookups" : fam_mode[m], g[m]);
	if (g[3])
		sizes_of(b, "build", g[3]);
}

/* Is size n skipped for why in family g? */
static int skipped_in(const struct report_fit *g, uint64_t n, const char *why)
{
	for (unsigned k = 0; g && k < g->n_skipped; k++)
		if (g->skipped_n[k] == n && strcmp(g->skipped_why[k], why) == 0)
			return 1;
	return 0;
}

/* One group of skipped sizes of an implementation: its family (or every one) and why. */
struct skip_group {
	int fam; /* -1: every family */
	const char *why;
	uint64_t n[8];
	size_t nn;
};

/*
 * impl's skipped sizes into t->skips, grouped: "trie at 1M routes (memory budget)" when every
 * family skipped it, "louds build at 300K and 1M routes (time budget)" when one did.
 */
static void note_skips(struct impls_tally *t, const char *impl, const struct report_fit *const *g)
{
	struct skip_group grp[16];
	size_t ng = 0;

	for (int m = 0; m < N_FAMS; m++)
		for (unsigned k = 0; g[m] && k < g[m]->n_skipped; k++) {
			uint64_t n = g[m]->skipped_n[k];
			const char *why = g[m]->skipped_why[k];
			int all = 1, j;
			size_t i;

			for (j = 0; j < N_FAMS; j++)
				all &= !g[j] || skipped_in(g[j], n, why);
			for (i = 0; i < ng; i++)
				if (grp[i].fam == (all ? -1 : m) && strcmp(grp[i].why, why) == 0)
					break;
			if (i == ng && ng < 16)
				grp[ng++] = (struct skip_group){ all ? -1 : m, why, { 0 }, 0 };
			if (i < ng && grp[i].nn < 8 && !(grp[i].nn && grp[i].n[grp[i].nn - 1] == n))
				grp[i].n[grp[i].nn++] = n;
		}
	for (size_t i = 0; i < ng; i++) {
		rdoc_buf_printf(&t->skips, "%s%s%s%s at ", t->skips.len ? "; " : "", impl,
				grp[i].fam < 0 ? "" : " ",
				grp[i].fam < 0 ? "" : *fam_mode[grp[i].fam] ? fam_mode[grp[i].fam]
									    : "build");
		for (size_t k = 0; k < grp[i].nn; k++) {
			char c[24];

			short_count(grp[i].n[k], c, sizeof(c));
			rdoc_buf_printf(&t->skips, "%s%s", k == 0 ? "" : k + 1 == grp[i].nn ? " and "
										    : ", ", c);
		}
		rdoc_buf_printf(&t->skips, " routes (%s)", grp[i].why);
	}
}

/* The claims alone, when there is no micro run. */
static void claims_only(const struct report_run *run, struct rdoc *doc)
{
	rdoc_para(doc, "**No Google Benchmark run was found** in `%s` (%s), so the fitted "
		       "complexities are not shown: `make micro` writes one "
		       "(results/latest-micro), or pass `--micro DIR`. The claims, as each "
		       "implementation states them:",
		  run->micro_dir, run->micro_why);
	rdoc_table(doc, "impl|what it is|claimed (n routes, L digits)");
	for (size_t i = 0; i < rt_registry_count; i++) {
		rdoc_cell(doc, "%s", rt_registry[i]->name);
		rdoc_cell(doc, "%s", rt_registry[i]->summary);
		rdoc_cell(doc, "%s", rt_registry[i]->complexity);
	}
}

/* Judge family m of ops: "what" of a flag into flags, or why it is not judged. The verdict. */
static enum lesson_verdict judge(const struct route_table_ops *ops, int m,
				 const struct report_fit *g, const struct report_fit *h,
				 struct impls_tally *t, struct rdoc_buf *flags, struct rdoc_buf *why)
{
	struct lesson_fit a = as_fit(g), b = as_fit(h);
	enum lesson_fit_state st = lesson_fit_state(&a, h ? &b : NULL);
	struct lesson_order claimed, got;
	enum lesson_verdict v;
	char clause[96];

	t->fams += g != NULL;
	if (g)
		t->why[st]++;
	if (st != LESSON_FIT_REPEATS) {
		if (g)
			why_not(why, st, g, h);
		return LESSON_UNKNOWN;
	}
	t->judged++;
	if (lesson_claimed_order(ops->complexity, fam_bench[m], &claimed) != 0)
		claimed.deg = -1;
	if (lesson_fitted_order(g->big_o, &got) != 0)
		got.deg = -1;
	v = lesson_verdict(&claimed, &got);
	if (lesson_claim_clause(ops->complexity, fam_bench[m], clause, sizeof(clause)) != 0)
		snprintf(clause, sizeof(clause), "nothing");
	if (v == LESSON_FLAG)
		rdoc_buf_printf(flags, "%s%s%s%s fitted %s in both runs, claimed %s",
				flags->len ? "; " : "", fam_bench[m], *fam_mode[m] ? "/" : "",
				fam_mode[m], g->big_o, clause);
	return v;
}

/*
 * The families not judged, with why[m] ("" for a judged one or one without a fit), into b:
 * "build (rms 34%), lookup/hit (5 sizes)", or "4 sizes in every family" when all say the same.
 */
static void not_judged(struct rdoc_buf *b, struct rdoc_buf *why, const struct report_fit *const *g)
{
	const char *first = NULL;
	int n = 0, fitted = 0, same = 1;

	for (int m = 0; m < N_FAMS; m++) {
		fitted += g[m] != NULL;
		if (!why[m].len)
			continue;
		first = first ? first : why[m].s;
		same &= strcmp(why[m].s, first) == 0;
		n++;
	}
	if (n > 1 && n == fitted && same) {
		rdoc_buf_printf(b, "%s in every family", first);
		return;
	}
	for (int m = 0; m < N_FAMS; m++)
		if (why[m].len)
			rdoc_buf_printf(b, "%s%s%s%s (%s)", b->len ? ", " : "", fam_bench[m],
					*fam_mode[m] ? "/" : "", fam_mode[m], why[m].s);
}

/* One row of the table: ops's claim, its fits, its sizes, its verdict; tallied into t. */
static void impl_row(const struct report_run *run, struct rdoc *doc,
		     const struct route_table_ops *ops, struct impls_tally *t)
{
	struct rdoc_buf flags = { 0 }, nj = { 0 }, cell = { 0 }, why[N_FAMS] = { { 0 } };
	const struct report_fit *g[N_FAMS], *h[N_FAMS];
	int any = 0, judged = 0, cache = 0;

	rdoc_cell(doc, "%s", ops->name);
	rdoc_cell(doc, "%s", ops->complexity);
	for (int m = 0; m < N_FAMS; m++) {
		enum lesson_verdict v;

		g[m] = fit_in(run->fits, run->n_fits, ops->name, fam_bench[m], fam_mode[m]);
		h[m] = run->have_micro2 ? fit_in(run->fits2, run->n_fits2, ops->name,
						 fam_bench[m], fam_mode[m])
					: NULL;
		fit_cell(&cell, g[m], h[m]);
		rdoc_cell(doc, "%s", cell.s ? cell.s : "");
		rdoc_buf_free(&cell);
		v = judge(ops, m, g[m], h[m], t, &flags, &why[m]);
		any |= g[m] != NULL;
		judged += v != LESSON_UNKNOWN;
		cache |= v == LESSON_CACHE;
	}
	not_judged(&nj, why, g);
	for (int m = 0; m < N_FAMS; m++)
		rdoc_buf_free(&why[m]);
	sizes_cell(&cell, g);
	rdoc_cell(doc, "%s", cell.s ? cell.s : "-");
	rdoc_buf_free(&cell);
	note_skips(t, ops->name, g);
	if (!any)
		rdoc_cell(doc, "not in the micro run");
	else if (flags.len)
		rdoc_cell(doc, "**flag**: %s%s%s", flags.s, nj.len ? "; not judged: " : "",
			  nj.len ? nj.s : "");
	else if (!judged)
		rdoc_cell(doc, "not judged: %s", nj.s ? nj.s : "");
	else if (nj.len)
		rdoc_cell(doc, "agrees in the %d judged; not judged: %s", judged, nj.s);
	else
		rdoc_cell(doc, "agrees%s", cache ? " (≈: lookup grows like lg n)" : "");
	t->nfit += (size_t)any;
	if (any && !flags.len && !nj.len)
		t->all[t->nall++] = ops->name;
	else if (any && !flags.len && judged)
		t->part[t->npart++] = ops->name;
	else if (any && !judged)
		t->none[t->nnone++] = ops->name;
	if (flags.len) {
		t->nf++;
		rdoc_buf_printf(&t->flags, "%s%s (%s)", t->flags.len ? "; " : "", ops->name,
				flags.s);
	}
	if (cache && !flags.len)
		t->cached[t->nc++] = ops->name;
	rdoc_buf_free(&flags);
	rdoc_buf_free(&nj);
}

static void impls_prose(const struct report_run *run, struct rdoc *doc,
			const struct impls_tally *t)
{
	struct rdoc_buf b = { 0 };

	rdoc_buf_printf(&b, "The fits come from `%s/micro-fit.csv`%s. ", run->micro_dir,
			run->have_micro2 ? " and its second run, `run-2/micro-fit.csv`" : "");
	if (!run->have_micro2)
		rdoc_buf_printf(&b, "**This micro run has no second run** (`%s/%s`; `make micro` "
				    "makes one), so no fit is confirmed: a class is judged only "
				    "when two runs fit it alike. ", run->micro_dir,
				REPORT_MICRO_RUN2);
	if (!t->nfit) {
		rdoc_buf_printf(&b, "It fits none of this build's implementations.");
		rdoc_para(doc, "%s", b.s ? b.s : "");
		rdoc_buf_free(&b);
		return;
	}
	rdoc_buf_printf(&b, "Of the %zu families fitted (hit, miss and mixed lookups and the "
			    "build of %zu implementations), **%zu could be judged**",
			t->fams, t->nfit, t->judged);
	if (t->judged < t->fams) {
		static const int order[] = { LESSON_FIT_FEW, LESSON_FIT_POOR, LESSON_FIT_DIFFER,
					     LESSON_FIT_ONCE };
		int first = 1;

		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			size_t n = t->why[order[k]];

			if (!n)
				continue;
			rdoc_buf_printf(&b, "%s %zu ", first ? "; not judged:" : ",", n);
			if (order[k] == LESSON_FIT_FEW)
				rdoc_buf_printf(&b, "with fewer than %d sizes", LESSON_FIT_MIN_SIZES);
			else if (order[k] == LESSON_FIT_POOR)
				rdoc_buf_printf(&b, "with an RMS error of %.0f%% or more",
						100 * LESSON_FIT_RMS_MAX);
			else if (order[k] == LESSON_FIT_DIFFER)
				rdoc_buf_printf(&b, "whose two runs fit different powers of n");
			else
				rdoc_buf_printf(&b, "with one run only");
			first = 0;
		}
	}
	rdoc_buf_printf(&b, ". Of the %zu implementations, **%zu agree%s with %s claims in every "
			    "family**", t->nfit, t->nall, t->nall == 1 ? "s" : "",
			t->nall == 1 ? "its" : "their");
	if (t->nall) {
		rdoc_buf_printf(&b, " (");
		section_join_names(&b, t->all, t->nall);
		rdoc_buf_printf(&b, ")");
	}
	if (t->npart) {
		rdoc_buf_printf(&b, ", %zu in the families judged (", t->npart);
		section_join_names(&b, t->part, t->npart);
		rdoc_buf_printf(&b, ")");
	}
	if (t->nc) {
		rdoc_buf_printf(&b, "; of these, %zu %s lookups claimed constant in n that grow "
				    "like lg n (marked ≈: ", t->nc, t->nc == 1 ? "has" : "have");
		section_join_names(&b, t->cached, t->nc);
		rdoc_buf_printf(&b, ")");
	}
	if (t->nf)
		rdoc_buf_printf(&b, "; **%zu %s flagged**, a good fit repeated in both runs whose "
				    "power of n differs from the claim's: %s", t->nf,
				t->nf == 1 ? "is" : "are", t->flags.s);
	else
		rdoc_buf_printf(&b, "; none is flagged");
	if (t->nnone) {
		rdoc_buf_printf(&b, "; %zu could not be judged in any family (", t->nnone);
		section_join_names(&b, t->none, t->nnone);
		rdoc_buf_printf(&b, ")");
	}
	rdoc_buf_printf(&b, ".");
	if (t->skips.len)
		rdoc_buf_printf(&b, " Sizes skipped in the micro run, so not fitted: %s.",
				t->skips.s);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "impls");
	rdoc_buf_free(&b);
}

static void impls_notes(struct rdoc *doc, const struct impls_tally *t)
{
	rdoc_note(doc, "Rule: a family's fit is judged only when each of the two runs fitted at "
		       "least %d sizes with a normalised RMS error below %.0f%% (GB's own RMS "
		       "column) and both fit the same power of n; each cell shows the class and "
		       "error of run 1, then run 2's. A judged claim and fit are each reduced to a "
		       "power of n, log factors aside: O(L), O(1), a fixed count of loads and lgN "
		       "are n^0; O(n), O(n L), O(n log n), N and NlgN are n^1. A family whose "
		       "fitted power differs from the claimed one is flagged: a lookup claimed "
		       "O(L) that fits N, or one claimed O(n) that fits lgN. A claim constant in n "
		       "that fits lgN is marked ≈, not flagged.",
		  LESSON_FIT_MIN_SIZES, 100 * LESSON_FIT_RMS_MAX);
	if (t->nc)
		rdoc_note(doc, "Why an O(L) lookup grows with n: O(L) counts the steps, one "
			       "per digit, not what each step costs. Each step of a pointer "
			       "trie is a dependent load from a node somewhere in the heap; a "
			       "small table's nodes all sit in the CPU caches, a large one's "
			       "do not, so each step waits longer for memory as n grows, and the "
			       "fit sees lg n. Compact layouts (arrays, breadth-first nodes) "
			       "grow less for the same reason.");
}

void section_impls(const struct report_run *run, struct rdoc *doc)
{
	struct impls_tally t = { 0 };

	if (!run->have_micro) {
		claims_only(run, doc);
		return;
	}
	section_chart(run, doc, run->micro_dir, "micro", "Google Benchmark: time per lookup and "
							 "per build against routes, with each "
							 "fitted big-O (dashed)");
	rdoc_table(doc, "impl|claimed (n routes, L digits)|lookup: hit|miss|mixed|build|"
			"sizes fitted|verdict");
	for (size_t i = 0; i < rt_registry_count; i++)
		impl_row(run, doc, rt_registry[i], &t);
	impls_prose(run, doc, &t);
	impls_notes(doc, &t);
	rdoc_buf_free(&t.flags);
	rdoc_buf_free(&t.skips);
}
