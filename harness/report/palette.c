/*
 * palette.c - the charts' colours and panel groups (palette.h), from the registry: the i-th
 * registered implementation takes the i-th colour of one list of distinct hues, so two charts,
 * the HTML report and a later run of the same build agree. Written as DIR/palette.csv and as
 * DIR/palette.gp, a gnuplot include of plain variables (plots/common.gp turns them into
 * functions). Cost: a walk of the registry. Lesson: a chart that looks its colours up cannot
 * give an implementation its neighbour's.
 */
#include "palette.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "outfile.h"
#include "registry.h"

#define STREAM_COLOUR "#000000"
#define OTHER_COLOUR "#777777"

/* Distinct on a white page, consecutive entries far apart; a panel never holds two alike. */
static const char *const colours[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
	"#17becf", "#bcbd22", "#1f3d99", "#1b7837", "#b03060", "#e6a000", "#6a3d9a",
	"#00a087", "#7f7f00", "#386cb0", "#fdae61", "#4d9221", "#c51b7d",
};
#define N_COLOURS (sizeof(colours) / sizeof(colours[0]))

static const char *const titles[REPORT_N_GROUPS] = {
	"the course's baselines",
	"the optimisation ladder",
	"the peers",
};

const char *report_group_title(enum report_group g)
{
	return g < REPORT_N_GROUPS ? titles[g] : titles[0];
}

static enum report_group group_of_ops(const struct route_table_ops *ops)
{
	if (ops->flags & RT_F_PEER)
		return REPORT_GROUP_PEER;
	return ops->ladder > 0 ? REPORT_GROUP_LADDER : REPORT_GROUP_BASE;
}

enum report_group report_group_of(const char *impl)
{
	const struct route_table_ops *ops = rt_find(impl);

	return ops ? group_of_ops(ops) : REPORT_GROUP_BASE;
}

const char *report_colour_of(const char *impl)
{
	for (size_t i = 0; i < rt_registry_count; i++)
		if (strcmp(rt_registry[i]->name, impl) == 0)
			return colours[i % N_COLOURS];
	return strcmp(impl, LESSON_STREAM) == 0 ? STREAM_COLOUR : OTHER_COLOUR;
}

const char *report_palette_colour(const char *name)
{
	return rt_find(name) || strcmp(name, LESSON_STREAM) == 0 ? report_colour_of(name) : NULL;
}

size_t report_palette_order(const char **out, size_t cap)
{
	const struct route_table_ops *ladder[64];
	size_t n = 0, nl = rt_ladder(ladder, 64);

	for (int g = 0; g < REPORT_N_GROUPS; g++) {
		if (g == REPORT_GROUP_LADDER) {
			for (size_t i = 0; i < nl && n < cap; i++)
				out[n++] = ladder[i]->name;
			continue;
		}
		for (size_t i = 0; i < rt_registry_count && n < cap; i++)
			if ((int)group_of_ops(rt_registry[i]) == g)
				out[n++] = rt_registry[i]->name;
	}
	return n;
}

static void write_csv(FILE *f, const char *const *names, size_t n)
{
	fputs("impl,colour,group,group_title,ladder\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct route_table_ops *ops = rt_find(names[i]);
		enum report_group g = group_of_ops(ops);

		fprintf(f, "%s,%s,%d,\"%s\",%u\n", names[i], report_colour_of(names[i]), g + 1,
			titles[g], ops->ladder);
	}
	fprintf(f, "%s,%s,%d,\"%s\",0\n", LESSON_STREAM, STREAM_COLOUR, REPORT_GROUP_BASE + 1,
		titles[REPORT_GROUP_BASE]);
}

/* Plain variables only: names, colours and groups as space-separated words, group titles. */
static void write_gp(FILE *f, const char *const *names, size_t n)
{
	fputs("# palette.gp - written by routebench report from the registry (harness/report/"
	      "palette.c): each\n# implementation's colour and panel group, in panel order. "
	      "plots/common.gp reads it.\n", f);
	fputs("PAL_NAMES = \"", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", names[i]);
	fputs("\"\nPAL_COLOURS = \"", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", report_colour_of(names[i]));
	fputs("\"\nPAL_GROUPS = \"", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%d", i ? " " : "", group_of_ops(rt_find(names[i])) + 1);
	fprintf(f, "\"\nPAL_NGROUPS = %d\n", REPORT_N_GROUPS);
	for (int g = 0; g < REPORT_N_GROUPS; g++)
		fprintf(f, "PAL_TITLE_%d = \"%s\"\n", g + 1, titles[g]);
	fprintf(f, "PAL_STREAM = \"%s\"\nPAL_OTHER = \"%s\"\n", STREAM_COLOUR, OTHER_COLOUR);
}

static int write_file(const char *dir, const char *name, const char *const *names, size_t n,
		      void (*fill)(FILE *, const char *const *, size_t))
{
	char path[4200];
	struct rb_outfile o;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = rb_outfile_open(&o, path);
	if (rc == 0) {
		fill(o.f, names, n);
		rc = ferror(o.f) ? -EIO : 0;
		if (rc == 0)
			rc = rb_outfile_commit(&o);
		else
			rb_outfile_abort(&o);
	}
	if (rc != 0)
		fprintf(stderr, "routebench report: cannot write %s: %s\n", path, strerror(-rc));
	return rc;
}

int report_palette_write(const char *dir)
{
	const char *names[256];
	size_t n = report_palette_order(names, 256);
	int rc = write_file(dir, "palette.csv", names, n, write_csv);

	return rc == 0 ? write_file(dir, "palette.gp", names, n, write_gp) : rc;
}
