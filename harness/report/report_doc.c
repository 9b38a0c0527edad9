/*
 * report_doc.c - the report's document model and its two renderings, Markdown and one
 * self-contained HTML page. A chart's SVG is read when the chart is added, its ids prefixed so
 * several charts can share a page, so the counts in <body> are known before it is written.
 */
#include "report_doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SVG_MAX (16u << 20) /* a chart larger than this is not inlined */
#define DENSE_COLS 7        /* a table wider than this is set smaller */

static void buf_grow(struct rdoc_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *s;

	if (b->oom || b->len + need + 1 <= b->cap)
		return;
	while (cap < b->len + need + 1)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->oom = 1;
		return;
	}
	b->s = s;
	b->cap = cap;
}

static void buf_add(struct rdoc_buf *b, const char *s, size_t len)
{
	buf_grow(b, len);
	if (b->oom)
		return;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void buf_vprintf(struct rdoc_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	buf_grow(b, (size_t)n);
	if (!b->oom) {
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	}
}

void rdoc_buf_vprintf(struct rdoc_buf *b, const char *fmt, va_list ap)
{
	buf_vprintf(b, fmt, ap);
}

void rdoc_buf_printf(struct rdoc_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void rdoc_buf_free(struct rdoc_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void rdoc_init(struct rdoc *d)
{
	memset(d, 0, sizeof(*d));
}

void rdoc_free(struct rdoc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct rdoc_block *b = &d->b[i];

		for (size_t c = 0; c < b->ncells; c++)
			free(b->cells[c]);
		free(b->cells);
		free(b->text);
		free(b->png_link);
		free(b->svg);
		free(b->name);
		free(b->summary);
	}
	free(d->b);
	memset(d, 0, sizeof(*d));
}

static char *vdup(const char *fmt, va_list ap)
{
	struct rdoc_buf b = { 0 };

	buf_vprintf(&b, fmt, ap);
	if (b.oom || !b.s) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static char *dup_or_null(struct rdoc *d, const char *s)
{
	char *r;

	if (!s)
		return NULL;
	r = strdup(s);
	if (!r)
		d->oom = 1;
	return r;
}

static struct rdoc_block *add_block(struct rdoc *d, enum rdoc_kind kind)
{
	if (d->oom)
		return NULL;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 32;
		struct rdoc_block *b = realloc(d->b, cap * sizeof(*b));

		if (!b) {
			d->oom = 1;
			return NULL;
		}
		d->b = b;
		d->cap = cap;
	}
	memset(&d->b[d->n], 0, sizeof(d->b[0]));
	d->b[d->n].kind = kind;
	return &d->b[d->n++];
}

void rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
{
	struct rdoc_block *b = add_block(d, RDOC_HEADING);
	va_list ap;

	if (!b)
		return;
	b->level = level < 1 ? 1 : level > 3 ? 3 : level;
	va_start(ap, fmt);
	b->text = vdup(fmt, ap);
	va_end(ap);
	d->oom |= !b->text;
}

static void add_text(struct rdoc *d, enum rdoc_kind kind, const char *fmt, va_list ap)
{
	struct rdoc_block *b = add_block(d, kind);
	size_t len;

	if (!b)
		return;
	b->text = vdup(fmt, ap);
	d->oom |= !b->text;
	for (len = b->text ? strlen(b->text) : 0; len && b->text[len - 1] == ' '; len--)
		b->text[len - 1] = '\0';
}

void rdoc_para(struct rdoc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_text(d, RDOC_PARA, fmt, ap);
	va_end(ap);
}

void rdoc_note(struct rdoc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_text(d, RDOC_NOTE, fmt, ap);
	va_end(ap);
}

void rdoc_table(struct rdoc *d, const char *cols)
{
	struct rdoc_block *b = add_block(d, RDOC_TABLE);
	const char *s = cols;

	if (!b)
		return;
	while (s && b->ncols < sizeof(b->right)) {
		const char *bar = strchr(s, '|');
		size_t len = bar ? (size_t)(bar - s) : strlen(s);
		int right = *s == '>';

		b->right[b->ncols++] = (unsigned char)right;
		rdoc_cell(d, "%.*s", (int)(len - (size_t)right), s + right);
		s = bar ? bar + 1 : NULL;
	}
}

void rdoc_cell(struct rdoc *d, const char *fmt, ...)
{
	struct rdoc_block *b = d->n ? &d->b[d->n - 1] : NULL;
	char **cells;
	va_list ap;

	if (d->oom || !b || b->kind != RDOC_TABLE)
		return;
	cells = realloc(b->cells, (b->ncells + 1) * sizeof(*cells));
	if (!cells) {
		d->oom = 1;
		return;
	}
	b->cells = cells;
	va_start(ap, fmt);
	cells[b->ncells] = vdup(fmt, ap);
	va_end(ap);
	if (!cells[b->ncells])
		d->oom = 1;
	else
		b->ncells++;
}

/* The whole file at path, NUL-terminated, or NULL. */
static char *slurp(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	struct rdoc_buf b = { 0 };
	char chunk[65536];
	size_t got;

	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && !b.oom && b.len <= max)
		buf_add(&b, chunk, got);
	if (ferror(f) || b.oom || b.len > max || !b.s) {
		fclose(f);
		free(b.s);
		return NULL;
	}
	fclose(f);
	return b.s;
}

/*
 * The <svg> element of an SVG file, ready to sit in an HTML page: the XML prolog dropped, every
 * id, href="#..." and url(#...) prefixed with "cN-", a class and an accessible name on the
 * root. NULL when the file is missing, is not an SVG or carries a script.
 */
static char *inline_svg(const char *path, size_t nth, const char *label)
{
	static const char head[] = "<svg class=\"chart\" role=\"img\" aria-label=\"";
	char *text = slurp(path, SVG_MAX), *s, *end, *out = NULL;
	struct rdoc_buf b = { 0 };
	char prefix[32];

	if (!text)
		return NULL;
	s = strstr(text, "<svg");
	end = s ? strstr(s, "</svg>") : NULL;
	for (char *e = end; e; e = strstr(e + 1, "</svg>"))
		end = e;
	if (!s || !end || strstr(text, "<script")) {
		free(text);
		return NULL;
	}
	end += strlen("</svg>");
	snprintf(prefix, sizeof(prefix), "c%zu-", nth);
	buf_add(&b, head, strlen(head));
	for (const char *l = label; *l; l++)
		if (*l == '"' || *l == '<' || *l == '>' || *l == '&')
			buf_add(&b, " ", 1);
		else
			buf_add(&b, l, 1);
	buf_add(&b, "\"", 1);
	for (s += 4; s < end; s++) {
		static const char *const marks[] = { " id=\"", " id='", "\tid=\"", "\tid='",
						     "\nid=\"", "\nid='", "href=\"#", "href='#",
						     "url(#" };
		size_t k;

		for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
			if (strncmp(s, marks[k], strlen(marks[k])) == 0)
				break;
		if (k < sizeof(marks) / sizeof(marks[0])) {
			buf_add(&b, s, strlen(marks[k]));
			buf_add(&b, prefix, strlen(prefix));
			s += strlen(marks[k]) - 1;
			continue;
		}
		buf_add(&b, s, 1);
	}
	free(text);
	if (!b.oom)
		out = b.s;
	else
		free(b.s);
	return out;
}

void rdoc_chart(struct rdoc *d, const char *name, const char *png_link, const char *svg_path,
		const char *caption)
{
	struct rdoc_block *b = add_block(d, RDOC_CHART);

	if (!b)
		return;
	b->name = dup_or_null(d, name);
	b->text = dup_or_null(d, caption);
	b->png_link = dup_or_null(d, png_link);
	if (svg_path)
		b->svg = inline_svg(svg_path, rdoc_html_charts(d) + 1, caption);
}

void rdoc_mark_summary(struct rdoc *d, const char *id)
{
	if (!d->oom && d->n) {
		free(d->b[d->n - 1].summary);
		d->b[d->n - 1].summary = dup_or_null(d, id);
	}
}

size_t rdoc_html_charts(const struct rdoc *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->b[i].kind == RDOC_CHART && d->b[i].svg;
	return n;
}

size_t rdoc_tables(const struct rdoc *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->b[i].kind == RDOC_TABLE && d->b[i].ncols;
	return n;
}

/* --- Markdown ------------------------------------------------------------------------------ */

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n')
			fputc(' ', f);
		else
			fputc(*s, f);
}

