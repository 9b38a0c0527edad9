/*
 * section_update.c - the lesson of scenario 5 from the scenario run's update.csv and
 * update_windows.csv: what an update of carrier 1 costs each way (rebuild beside and swap, or
 * in place under RCU): its time to visible against the build, its peak RSS above idle against
 * one carrier's table, the tail under updates against a quiet window, and every answer right
 * or not; each target met or not, with its figures. Lesson: a rebuild pays a second table for
 * as long as it builds; an in-place update pays the changed paths.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "lesson.h"
#include "lesson_api.h"
#include "sections.h"

#define UPD_MAX_WAYS 32

struct upd_way {
	const char *impl, *way;
	size_t n, nfailed;
	uint64_t lines, requests, errors, mismatches;
	double vis_med, vis_max, above_max; /* ms, ms, bytes (NaN: none) */
	const struct report_update_row *failed;      /* the first failed update */
	const struct report_window_row *quiet, *busy; /* busy: the window with updates */
	const struct report_serve_start *start;
};

struct upd_pick {
	uint64_t routes, carriers;
	struct upd_way w[UPD_MAX_WAYS];
	size_t n, nupdates, nfailed;
	uint64_t requests, errors, mismatches;
};

static int is_inplace(const struct upd_way *w)
{
	return strcmp(w->way, "inplace") == 0;
}

static struct upd_way *way_of(struct upd_pick *p, const char *impl, const char *way)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->w[i].impl, impl) && !strcmp(p->w[i].way, way))
			return &p->w[i];
	if (p->n == UPD_MAX_WAYS)
		return NULL;
	p->w[p->n] = (struct upd_way){ .impl = impl, .way = way, .vis_med = NAN,
				       .vis_max = NAN, .above_max = NAN };
	return &p->w[p->n++];
}

/* The update rows of w: their count, failures, time to visible and memory above idle. */
static void fold_updates(const struct report_api_run *r, struct upd_pick *p, struct upd_way *w)
{
	double *vis = calloc(r->n_upd ? r->n_upd : 1, sizeof(*vis));
	size_t k = 0;

	for (size_t i = 0; i < r->n_upd; i++) {
		const struct report_update_row *u = &r->upd[i];
		int failed = strcmp(u->status, "ok") != 0;

		if (strcmp(u->impl, w->impl) || strcmp(u->way, w->way) || u->routes != p->routes ||
		    u->carriers != p->carriers)
			continue;
		w->n++;
		w->nfailed += (size_t)failed;
		w->lines = u->lines;
		if (failed && !w->failed)
			w->failed = u;
		if (failed)
			continue;
		if (vis)
			vis[k++] = u->visible_ms;
		if (!(u->visible_ms <= w->vis_max))
			w->vis_max = u->visible_ms;
		if (u->peak_rss && u->idle_rss) {
			double above = (double)u->peak_rss - (double)u->idle_rss;

			if (!(above <= w->above_max))
				w->above_max = above;
		}
	}
	w->vis_med = vis ? lesson_median(vis, k) : NAN;
	free(vis);
}

static void fold_windows(const struct report_api_run *r, struct upd_pick *p, struct upd_way *w)
{
	for (size_t i = 0; i < r->n_win; i++) {
		const struct report_window_row *x = &r->win[i];

		if (strcmp(x->impl, w->impl) || strcmp(x->way, w->way) || x->routes != p->routes ||
		    x->carriers != p->carriers)
			continue;
		w->requests += x->requests;
		w->errors += x->errors;
		w->mismatches += x->mismatches;
		if (!x->measured)
			continue;
		if (!strcmp(x->window, "quiet"))
			w->quiet = x;
		else
			w->busy = x;
	}
	for (size_t i = 0; i < r->n_start; i++)
		if (!strcmp(r->start[i].impl, w->impl) && !strcmp(r->start[i].way, w->way))
			w->start = &r->start[i];
}

