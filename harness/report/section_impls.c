/*
 * section_impls.c - "The implementations": each registered implementation's claimed big-O
 * beside the one Google Benchmark fitted (micro-fit.csv), a verdict per implementation by
 * lesson_verdict, and how many agree. Without a micro run, the claims alone, and why.
 * Lesson: a complexity claim is a prediction; the fit is the measurement that checks it.
 */
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "registry.h"
#include "sections.h"

static const char *const lookup_modes[] = { "hit", "miss", "mixed" };

/* The verdicts of the registry, tallied for the prose. */
struct impls_tally {
	const char *cached[REPORT_MAX_IMPLS]; /* lookups claimed constant, fitted lgN */
	size_t nf, nc, nfit;                  /* flagged, cached, fitted at all */
	struct rdoc_buf flags;                /* "name (what); ..." of the flagged */
};

/* The fit of impl's family (bench, mode), or NULL. */
static const struct report_fit *fit_of(const struct report_run *run, const char *impl,
				       const char *bench, const char *mode)
{
	for (size_t i = 0; i < run->n_fits; i++)
		if (strcmp(run->fits[i].impl, impl) == 0 &&
		    strcmp(run->fits[i].bench, bench) == 0 && strcmp(run->fits[i].mode, mode) == 0)
			return &run->fits[i];
	return NULL;
}

/*
 * The verdict on one family of impl: lookup (mode hit, miss or mixed) or build (mode ""), and
 * "lookup/miss fitted N, claimed O(L)" into what when it is flagged. LESSON_UNKNOWN without a fit.
 */