static void md_table(FILE *f, const struct rdoc_block *b)
{
	for (size_t i = 0; i < b->ncells; i++) {
		size_t c = i % b->ncols;

		fputs(c ? " | " : "| ", f);
		md_cell(f, b->cells[i]);
		if (c + 1 < b->ncols && i + 1 < b->ncells)
			continue;
		fputs(" |\n", f);
		if (i + 1 == b->ncols) {
			for (size_t k = 0; k < b->ncols; k++)
				fputs(b->right[k] ? "|---:" : "|---", f);
			fputs("|\n", f);
		}
	}
	fputc('\n', f);
}

/* One block as Markdown. */
static void md_block(FILE *f, const struct rdoc_block *b)
{
	switch (b->kind) {
	case RDOC_HEADING:
		fprintf(f, "%.*s %s\n\n", b->level, "###", b->text);
		break;
	case RDOC_PARA:
		fprintf(f, "%s\n\n", b->text);
		break;
	case RDOC_NOTE:
		fprintf(f, "> %s\n\n", b->text);
		break;
	case RDOC_TABLE:
		md_table(f, b);
		break;
	case RDOC_CHART:
		if (b->png_link)
			fprintf(f, "![%s](%s)\n\n", b->text, b->png_link);
		else
			fprintf(f, "*Chart not drawn in this run: %s (no `%s.png`).*\n\n", b->text,
				b->name);
		break;
	}
}