static void upd_select(const struct report_api_run *r, struct upd_pick *p)
{
	p->routes = r->n_upd ? r->upd[r->n_upd - 1].routes : r->win[r->n_win - 1].routes;
	p->carriers = r->n_upd ? r->upd[r->n_upd - 1].carriers : r->win[r->n_win - 1].carriers;
	for (size_t i = 0; i < r->n_win + r->n_upd; i++) {
		const char *impl = i < r->n_win ? r->win[i].impl : r->upd[i - r->n_win].impl;
		const char *way = i < r->n_win ? r->win[i].way : r->upd[i - r->n_win].way;
		uint64_t n = i < r->n_win ? r->win[i].routes : r->upd[i - r->n_win].routes;

		if (n == p->routes)
			way_of(p, impl, way);
	}
	for (size_t i = 0; i < p->n; i++) {
		struct upd_way *w = &p->w[i];

		fold_updates(r, p, w);
		fold_windows(r, p, w);
		p->nupdates += w->n;
		p->nfailed += w->nfailed;
		p->requests += w->requests;
		p->errors += w->errors;
		p->mismatches += w->mismatches;
	}
}

static double table_bytes(const struct upd_way *w)
{
	return w->start ? w->start->table_bytes : NAN;
}

static double build_ms(const struct upd_way *w)
{
	return w->start ? w->start->build_ms : NAN;
}

/* Carrier 1's routes: the server's count (duplicates merged) when it logged one. */
static double routes_of(const struct upd_way *w, const struct upd_pick *p)
{
	return w->start && w->start->routes > 0 ? w->start->routes : (double)p->routes;
}

static struct fig ms(double v)
{
	return fig_time(v * 1e-3);
}

static struct fig us(double v)
{
	return fig_time(v * 1e-6);
}

static void upd_table(struct rdoc *doc, const struct upd_pick *p)
{
	rdoc_table(doc, "implementation|way|>updates (failed)|>lines each|>visible: median|>max|"
			">its build at start|>peak RSS above idle|>one carrier's table|"
			">p99.9 quiet|>p99.9 with updates|>errors|>mismatches");
	for (size_t i = 0; i < p->n; i++) {
		const struct upd_way *w = &p->w[i];

		rdoc_cell(doc, "%s", w->impl);
		rdoc_cell(doc, "%s", w->way);
		rdoc_cell(doc, "%s (%s%zu%s)", fig_count(w->n).s, w->nfailed ? "**" : "",
			  w->nfailed, w->nfailed ? "**" : "");
		rdoc_cell(doc, "%s", w->n ? fig_count(w->lines).s : "-");
		rdoc_cell(doc, "%s", ms(w->vis_med).s);
		rdoc_cell(doc, "%s", ms(w->vis_max).s);
		rdoc_cell(doc, "%s", ms(build_ms(w)).s);
		rdoc_cell(doc, "%s", section_mb(w->above_max).s);
		rdoc_cell(doc, "%s", section_mb(table_bytes(w)).s);
		rdoc_cell(doc, "%s", w->quiet ? us(w->quiet->p999).s : "-");
		rdoc_cell(doc, "%s", w->busy ? us(w->busy->p999).s : "-");
		rdoc_cell(doc, "%s%s%s", w->errors ? "**" : "", fig_count(w->errors).s,
			  w->errors ? "**" : "");
		rdoc_cell(doc, "%s%s%s", w->mismatches ? "**" : "", fig_count(w->mismatches).s,
			  w->mismatches ? "**" : "");
	}
}

