/*
 * report_doc.h - a small document (headings, paragraphs, tables, charts) written twice: as
 * Markdown with relative image links, and as one self-contained HTML page with each chart's
 * SVG inlined. Building the document once and rendering it twice keeps REPORT.md and
 * REPORT.html saying the same thing. Cost: the text in memory, plus one SVG at a time.
 *
 * Inline markup in text: `code` and **bold**, passed through to Markdown and turned into
 * <code> and <strong> in HTML; everything else is escaped there.
 */
#ifndef ROUTEBENCH_REPORT_DOC_H
#define ROUTEBENCH_REPORT_DOC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* A growable string. s is always a valid C string ("" at first); oom set on a failed grow. */
struct rdoc_buf {
	char *s;
	size_t len, cap;
	int oom;
};

void rdoc_buf_printf(struct rdoc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rdoc_buf_vprintf(struct rdoc_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void rdoc_buf_free(struct rdoc_buf *b);

enum rdoc_kind { RDOC_HEADING, RDOC_PARA, RDOC_NOTE, RDOC_TABLE, RDOC_CHART };

struct rdoc_block {
	enum rdoc_kind kind;
	int level;          /* heading level, 1-3 */
	char *text;         /* heading, paragraph or note text; a chart's caption */
	/* a table: ncols columns, cells[] row by row, the header first; right[c] aligns right */
	size_t ncols, ncells;
	char **cells;
	unsigned char right[16];
	/* a chart: its .png as a Markdown link (relative), its <svg> element ready to inline */
	char *png_link, *svg;
	char *name;         /* e.g. "crossover", for the HTML's data-chart */
	char *summary;      /* the summary group it belongs to (rdoc_mark_summary), or NULL */
};

struct rdoc {
	struct rdoc_block *b;
	size_t n, cap;
	int oom;
	/* The colour ("#rrggbb") a table cell naming exactly this is marked with in HTML, or
	 * NULL: the charts' palette, so a name has one colour on the page. NULL: no marks. */
	const char *(*swatch)(const char *name);
};

void rdoc_init(struct rdoc *d);
void rdoc_free(struct rdoc *d);

void rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rdoc_para(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A side note (how a figure was computed): a quote in Markdown, set apart in HTML. */
void rdoc_note(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Start a table: cols names its columns, '|'-separated, a leading '>' aligning one right
 * ("impl|>routes|>bytes"), at most 16. Then rdoc_cell once per cell, row by row.
 */
void rdoc_table(struct rdoc *d, const char *cols);
void rdoc_cell(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A chart: png_link is the Markdown image target (relative to the report), svg_path the file
 * to inline in HTML. When a file is missing, that rendering says so instead of drawing.
 */
void rdoc_chart(struct rdoc *d, const char *name, const char *png_link, const char *svg_path,
		const char *caption);

/*
 * Put the last block added into the summary group id ("one-number"): SUMMARY.md holds, per
 * group in order, the level-2 heading it sits under and its marked blocks.
 */
void rdoc_mark_summary(struct rdoc *d, const char *id);

/* Write the document. 0, or -EIO / -ENOMEM. */
int rdoc_write_md(const struct rdoc *d, FILE *f);
/*
 * The summary as Markdown: each group between "<!-- summary: ID -->" and "<!-- end summary -->"
 * lines, its heading in bold, then its blocks as rdoc_write_md writes them (charts as image
 * links relative to the run folder). 0, or -EIO / -ENOMEM.
 */
int rdoc_write_summary(const struct rdoc *d, FILE *f);
/*
 * One HTML page with inline CSS and inline SVG, no script, nothing fetched: light, for the
 * screen and for print, a table of contents of the level-2 and level-3 headings (each heading
 * has an id), and each chart set with the table right after it, side by side on a wide page.
 * <body> carries data-charts and data-tables: how many <svg> and <table> elements the page
 * holds, for tests.
 */
int rdoc_write_html(const struct rdoc *d, FILE *f, const char *title);

/* Inlined charts and tables rendered in HTML (what data-charts and data-tables say). */
size_t rdoc_html_charts(const struct rdoc *d);
size_t rdoc_tables(const struct rdoc *d);

#endif
