/*
 * section_massif.c - inside the allocator lesson, the heap over time under valgrind massif
 * (massif.csv of the massif run beside the run): each implementation's peak heap against its
 * finished table, both as massif counts them (the bytes asked for, its extra in a column of its
 * own), then massif's finished heap plus extra against the harness's heap_bytes, and why each
 * difference over 5% arises (lesson_heap_reasons), with the figures that show it. Lesson: a
 * build's peak can be many times the table it leaves, and two honest tools count a heap
 * differently for reasons that can be computed.
 */
#include <math.h>
#include <stdio.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

/* m's figures above massif's baseline, the peak no lower than the finished heap. */
static struct lesson_heap heap_of(const struct report_massif *m)
{
	struct lesson_heap h = { m->peak - m->base, m->built - m->base, m->extra - m->base_extra,
				 m->heap_bytes, m->struct_bytes };

	if (!m->have_built)
		h.finished = h.extra = NAN;
	return h;
}

/* The peak shown: massif's peak snapshot, or the finished heap when that is higher. */
static double shown_peak(const struct lesson_heap *h)
{
	return isfinite(h->finished) && !(h->peak >= h->finished) ? h->finished : h->peak;
}

/* Why m's figures differ, each reason with its figures, into b ("-" when none). */
static void reasons(struct rdoc_buf *b, const struct lesson_heap *h)
{
	unsigned r = lesson_heap_reasons(h);
	double glibc = h->heap_bytes - h->finished, total = h->finished + h->extra;

	if ((r & LESSON_HEAP_TRANSIENT) && (r & LESSON_HEAP_SLACK) &&
	    lesson_within(h->peak - h->finished, h->extra, LESSON_HEAP_SHARE))
		rdoc_buf_printf(b, "the peak is the array before the shrinking realloc: %s B more "
				    "than at the end", fig_fix(h->peak - h->finished, 0).s);
	else if (r & LESSON_HEAP_TRANSIENT)
		rdoc_buf_printf(b, "the build's transient arrays: %s B freed before it ended",
				fig_fix(h->peak - h->finished, 0).s);
	if (r & LESSON_HEAP_PEAK_LATE)
		rdoc_buf_printf(b, "%smassif's peak snapshot, %s B, is below the finished heap (it "
				    "keeps one only when the heap passes the last by 10%%, "
				    "--peak-inaccuracy): the peak shown is the finished heap",
				b->len ? "; " : "", fig_fix(h->peak, 0).s);
	if (r & LESSON_HEAP_ADMIN)
		rdoc_buf_printf(b, "%sthe per-block admin charge: massif adds %s B (16 per block "
				    "and alignment) where glibc's headers and rounding add %s B, so "
				    "its heap + extra is %+.1f%% against heap_bytes",
				b->len ? "; " : "", fig_fix(h->extra, 0).s, fig_fix(glibc, 0).s,
				100 * (total / h->heap_bytes - 1));
	if (r & LESSON_HEAP_SLACK)
		rdoc_buf_printf(b, "%sthe shrinking realloc: massif's extra, %s B, is %s times "
				    "glibc's own overhead (%s B); a block shrunk to fit keeps its old "
				    "size under valgrind and massif counts the rest as extra, so its "
				    "heap + extra is %+.1f%% against heap_bytes",
				b->len ? "; " : "", fig_fix(h->extra, 0).s,
				glibc > 0 ? fig_ratio(h->extra / glibc).s : "many",
				fig_fix(glibc, 0).s, 100 * (total / h->heap_bytes - 1));
	if (r & LESSON_HEAP_ROUNDING)
		rdoc_buf_printf(b, "%sglibc's rounding (a 32-byte chunk at least) adds %s B, more "
				    "than massif's extra, %s B",
				b->len ? "; " : "", fig_fix(glibc, 0).s, fig_fix(h->extra, 0).s);
	if (r & LESSON_HEAP_ACCOUNTING)
		rdoc_buf_printf(b, "%sstruct_bytes counts %s B %s than the finished heap",
				b->len ? "; " : "", fig_fix(fabs(h->struct_bytes - h->finished), 0).s,
				h->struct_bytes > h->finished ? "more" : "less");
	if (!b->len)
		rdoc_buf_printf(b, "-");
}

static void massif_row(struct rdoc *doc, const struct report_massif *m)
{
	struct lesson_heap h = heap_of(m);
	struct rdoc_buf why = { 0 };
	double peak = shown_peak(&h);

	rdoc_cell(doc, "%s", m->impl);
	rdoc_cell(doc, "%s", fig_count(m->n_routes).s);
	if (!m->ok) {
		rdoc_cell(doc, "failed");
		for (int k = 0; k < 6; k++)
			rdoc_cell(doc, "-");
		return;
	}
	rdoc_cell(doc, "%s", fig_fix(peak, 0).s);
	rdoc_cell(doc, "%s", m->have_built ? fig_fix(h.finished, 0).s : "-");
	rdoc_cell(doc, "%s", m->have_built && h.finished > 0 ? fig_ratio(peak / h.finished).s
							     : "-");
	rdoc_cell(doc, "%s", m->have_built ? fig_fix(h.extra, 0).s : "-");
	rdoc_cell(doc, "%s", fig_fix(m->heap_bytes, 0).s);
	rdoc_cell(doc, "%s", fig_fix(m->struct_bytes, 0).s);
	reasons(&why, &h);
	rdoc_cell(doc, "%s", why.s ? why.s : "-");
	rdoc_buf_free(&why);
}