static void upd_answers(struct rdoc_buf *b, const struct upd_pick *p)
{
	size_t shown = 0;

	if (!p->errors && !p->mismatches && !p->nfailed) {
		rdoc_buf_printf(b, "**Every answer was right through %zu updates**: 0 failed "
				   "updates, 0 errors and 0 mismatches over %s requests, each answer "
				   "checked against the route set of the version that answered it "
				   "(target: 0 failed and 0 wrong answers: %s).", p->nupdates,
				fig_count(p->requests).s, section_target_word(LESSON_MET));
		return;
	}
	rdoc_buf_printf(b, "**Not every answer was right: %zu failed update%s, %s wrong answers "
			   "and %s errors** over %zu updates and %s requests (target: 0 failed and "
			   "0 wrong: %s):", p->nfailed, p->nfailed == 1 ? "" : "s",
			fig_count(p->mismatches).s,
			fig_count(p->errors).s, p->nupdates, fig_count(p->requests).s,
			section_target_word(LESSON_NOT_MET));
	for (size_t i = 0; i < p->n; i++) {
		const struct upd_way *w = &p->w[i];

		if (!w->nfailed && !w->errors && !w->mismatches)
			continue;
		rdoc_buf_printf(b, "%s **%s %s**: %zu failed update%s, %s wrong, %s errors",
				shown++ ? ";" : "", w->impl, w->way, w->nfailed,
				w->nfailed == 1 ? "" : "s",
				fig_count(w->mismatches).s, fig_count(w->errors).s);
		if (w->failed && w->failed->detail[0])
			rdoc_buf_printf(b, " (the first failed: %s)", w->failed->detail);
	}
	rdoc_buf_printf(b, ". A wrong answer during an update means a reader saw part of a delta, "
			   "or an old table after the new version was announced.");
}

/* Time to visible, one sentence per way, against the target. */
static void upd_visible(struct rdoc_buf *b, const struct upd_pick *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct upd_way *w = &p->w[i];
		int inplace = is_inplace(w);
		enum lesson_target t = lesson_visible_target(inplace, w->vis_max, build_ms(w));

		if (!w->n || w->n == w->nfailed)
			continue;
		rdoc_buf_printf(b, " %s (%s): a delta of %s lines (%s%% of carrier 1's %s routes) "
				   "is visible in %s median, at most %s over %zu updates",
				inplace ? "In place" : "By rebuild", w->impl, fig_count(w->lines).s,
				fig_fix(100.0 * (double)w->lines / routes_of(w, p), 1).s,
				fig_count((uint64_t)routes_of(w, p)).s, ms(w->vis_med).s,
				ms(w->vis_max).s, w->n - w->nfailed);
		if (isfinite(build_ms(w)))
			rdoc_buf_printf(b, ", against the %s its build of that carrier took at start: "
					   "%s×", ms(build_ms(w)).s,
					fig_ratio(w->vis_max / build_ms(w)).s);
		rdoc_buf_printf(b, " (target %s: %s).", inplace ? "under 200 ms" :
							   "under 1.5× the build",
				section_target_word(t));
	}
	for (size_t i = 0; i < p->n; i++)
		for (size_t j = 0; j < p->n; j++) {
			const struct upd_way *a = &p->w[i], *c = &p->w[j];

			if (!strcmp(a->impl, c->impl) && is_inplace(a) && !is_inplace(c) &&
			    a->vis_med > 0 && c->vis_med > 0)
				rdoc_buf_printf(b, " For %s, in place is %s× sooner visible than a "
						   "rebuild (medians).", a->impl,
						fig_ratio(c->vis_med / a->vis_med).s);
		}
}

/* A window whose server fell behind its offered rate: its tail is the queue's. */
static void upd_kept_up(struct rdoc_buf *b, const struct upd_pick *p)
{
	for (size_t i = 0; i < p->n; i++)
		for (int k = 0; k < 2; k++) {
			const struct report_window_row *x = k ? p->w[i].busy : p->w[i].quiet;

			if (x && lesson_fell_behind(x->offered, x->achieved))
				rdoc_buf_printf(b, " **In the %s window of %s %s the server fell "
						   "behind**: %s of %s/s offered were answered (%s "
						   "requests never sent): that tail is the queue's, so the "
						   "tail target is not judged.", x->window, p->w[i].impl,
						p->w[i].way, fig_fix(x->achieved, 1).s,
						fig_fix(x->offered, 1).s, fig_count(x->unsent).s);
		}
}

