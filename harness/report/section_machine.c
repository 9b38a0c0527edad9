/*
 * section_machine.c - "The machine": the CPU, memory, kernel, compiler and flags, commit,
 * libraries and dates meta.json records, one row each, "not recorded" where it has none.
 * Lesson: a figure is only comparable with another machine's when the machine is named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
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
};

/* The value cell of field f: as recorded, in GiB for memory, the commit marked if dirty. */
static void value_cell(const struct report_meta *m, enum report_meta_field f, struct rdoc *doc)
{
	const char *v = m->text[f];

	if (!v[0])
		rdoc_cell(doc, "not recorded");
	else if (f == REPORT_META_MEM)
		rdoc_cell(doc, "%s", fig_gib(strtoull(v, NULL, 10)).s);
	else if (f == REPORT_META_COMMIT && m->git_dirty)
		rdoc_cell(doc, "%s (with uncommitted changes)", v);
	else if (f == REPORT_META_COMMAND)
		rdoc_cell(doc, "`%s`", v);
	else
		rdoc_cell(doc, "%s", v);
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
}
