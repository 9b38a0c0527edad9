/*
 * sections.h - REPORT.md's sections, inside the report layer: the intro, the machine, the
 * implementations, then the lessons, one file each (section_*.c), listed once in
 * report_sections[] (report_write.c), whose order numbers the lessons' headings. Each lesson
 * selects its rows, then writes its table, then its prose; the rules it applies are lesson.h's.
 * Also the helpers the sections share (section_common.c).
 */
#ifndef ROUTEBENCH_REPORT_SECTIONS_H
#define ROUTEBENCH_REPORT_SECTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "fig.h"
#include "report_doc.h"
#include "run.h"

#define SECTION_MAX_LIST 16 /* names listed in a sentence before "and N more" */

struct report_section {
	const char *id;    /* "one-number": what another section calls it (report_lesson_number) */
	const char *title; /* the heading; NULL: the section writes its own */
	int lesson;        /* 1: a lesson, headed "Lesson N: title", N its place among them */
	int (*applies)(const struct report_run *run); /* NULL: always written */
	void (*write)(const struct report_run *run, struct rdoc *doc);
};

extern const struct report_section report_sections[];
extern const size_t report_n_sections;

/* The number of the lesson called id in report_sections[] (1 for the first), or 0. */
int report_lesson_number(const char *id);

/* --- the sections, in the order report_sections[] lists them ------------------------------ */
void section_intro(const struct report_run *run, struct rdoc *doc);
void section_machine(const struct report_run *run, struct rdoc *doc);
void section_impls(const struct report_run *run, struct rdoc *doc);
void section_one_number(const struct report_run *run, struct rdoc *doc);
void section_crossover(const struct report_run *run, struct rdoc *doc);
void section_ladder(const struct report_run *run, struct rdoc *doc);
void section_allocator(const struct report_run *run, struct rdoc *doc);
void section_massif(const struct report_run *run, struct rdoc *doc); /* inside the allocator's */
void section_pareto(const struct report_run *run, struct rdoc *doc);
void section_stream(const struct report_run *run, struct rdoc *doc);
void section_python(const struct report_run *run, struct rdoc *doc);
/* The service lessons, from the scenario run (run->api): scenario 4 and scenario 5. */
void section_api(const struct report_run *run, struct rdoc *doc);
void section_update(const struct report_run *run, struct rdoc *doc);
void section_cold(const struct report_run *run, struct rdoc *doc);

/* --- when a lesson is written ------------------------------------------------------------- */
/* Some row ran ok, or the run is incomplete (each lesson then says what it lacks). */
int section_lessons_apply(const struct report_run *run);
/* As section_lessons_apply, and the run has stream rows, or is incomplete. */
int section_stream_applies(const struct report_run *run);
/* The run has solver rows of the Python steps (lesson_python_step). */
int section_python_applies(const struct report_run *run);
/* The scenario run beside it has rows, or section_lessons_apply (then it says how to get one). */
int section_api_applies(const struct report_run *run);

/* --- what the sections share -------------------------------------------------------------- */
/*
 * A chart of folder dir (name.png linked relative to the report, name.svg inlined); a chart of
 * a folder outside the run folder (a sibling micro or massif run) is first copied into it.
 */
void section_chart(const struct report_run *run, struct rdoc *doc, const char *dir,
		   const char *name, const char *caption);
/*
 * The paragraph of a lesson with nothing to show ("This run has no ..."); when the run is
 * incomplete, it says so too: the cells the lesson needs may be among those not reached.
 */
void section_nothing(const struct report_run *run, struct rdoc *doc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "a", "a and b", "a, b and c", at most SECTION_MAX_LIST names then "and N more". */
void section_join_names(struct rdoc_buf *b, const char *const *names, size_t n);
/* "1,000, 10,000 and 100,000 routes". */
void section_join_sizes(struct rdoc_buf *b, const uint64_t *sizes, size_t n);
/* Sizes with an ok one-carrier row of impl under the run's allocator, ascending; how many. */
size_t section_sizes_of(const struct report_run *run, const char *impl, uint64_t *out,
			size_t cap);
/* The run's allocator (the first row's) for a sentence: "any allocator" when it has no row. */
const char *section_alloc(const struct report_run *run);
/* What became of impl at n routes (one carrier, allocator alloc): its status, or "not run". */
const char *section_status_at(const struct report_run *run, const char *impl,
			      const char *alloc, uint64_t n);

/* --- what the service lessons share (section_api.c) ----------------------------------------- */
/* "**met**", "**not met**" or "not judged" (lesson_target is lesson_api.h's). */
const char *section_target_word(int target);
/* " This run has 5 carriers of 1,000,000 routes; ..." when not at the targets' size, else "". */
void section_target_size(struct rdoc_buf *b, uint64_t routes, uint64_t carriers);
/* Bytes as "12.3 MB" (10^6), "-" when not finite. */
struct fig section_mb(double bytes);

/* --- the Pareto lesson's selection, which the Pareto chart's figures share (derived.c) ------ */
struct pareto_pick {
	const char *alloc; /* glibc, else the run's allocator (lesson_pareto_alloc) */
	uint64_t n;        /* the run's largest size under it */
	const struct bench_cell *pts[REPORT_MAX_IMPLS]; /* ok there, one per structure */
	double x[REPORT_MAX_IMPLS], y[REPORT_MAX_IMPLS]; /* bytes per route, ns per lookup */
	int on[REPORT_MAX_IMPLS];                        /* on the frontier */
	size_t beats[REPORT_MAX_IMPLS];                  /* how many each dominates */
	size_t np, nfront;
	size_t order[REPORT_MAX_IMPLS]; /* the frontier's points, by bytes per route */
	const char *absent[REPORT_MAX_IMPLS]; /* structures of the run not ok at n */
	size_t nabsent;
};

/* Select the Pareto points of the run into *out (np may be 0). */
void pareto_select(const struct report_run *run, struct pareto_pick *out);

#endif