/* "maptrie and judy" for the rows whose reasons include bit, into b; how many. */
static size_t names_with(const struct report_run *run, unsigned bit, struct rdoc_buf *b)
{
	const char *names[REPORT_MAX_IMPLS];
	size_t n = 0;

	for (size_t i = 0; i < run->n_massif && n < REPORT_MAX_IMPLS; i++) {
		struct lesson_heap h = heap_of(&run->massif[i]);

		if (run->massif[i].ok && run->massif[i].have_built &&
		    (lesson_heap_reasons(&h) & bit))
			names[n++] = run->massif[i].impl;
	}
	section_join_names(b, names, n);
	return n;
}

static void massif_prose(const struct report_run *run, struct rdoc *doc)
{
	const struct report_massif *worst = NULL;
	double worst_r = 0;
	size_t close = 0, compared = 0;
	struct rdoc_buf b = { 0 }, admin = { 0 }, slack = { 0 };

	for (size_t i = 0; i < run->n_massif; i++) {
		const struct report_massif *m = &run->massif[i];
		struct lesson_heap h = heap_of(m);

		if (!m->ok || !m->have_built || !(h.finished > 0))
			continue;
		if (!worst || shown_peak(&h) / h.finished > worst_r) {
			worst = m;
			worst_r = shown_peak(&h) / h.finished;
		}
		if (m->heap_bytes > 0) {
			compared++;
			close += (size_t)lesson_within(h.finished + h.extra, m->heap_bytes,
						       LESSON_HEAP_SHARE);
		}
	}
	if (worst)
		rdoc_buf_printf(&b, "Massif (`%s`) sees the largest build transient in %s: its "
				    "heap peaks at %s times the finished table. ",
				run->massif_dir, worst->impl, fig_ratio(worst_r).s);
	if (compared) {
		size_t na = names_with(run, LESSON_HEAP_ADMIN, &admin);
		size_t ns = names_with(run, LESSON_HEAP_SLACK, &slack);

		rdoc_buf_printf(&b, "For %zu of %zu implementations, massif's finished heap plus "
				    "its extra is within %.0f%% of the harness's heap_bytes",
				close, compared, 100 * LESSON_HEAP_SHARE);
		if (na)
			rdoc_buf_printf(&b, "; massif's per-block admin charge puts %s above it",
					admin.s);
		if (ns)
			rdoc_buf_printf(&b, "%s the slack of a shrinking realloc puts %s above it",
					na ? ", and" : ";", slack.s);
		rdoc_buf_printf(&b, ".");
	}
	if (b.s)
		rdoc_para(doc, "%s", b.s);
	rdoc_note(doc, "How the table counts: every figure is in bytes above what the process "
		       "held before the table (massif's baseline run). Peak and finished heap are "
		       "both massif's mem_heap_B, the bytes asked for; massif's extra (its 16-byte "
		       "admin charge per block, alignment, and slack) is a column of its own, at the "
		       "finished heap. heap_bytes is what glibc handed out for the build (requests, "
		       "headers, rounding) and struct_bytes the structure's own accounting. Every "
		       "difference over %.0f%% is explained in the last column, computed from these "
		       "figures.", 100 * LESSON_HEAP_SHARE);
	rdoc_buf_free(&b);
	rdoc_buf_free(&admin);
	rdoc_buf_free(&slack);
}

void section_massif(const struct report_run *run, struct rdoc *doc)
{
	rdoc_heading(doc, 3, "The heap over time (valgrind massif)");
	if (!run->have_massif) {
		rdoc_para(doc, "**No massif run was found** in `%s` (%s): `make massif` records "
			       "each implementation's heap over time (or pass `--massif DIR`).",
			  run->massif_dir, run->massif_why);
		return;
	}
	section_chart(run, doc, run->massif_dir, "massif", "heap over time under valgrind "
							   "massif: the build's growth, its "
							   "spikes, the plateau of the finished "
							   "table");
	rdoc_table(doc, "impl|>routes|>peak heap|>finished heap|>peak / finished|"
			">massif extra|>heap_bytes|>struct_bytes|why they differ (over 5%)");
	for (size_t i = 0; i < run->n_massif; i++)
		massif_row(doc, &run->massif[i]);
	massif_prose(run, doc);
}