int rdoc_write_md(const struct rdoc *d, FILE *f)
{
	if (d->oom)
		return -ENOMEM;
	for (size_t i = 0; i < d->n; i++)
		md_block(f, &d->b[i]);
	return ferror(f) ? -EIO : 0;
}

int rdoc_write_summary(const struct rdoc *d, FILE *f)
{
	const char *open = NULL, *heading = NULL;

	if (d->oom)
		return -ENOMEM;
	for (size_t i = 0; i < d->n; i++) {
		const struct rdoc_block *b = &d->b[i];

		if (b->kind == RDOC_HEADING && b->level == 2)
			heading = b->text;
		if (!b->summary)
			continue;
		if (!open || strcmp(open, b->summary) != 0) {
			if (open)
				fputs("<!-- end summary -->\n\n", f);
			fprintf(f, "<!-- summary: %s -->\n", b->summary);
			if (heading)
				fprintf(f, "**%s**\n\n", heading);
			open = b->summary;
		}
		md_block(f, b);
	}
	if (open)
		fputs("<!-- end summary -->\n", f);
	return ferror(f) ? -EIO : 0;
}

/* --- HTML ---------------------------------------------------------------------------------- */

static void html_esc(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		switch (s[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(s[i], f); break;
		}
}

/* Text with `code` and **bold** turned into elements, the rest escaped. */
static void html_text(FILE *f, const char *s)
{
	int code = 0, bold = 0;

	while (*s) {
		size_t run = strcspn(s, "`*");

		html_esc(f, s, run);
		s += run;
		if (*s == '`') {
			fputs(code ? "</code>" : "<code>", f);
			code = !code;
			s++;
		} else if (s[0] == '*' && s[1] == '*' && !code) {
			fputs(bold ? "</strong>" : "<strong>", f);
			bold = !bold;
			s += 2;
		} else if (*s) {
			fputc(*s++, f);
		}
	}
	if (code)
		fputs("</code>", f);
	if (bold)
		fputs("</strong>", f);
}

/*
 * Light and plain: dark text on white, thin rules, the charts at the column's width (their
 * 12-point text stays 12 px), a chart and its table side by side from 1900 px on, and a print
 * style without margins lost to the screen's padding.
 */
static const char html_style[] =
	"html{background:#fff}\n"
	"body{margin:0;background:#fff;color:#1a1a1a;"
	"font:17px/1.55 \"DejaVu Sans\",Verdana,Arial,sans-serif}\n"
	"main{max-width:1248px;margin:0 auto;padding:16px 24px 64px}\n"
	"h1{font-size:1.9em;line-height:1.2;border-bottom:2px solid #444;padding-bottom:.2em}\n"
	"h2{font-size:1.45em;line-height:1.25;margin-top:2em;border-bottom:1px solid #999}\n"
	"h3{font-size:1.15em;margin-top:1.5em}\n"
	"p{max-width:62em}\n"
	"a{color:#1f4e9a}\n"
	"strong{font-weight:700}\n"
	"code{font-family:\"DejaVu Sans Mono\",Menlo,monospace;font-size:.9em;"
	"background:#f3f3f3;padding:0 .2em;border-radius:2px}\n"
	"nav.toc{border:1px solid #ccc;background:#fafafa;padding:.4em 1.2em;margin:1.2em 0}\n"
	"nav.toc ol{margin:.3em 0;padding-left:1.4em}\n"
	"nav.toc li{margin:.1em 0}\n"
	".wide{overflow-x:auto;margin:.8em 0}\n"
	"table{border-collapse:collapse;font-size:.9em}\n"
	"table.dense{font-size:.8em}\n"
	"th,td{border:1px solid #c8c8c8;padding:.25em .55em;text-align:left;vertical-align:top}\n"
	"th{background:#eef0f3;font-weight:700}\n"
	"tr:nth-child(even) td{background:#fafafa}\n"
	"th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td.num{white-space:nowrap}\n"
	"span.sw{display:inline-block;width:.8em;height:.8em;margin-right:.35em;"
	"vertical-align:baseline;border:1px solid #0003}\n"
	"figure{margin:1em 0}\n"
	"svg.chart{display:block;width:100%;height:auto;background:#fff;border:1px solid #ddd}\n"
	"figcaption{font-size:.9em;color:#444;margin-top:.3em}\n"
	".pair{display:grid;grid-template-columns:minmax(0,1fr);gap:.2em 1.5em;align-items:start}\n"
	"@media (min-width:1900px){main{max-width:2200px}"
	".pair{grid-template-columns:1250px minmax(0,1fr)}}\n"
	"p.missing{border-left:6px solid #999;padding-left:.6em;font-style:italic}\n"
	"p.note{border-left:4px solid #bbb;padding-left:.6em;font-size:.88em;color:#333}\n"
	"@media print{body{font-size:10pt}main{max-width:none;padding:0}"
	"nav.toc{break-after:page}h2,h3{break-after:avoid}figure{break-inside:avoid}"
	"tr{break-inside:avoid}a{color:inherit;text-decoration:none}"
	"svg.chart{border:none}}\n";

/* The <span> that marks a cell with its name's palette colour, when it has one. */
static void html_swatch(const struct rdoc *d, FILE *f, const char *cell)
{
	char name[64];
	const char *c;
	size_t len = strlen(cell);

	if (!d->swatch || len >= sizeof(name))
		return;
	if (len > 2 && cell[0] == '`' && cell[len - 1] == '`')
		snprintf(name, sizeof(name), "%.*s", (int)(len - 2), cell + 1);
	else
		snprintf(name, sizeof(name), "%s", cell);
	c = d->swatch(name);
	if (c && c[0] == '#' && strspn(c + 1, "0123456789abcdefABCDEF") == 6 && !c[7])
		fprintf(f, "<span class=\"sw\" style=\"background:%s\"></span>", c);
}

static void html_table(const struct rdoc *d, FILE *f, const struct rdoc_block *b)
{
	fputs(b->ncols > DENSE_COLS ? "<div class=\"wide\"><table class=\"dense\">\n"
				   : "<div class=\"wide\"><table>\n", f);
	for (size_t i = 0; i < b->ncells; i++) {
		size_t c = i % b->ncols;
		const char *tag = i < b->ncols ? "th" : "td";

		if (c == 0)
			fputs(i == 0 ? "<thead><tr>" : i == b->ncols ? "<tbody><tr>" : "<tr>", f);
		fprintf(f, "<%s%s>", tag, b->right[c] ? " class=\"num\"" : "");
		if (i >= b->ncols && c == 0)
			html_swatch(d, f, b->cells[i]);
		html_text(f, b->cells[i]);
		fprintf(f, "</%s>", tag);
		if (c + 1 == b->ncols || i + 1 == b->ncells)
			fputs(i < b->ncols ? "</tr></thead>\n" : "</tr>\n", f);
	}
	fputs(b->ncells > b->ncols ? "</tbody></table></div>\n" : "</table></div>\n", f);
}

/* One block as HTML; a heading gets the id "sec-<its index>". */
static void html_block(const struct rdoc *d, FILE *f, size_t i)
{
	const struct rdoc_block *b = &d->b[i];

	switch (b->kind) {
	case RDOC_HEADING:
		fprintf(f, "<h%d id=\"sec-%zu\">", b->level, i);
		html_text(f, b->text);
		fprintf(f, "</h%d>\n", b->level);
		break;
	case RDOC_PARA:
	case RDOC_NOTE:
		fputs(b->kind == RDOC_NOTE ? "<p class=\"note\">" : "<p>", f);
		html_text(f, b->text);
		fputs("</p>\n", f);
		break;
	case RDOC_TABLE:
		html_table(d, f, b);
		break;
	case RDOC_CHART:
		if (b->svg) {
			fprintf(f, "<figure data-chart=\"%s\">\n%s\n<figcaption>", b->name, b->svg);
			html_text(f, b->text);
			fputs("</figcaption>\n</figure>\n", f);
		} else {
			fputs("<p class=\"missing\">Chart not drawn in this run: ", f);
			html_text(f, b->text);
			fputs(" (no <code>", f);
			html_esc(f, b->name, strlen(b->name));
			fputs(".svg</code>).</p>\n", f);
		}
		break;
	}
}

/* The table of contents: every level-2 heading, its level-3 ones nested, linked by id. */
static void html_toc(const struct rdoc *d, FILE *f)
{
	int open2 = 0, open3 = 0;

	fputs("<nav class=\"toc\" aria-label=\"Contents\"><strong>Contents</strong>\n<ol>\n", f);
	for (size_t i = 0; i < d->n; i++) {
		const struct rdoc_block *b = &d->b[i];

		if (b->kind != RDOC_HEADING || b->level < 2)
			continue;
		if (b->level == 2) {
			fputs(open3 ? "</li></ol></li>\n" : open2 ? "</li>\n" : "", f);
			open3 = 0;
			open2 = 1;
		} else if (!open3) {
			fputs(open2 ? "\n<ol>\n" : "<li><ol>\n", f);
			open3 = open2 = 1;
		} else {
			fputs("</li>\n", f);
		}
		fprintf(f, "<li><a href=\"#sec-%zu\">", i);
		html_text(f, b->text);
		fputs("</a>", f);
	}
	fputs(open3 ? "</li></ol></li>\n" : open2 ? "</li>\n" : "", f);
	fputs("</ol>\n</nav>\n", f);
}

int rdoc_write_html(const struct rdoc *d, FILE *f, const char *title)
{
	int toc = 0;

	if (d->oom)
		return -ENOMEM;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	html_esc(f, title, strlen(title));
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n", html_style);
	fprintf(f, "<body data-charts=\"%zu\" data-tables=\"%zu\">\n<main>\n", rdoc_html_charts(d),
		rdoc_tables(d));
	for (size_t i = 0; i < d->n; i++) {
		const struct rdoc_block *b = &d->b[i];
		int pair = b->kind == RDOC_CHART && i + 1 < d->n && d->b[i + 1].kind == RDOC_TABLE;

		if (!toc && b->kind == RDOC_HEADING && b->level >= 2) {
			html_toc(d, f);
			toc = 1;
		}
		if (pair)
			fputs("<div class=\"pair\">\n", f);
		html_block(d, f, i);
		if (pair) {
			html_block(d, f, ++i);
			fputs("</div>\n", f);
		}
	}
	fputs("</main>\n</body>\n</html>\n", f);
	return ferror(f) ? -EIO : 0;
}
