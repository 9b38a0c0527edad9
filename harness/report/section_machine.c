/*
 * section_machine.c - "The machine": the CPU, memory, kernel, compiler and flags, commit,
 * libraries and dates meta.json records, one row each, "not recorded" where it has none.
 * Lesson: a figure is only comparable with another machine's when the machine is named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

static const struct {
	const char *label;
	enum report_meta_field field;
} machine_rows[] = {
	{ "CPU", REPORT_META_CPU },
	{ "cores", REPORT_META_CORES },
	{ "memory", REPORT_META_MEM },
	{ "kernel", REPORT_META_KERNEL },
	{ "compiler", REPORT_META_COMPILER },
	{ "flags", REPORT_META_FLAGS },
	{ "build type", REPORT_META_BUILD_TYPE },
	{ "commit", REPORT_META_COMMIT },
	{ "glibc", REPORT_META_GLIBC },
	{ "jemalloc", REPORT_META_JEMALLOC },
	{ "started", REPORT_META_STARTED },
	{ "finished", REPORT_META_FINISHED },
	{ "command", REPORT_META_COMMAND },
	{ "DRAM latency (dependent load)", REPORT_META_DRAM_NS },
	{ "LLC latency (dependent load)", REPORT_META_LLC_NS },
	{ "random 64 B reads, interleaved", REPORT_META_RANDOM_READ_NS },
	{ "sequential read bandwidth", REPORT_META_SEQ_READ_GB_S },
};

/* The value cell of field f: as recorded, in GiB for memory, the commit marked if dirty. */
static void value_cell(const struct report_meta *m, enum report_meta_field f, struct rdoc *doc)
{
	const char *v = m->text[f];

	if (!v[0] && f >= REPORT_META_DRAM_NS)
		rdoc_cell(doc, "not measured (bench --machine-limits)");
	else if (!v[0])
		rdoc_cell(doc, "not recorded");
	else if (f == REPORT_META_MEM)
		rdoc_cell(doc, "%s", fig_gib(strtoull(v, NULL, 10)).s);
	else if (f == REPORT_META_COMMIT && m->git_dirty)
		rdoc_cell(doc, "%s (with uncommitted changes)", v);
	else if (f == REPORT_META_COMMAND)
		rdoc_cell(doc, "`%s`", v);
	else if (f == REPORT_META_DRAM_NS || f == REPORT_META_LLC_NS)
		rdoc_cell(doc, "%s ns", v);
	else if (f == REPORT_META_RANDOM_READ_NS)
		rdoc_cell(doc, "%s ns a read (%s chases at once)", v,
			  m->text[REPORT_META_RANDOM_CHAINS]);
	else if (f == REPORT_META_SEQ_READ_GB_S)
		rdoc_cell(doc, "%s GB/s", v);
	else
		rdoc_cell(doc, "%s", v);
}

/*
 * The parser against the machine's read bandwidth: the median parse speed at the largest file
 * (lesson_median_parse_mb_s, the parse chart's steady state) as a share of seq_read_gb_s.
 */
static void machine_parse_share(const struct report_run *run, struct rdoc *doc)
{
	double gb = report_meta_number(run, REPORT_META_SEQ_READ_GB_S), mb, share;
	uint64_t hi = 0;

	for (size_t i = 0; i < run->n; i++)
		if (lesson_usable(&run->rows[i], NULL, run->alloc, 1) &&
		    !lesson_is_stream(&run->rows[i]) && run->rows[i].parse_mb_s > 0 &&
		    run->rows[i].n_routes > hi)
			hi = run->rows[i].n_routes;
	mb = hi ? lesson_median_parse_mb_s(run->rows, run->n, run->alloc, hi, NULL) : NAN;
	share = lesson_parse_share(mb, gb);
	if (!isfinite(gb))
		rdoc_para(doc, "The machine's limits were not measured (run bench with "
			       "--machine-limits, or see `routebench machine`): the parse speed "
			       "cannot be set against the read bandwidth.");
	else if (isfinite(share))
		rdoc_para(doc, "On the largest file, %s routes, the parser reads %s MB/s: **%s%% "
			       "of the %s GB/s** this machine reads sequentially, the rest being the "
			       "work of parsing.", fig_count(hi).s, fig_fix(mb, 0).s,
			  fig_fix(share * 100, 1).s, fig_fix(gb, 2).s);
}

void section_machine(const struct report_run *run, struct rdoc *doc)
{
	if (!run->have_meta) {
		rdoc_para(doc, "This run has no readable `meta.json`: the machine, the build "
			       "and the date are unknown, so these figures cannot be compared "
			       "with another machine's.");
		return;
	}
	rdoc_table(doc, "what|value");
	for (size_t i = 0; i < sizeof(machine_rows) / sizeof(machine_rows[0]); i++) {
		rdoc_cell(doc, "%s", machine_rows[i].label);
		value_cell(&run->meta, machine_rows[i].field, doc);
	}
	machine_parse_share(run, doc);
}