static enum lesson_verdict family_verdict(const struct report_run *run,
					  const struct route_table_ops *ops, const char *bench,
					  const char *mode, char *fit, size_t fcap, char *what,
					  size_t wcap)
{
	const struct report_fit *g = fit_of(run, ops->name, bench, mode);
	struct lesson_order claimed, got;
	enum lesson_verdict v;
	char clause[96];

	snprintf(fit, fcap, "%s", g ? g->big_o : "no fit");
	what[0] = '\0';
	if (!g)
		return LESSON_UNKNOWN;
	if (lesson_claimed_order(ops->complexity, bench, &claimed) != 0)
		claimed.deg = -1;
	if (lesson_fitted_order(g->big_o, &got) != 0)
		got.deg = -1;
	v = lesson_verdict(&claimed, &got);
	if (lesson_claim_clause(ops->complexity, bench, clause, sizeof(clause)) != 0)
		snprintf(clause, sizeof(clause), "nothing");
	if (v == LESSON_FLAG)
		snprintf(what, wcap, "%s%s%s fitted %s, claimed %s", bench, *mode ? "/" : "", mode,
			 g->big_o, clause);
	return v;
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

/* One row of the table: ops's claim, its fits, its verdict; tallied into t. */
static void impl_row(const struct report_run *run, struct rdoc *doc,
		     const struct route_table_ops *ops, struct impls_tally *t)
{
	struct rdoc_buf fits = { 0 }, verdict = { 0 };
	enum lesson_verdict worst = LESSON_AGREES;
	char build_fit[32] = "";
	int any = 0;

	for (size_t m = 0; m < 4; m++) {
		char fit[32], what[160];
		enum lesson_verdict v = family_verdict(run, ops, m < 3 ? "lookup" : "build",
						       m < 3 ? lookup_modes[m] : "", fit,
						       sizeof(fit), what, sizeof(what));

		if (m < 3)
			rdoc_buf_printf(&fits, "%s%s", m ? ", " : "", fit);
		else
			snprintf(build_fit, sizeof(build_fit), "%s", fit);
		any |= v != LESSON_UNKNOWN;
		if (v == LESSON_FLAG) {
			rdoc_buf_printf(&verdict, "%s%s", verdict.len ? "; " : "", what);
			worst = LESSON_FLAG;
		} else if (v == LESSON_CACHE && worst == LESSON_AGREES) {
			worst = LESSON_CACHE;
		}
	}
	rdoc_cell(doc, "%s", ops->name);
	rdoc_cell(doc, "%s", ops->complexity);
	rdoc_cell(doc, "%s", fits.s ? fits.s : "no fit");
	rdoc_cell(doc, "%s", build_fit);
	if (!any)
		rdoc_cell(doc, "not in the micro run");
	else if (worst == LESSON_FLAG)
		rdoc_cell(doc, "**flag**: %s", verdict.s);
	else if (worst == LESSON_CACHE)
		rdoc_cell(doc, "agrees (≈: lookup grows like lg n)");
	else
		rdoc_cell(doc, "agrees");
	t->nfit += (size_t)any;
	if (any && worst == LESSON_FLAG) {
		t->nf++;
		rdoc_buf_printf(&t->flags, "%s%s (%s)", t->flags.len ? "; " : "", ops->name,
				verdict.s);
	} else if (any && worst == LESSON_CACHE) {
		t->cached[t->nc++] = ops->name;
	}
	rdoc_buf_free(&fits);
	rdoc_buf_free(&verdict);
}

static void impls_prose(const struct report_run *run, struct rdoc *doc,
			const struct impls_tally *t)
{
	struct rdoc_buf b = { 0 };

	rdoc_buf_printf(&b, "The fits come from `%s/micro-fit.csv`. ", run->micro_dir);
	if (!t->nfit) {
		rdoc_buf_printf(&b, "It fits none of this build's implementations.");
	} else {
		rdoc_buf_printf(&b, "Of the %zu implementations it fits, **%zu agree with their "
				    "claims** in every family (hit, miss and mixed lookups, build)",
				t->nfit, t->nfit - t->nf);
		if (t->nc) {
			rdoc_buf_printf(&b, ", %zu of them with lookups claimed constant in n that "
					    "grow like lg n (marked ≈: ",
					t->nc);
			section_join_names(&b, t->cached, t->nc);
			rdoc_buf_printf(&b, ")");
		}
		if (t->nf)
			rdoc_buf_printf(&b, ". **%zu %s flagged**, the power of n fitted differing "
					    "from the one claimed: %s.",
					t->nf, t->nf == 1 ? "is" : "are", t->flags.s);
		else
			rdoc_buf_printf(&b, ". None is flagged.");
	}
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_buf_free(&b);
}

static void impls_notes(struct rdoc *doc, const struct impls_tally *t)
{
	rdoc_note(doc, "Rule: a claim and a fit are each reduced to a power of n, log factors "
		       "aside: O(L), O(1), a fixed count of loads and lgN are n^0; O(n), "
		       "O(n L), O(n log n), N and NlgN are n^1. A family whose fitted power "
		       "differs from the claimed one is flagged: a lookup claimed O(L) that "
		       "fits N, or one claimed O(n) that fits lgN. A claim constant in n that "
		       "fits lgN is marked ≈, not flagged: three or four sizes cannot tell N "
		       "from NlgN, nor a constant from lgN, reliably.");
	if (t->nc)
		rdoc_note(doc, "Why an O(L) lookup grows with n: O(L) counts the steps, one "
			       "per digit, not what each step costs. Each step of a pointer "
			       "trie is a dependent load from a node somewhere in the heap; a "
			       "small table's nodes all sit in the CPU caches, a large one's "
			       "do "
			       "not, so each step waits longer for memory as n grows, and the "
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
	rdoc_table(doc, "impl|claimed (n routes, L digits)|fitted lookup: hit, miss, mixed|"
			"fitted build|verdict");
	for (size_t i = 0; i < rt_registry_count; i++)
		impl_row(run, doc, rt_registry[i], &t);
	impls_prose(run, doc, &t);
	impls_notes(doc, &t);
	section_chart(run, doc, run->micro_dir, "micro", "Google Benchmark: time per lookup and "
							 "per build against routes, with each "
							 "fitted big-O (dashed)");
	rdoc_buf_free(&t.flags);
}
