/*
 * report_write.c - `routebench report [RUN_DIR] [--micro DIR] [--massif DIR]`: reads the run
 * (run.h), writes every section of report_sections[] into one document, then REPORT.md and
 * REPORT.html from it, and the charts' derived figures (derived.h). The table's order is the
 * report's: a lesson's number is its place among the lessons. Cost: every row and every
 * inlined chart in memory (a few MB). Lesson: prose generated from the data cannot contradict
 * it, and says "not measured" instead of a blank.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derived.h"
#include "outfile.h"
#include "palette.h"
#include "report.h"
#include "report_doc.h"
#include "sections.h"

const struct report_section report_sections[] = {
	{ "intro", NULL, 0, NULL, section_intro },
	{ "machine", "The machine", 0, NULL, section_machine },
	{ "impls", "The implementations: claimed and fitted complexity", 0, NULL, section_impls },
	{ "one-number", "one number to price: scan, or build an index?", 1, section_lessons_apply,
	  section_one_number },
	{ "crossover", "when does building an index pay off?", 1, section_lessons_apply,
	  section_crossover },
	{ "ladder", "what each trie optimisation saved", 1, section_lessons_apply,
	  section_ladder },
	{ "allocator", "what the allocator adds per node", 1, section_lessons_apply,
	  section_allocator },
	{ "pareto", "small or fast? The Pareto frontier", 1, section_lessons_apply,
	  section_pareto },
	{ "stream", "stream the routes, or index them?", 1, section_stream_applies,
	  section_stream },
	{ "cold", "hot or cold numbers: what a trip to memory costs", 1, section_lessons_apply,
	  section_cold },
	{ "api", "what a request costs, and who holds the spike", 1, section_api_applies,
	  section_api },
	{ "update", "what an update costs, each way", 1, section_api_applies, section_update },
	{ "python", "the seed's story, in Python and in C", 1, section_python_applies,
	  section_python },
};

const size_t report_n_sections = sizeof(report_sections) / sizeof(report_sections[0]);

int report_lesson_number(const char *id)
{
	int n = 0;

	for (size_t i = 0; i < report_n_sections; i++) {
		n += report_sections[i].lesson;
		if (strcmp(report_sections[i].id, id) == 0)
			return report_sections[i].lesson ? n : 0;
	}
	return 0;
}

/* Every section that applies, headed, in the table's order. */
static void write_sections(const struct report_run *run, struct rdoc *doc)
{
	int lesson = 0;

	for (size_t i = 0; i < report_n_sections; i++) {
		const struct report_section *s = &report_sections[i];

		lesson += s->lesson;
		if (s->applies && !s->applies(run))
			continue;
		if (s->lesson)
			rdoc_heading(doc, 2, "Lesson %d: %s", lesson, s->title);
		else if (s->title)
			rdoc_heading(doc, 2, "%s", s->title);
		s->write(run, doc);
	}
}

/* The documents written from one rdoc: REPORT.md, REPORT.html and SUMMARY.md. */
enum { DOC_MD, DOC_HTML, DOC_SUMMARY, N_DOCS };
static const char *const doc_names[N_DOCS] = { "REPORT.md", "REPORT.html", "SUMMARY.md" };

static int render(const struct rdoc *doc, int k, FILE *f, const char *title)
{
	return k == DOC_MD ? rdoc_write_md(doc, f)
	       : k == DOC_HTML ? rdoc_write_html(doc, f, title)
			       : rdoc_write_summary(doc, f);
}

/*
 * Render doc as dir/REPORT.md, REPORT.html and SUMMARY.md (the lessons' headline figures, the
 * README quotes it): all or none replaced. 0, or -errno (printed).
 */
static int write_docs(const char *dir, const struct rdoc *doc)
{
	struct rb_outfile o[N_DOCS];
	char path[REPORT_PATH_MAX + 16], title[REPORT_PATH_MAX + 32];
	int live[N_DOCS] = { 0 }, rc = 0;

	snprintf(title, sizeof(title), "routebench: %s", doc->n ? doc->b[0].text : dir);
	for (int k = 0; k < N_DOCS && rc == 0; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, doc_names[k]);
		rc = rb_outfile_open(&o[k], path);
		live[k] = rc == 0;
		if (rc == 0)
			rc = render(doc, k, o[k].f, title);
	}
	for (int k = 0; k < N_DOCS && rc == 0; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, doc_names[k]);
		live[k] = 0;
		rc = rb_outfile_commit(&o[k]);
	}
	for (int k = 0; k < N_DOCS; k++)
		if (live[k])
			rb_outfile_abort(&o[k]);
	if (rc != 0)
		fprintf(stderr, "routebench report: cannot write %s: %s\n", path, strerror(-rc));
	return rc;
}

int report_write(const char *run_dir, const char *micro, const char *massif, const char *api)
{
	struct report_run *run = calloc(1, sizeof(*run));
	struct rdoc doc;
	int rc = 1;

	if (!run) {
		fprintf(stderr, "routebench report: out of memory\n");
		return 1;
	}
	rdoc_init(&doc);
	doc.swatch = report_palette_colour;
	if (report_run_open(run, run_dir, micro, massif) != 0)
		goto out;
	if (api)
		snprintf(run->api_dir, sizeof(run->api_dir), "%s", api);
	report_run_read_profiles(run);
	write_sections(run, &doc);
	if (report_derived_write(run) == 0 && write_docs(run->dir, &doc) == 0) {
		fprintf(stderr,
			"report:  %s/REPORT.md, %s/REPORT.html, %s/SUMMARY.md (charts: %zu, "
			"tables: %zu)\n", run->dir, run->dir, run->dir, rdoc_html_charts(&doc),
			rdoc_tables(&doc));
		rc = 0;
	}
out:
	rdoc_free(&doc);
	report_run_free(run);
	free(run);
	return rc;
}

int report_write_derived(const char *run_dir)
{
	struct report_run *run = calloc(1, sizeof(*run));
	int rc = -ENOMEM;

	if (!run) {
		fprintf(stderr, "routebench report: out of memory\n");
		return rc;
	}
	rc = report_run_open(run, run_dir, NULL, NULL);
	if (rc == 0)
		rc = report_derived_write(run);
	report_run_free(run);
	free(run);
	return rc;
}

int report_write_palette(const char *dir)
{
	return report_palette_write(dir);
}