/* Memory above idle against one table, and the tail against the quiet window, per way. */
static void upd_cost(struct rdoc_buf *b, const struct upd_pick *p)
{
	size_t shown = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct upd_way *w = &p->w[i];

		if (!isfinite(w->above_max))
			continue;
		rdoc_buf_printf(b, "%s%s %s %s", shown++ ? "; " : " Peak RSS during an update above "
								 "the idle RSS before it: ",
				w->impl, w->way, section_mb(w->above_max).s);
		if (isfinite(table_bytes(w)))
			rdoc_buf_printf(b, ", %s× one carrier's table (%s)",
					fig_ratio(w->above_max / table_bytes(w)).s,
					section_mb(table_bytes(w)).s);
		rdoc_buf_printf(b, " (target at most 1.2×: %s)",
				section_target_word(lesson_rss_target(w->above_max, table_bytes(w))));
	}
	if (shown)
		rdoc_buf_printf(b, ".");
	shown = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct upd_way *w = &p->w[i];

		enum lesson_target t;

		if (!w->quiet || !w->busy)
			continue;
		t = lesson_tail_target(w->busy->p999, w->quiet->p999);
		if (lesson_fell_behind(w->quiet->offered, w->quiet->achieved) ||
		    lesson_fell_behind(w->busy->offered, w->busy->achieved))
			t = LESSON_UNJUDGED; /* the queue's tail, not the update's: said below */
		rdoc_buf_printf(b, "%s%s %s %s against %s (%s×; target at most 3×: %s)",
				shown++ ? "; " : " p99.9 with updates against a quiet window at the "
						 "same offered rate (half the maximum): ",
				w->impl, w->way, us(w->busy->p999).s, us(w->quiet->p999).s,
				fig_ratio(w->busy->p999 / w->quiet->p999).s, section_target_word(t));
	}
	if (shown)
		rdoc_buf_printf(b, ".");
	upd_kept_up(b, p);
}

void section_update(const struct report_run *run, struct rdoc *doc)
{
	const struct report_api_run *r = &run->api;
	struct upd_pick *p;
	struct rdoc_buf b = { 0 };

	if (!r->have_update || (!r->n_upd && !r->n_win)) {
		rdoc_para(doc, "This report has no update run (%s): `make bench-api` also posts "
			       "deltas to `routebench serve` under load, each update way, into "
			       "`results/latest-api`.", r->have_update ? "update.csv has no row" :
			  r->have_api ? "no update.csv" : r->why[0] ? r->why : "no update.csv");
		return;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return;
	upd_select(r, p);
	section_chart(run, doc, r->dir, "update_rss", "the server's RSS through the updates, each "
						      "update way");
	upd_table(doc, p);
	upd_answers(&b, p);
	upd_visible(&b, p);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "update");
	rdoc_buf_free(&b);
	upd_cost(&b, p);
	section_target_size(&b, p->routes, p->carriers);
	if (r->bad_upd || r->bad_win)
		rdoc_buf_printf(&b, " **%zu rows of update.csv and %zu of update_windows.csv could "
				    "not be read** and are left out.", r->bad_upd, r->bad_win);
	rdoc_para(doc, "%s", b.s ? b.s + (b.s[0] == ' ') : "");
	rdoc_buf_free(&b);
	rdoc_note(doc, "Rule: from `%s/update.csv` and `update_windows.csv`. Time to visible is "
		       "the server's own figure for each delta (from the POST to the new version "
		       "published); the target takes the largest. The build time and table bytes of "
		       "carrier 1 are the server's start-up line in `raw/serve-update-IMPL-WAY.log`. "
		       "Peak RSS above idle is VmHWM (reset before the delta) minus VmRSS just "
		       "before it. Errors and mismatches are summed over both windows.", r->dir);
	free(p);
}
