/*
 * section_massif.c - inside the allocator lesson, the heap over time under valgrind massif
 * (massif.csv of the massif run beside the run): each implementation's peak heap against its
 * finished table, and massif's finished heap against the harness's heap_bytes. Lesson: a
 * build's peak can be many times the table it leaves; the harness's figure is the end state.
 */
#include <math.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

/* The peak heap over the finished heap, both above massif's baseline. */
static double transient(const struct report_massif *m)
{
	return (m->peak - m->base) / (m->built - m->base);
}

static void massif_row(struct rdoc *doc, const struct report_massif *m)
{
	double peak = m->peak - m->base, built = m->built - m->base;
	double total = built + m->extra - m->base_extra;

	rdoc_cell(doc, "%s", m->impl);
	rdoc_cell(doc, "%s", fig_count(m->n_routes).s);
	if (!m->ok) {
		rdoc_cell(doc, "failed");
		for (int k = 0; k < 4; k++)
			rdoc_cell(doc, "-");
		return;
	}
	rdoc_cell(doc, "%s", fig_fix(peak, 0).s);
	rdoc_cell(doc, "%s", m->have_built ? fig_fix(total, 0).s : "-");
	rdoc_cell(doc, "%s", fig_fix(m->heap_bytes, 0).s);
	rdoc_cell(doc, "%s", fig_fix(m->struct_bytes, 0).s);
	rdoc_cell(doc, "%s", m->have_built && built > 0 ? fig_ratio(peak / built).s : "-");
}

static void massif_prose(const struct report_run *run, struct rdoc *doc)
{
	const struct report_massif *worst = NULL;
	size_t close = 0, compared = 0;
	struct rdoc_buf b = { 0 };

	for (size_t i = 0; i < run->n_massif; i++) {
		const struct report_massif *m = &run->massif[i];
		double built = m->built - m->base;

		if (!m->ok || !m->have_built || built <= 0)
			continue;
		if (!worst || transient(m) > transient(worst))
			worst = m;
		if (m->heap_bytes > 0) {
			compared++;
			close += (size_t)lesson_within(built + m->extra - m->base_extra,
						       m->heap_bytes, LESSON_MASSIF_SHARE);
		}
	}
	if (worst)
		rdoc_buf_printf(&b, "Massif (`%s`) sees the largest build transient in %s: its "
				    "heap peaks at %s times the finished table. ",
				run->massif_dir, worst->impl, fig_ratio(transient(worst)).s);
	if (compared)
		rdoc_buf_printf(&b, "For %zu of %zu implementations, massif's finished heap (with "
				    "its per-block extra) is within 10%% of the harness's "
				    "heap_bytes.",
				close, compared);
	if (b.s)
		rdoc_para(doc, "%s", b.s);
	rdoc_buf_free(&b);
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
	rdoc_table(doc, "impl|>routes|>peak heap|>finished heap + extra|>heap_bytes|"
			">struct_bytes|>peak / finished");
	for (size_t i = 0; i < run->n_massif; i++)
		massif_row(doc, &run->massif[i]);
	massif_prose(run, doc);
}
