/*
 * breakdown.c - print a table's rt_stats component by component: as a table, as CSV rows, and
 * several tables' totals side by side. Only stdio: any part of the harness can call it.
 *
 * O(components) per table. Lesson: each optimisation from trie to lazytrie shows up as one line
 * shrinking, so its effect can be read off directly.
 */
#include "breakdown.h"

/* Bytes the components list, and what total_bytes counts beyond them. */
static size_t listed_bytes(const struct rt_stats *s)
{
	size_t sum = 0;

	for (size_t i = 0; i < s->n_components; i++)
		sum += s->comp[i].bytes;
	return sum;
}

static void print_per_route(FILE *f, size_t bytes, size_t n_routes)
{
	if (n_routes)
		fprintf(f, " %13.2f", (double)bytes / (double)n_routes);
	else
		fprintf(f, " %13s", "");
}

void bench_breakdown_print(FILE *f, const char *impl, const struct rt_stats *s, size_t n_routes)
{
	size_t listed = listed_bytes(s);
	double total = s->total_bytes ? (double)s->total_bytes : 1.0;

	fprintf(f, "%s: %zu routes, %zu prefixes, %zu nodes\n", impl, n_routes, s->prefixes,
		s->nodes);
	fprintf(f, "  %-28s %12s %14s %13s %7s\n", "component", "count", "bytes", "bytes/route",
		"share");
	for (size_t i = 0; i < s->n_components; i++) {
		const struct rt_component *c = &s->comp[i];

		fprintf(f, "  %-28s %12zu %14zu", c->name ? c->name : "?", c->count, c->bytes);
		print_per_route(f, c->bytes, n_routes);
		fprintf(f, " %6.1f%%\n", 100.0 * (double)c->bytes / total);
	}
	if (listed < s->total_bytes) {
		fprintf(f, "  %-28s %12s %14zu", "(other)", "", s->total_bytes - listed);
		print_per_route(f, s->total_bytes - listed, n_routes);
		fprintf(f, " %6.1f%%\n", 100.0 * (double)(s->total_bytes - listed) / total);
	}
	fprintf(f, "  %-28s %12s %14zu", "total", "", s->total_bytes);
	print_per_route(f, s->total_bytes, n_routes);
	fprintf(f, " %6.1f%%\n", s->total_bytes ? 100.0 : 0.0);
}

/* name with commas and quotes replaced, for one CSV field. */
static void csv_field(FILE *f, const char *name)
{
	for (const char *p = name ? name : "?"; *p; p++)
		fputc(*p == ',' || *p == '"' || *p == '\n' ? ';' : *p, f);
}

static void csv_row(FILE *f, const char *impl, const char *name, size_t count, size_t bytes,
		    size_t n_routes)
{
	csv_field(f, impl);
	fputc(',', f);
	csv_field(f, name);
	fprintf(f, ",%zu,%zu,", count, bytes);
	if (n_routes)
		fprintf(f, "%.4f", (double)bytes / (double)n_routes);
	fputc('\n', f);
}

void bench_breakdown_csv(FILE *f, const char *impl, const struct rt_stats *s, size_t n_routes,
			 int header)
{
	size_t listed = listed_bytes(s);

	if (header)
		fprintf(f, "impl,component,count,bytes,bytes_per_route\n");
	for (size_t i = 0; i < s->n_components; i++)
		csv_row(f, impl, s->comp[i].name, s->comp[i].count, s->comp[i].bytes, n_routes);
	if (listed < s->total_bytes)
		csv_row(f, impl, "(other)", 0, s->total_bytes - listed, n_routes);
	csv_row(f, impl, "total", s->nodes, s->total_bytes, n_routes);
}

void bench_breakdown_compare(FILE *f, const char *const *impls, const struct rt_stats *s, size_t k,
			     size_t n_routes)
{
	if (k == 0)
		return;
	fprintf(f, "  %-14s %14s %13s %10s  vs %s\n", "impl", "total bytes", "bytes/route",
		"nodes", impls[0]);
	for (size_t i = 0; i < k; i++) {
		fprintf(f, "  %-14s %14zu", impls[i], s[i].total_bytes);
		print_per_route(f, s[i].total_bytes, n_routes);
		fprintf(f, " %10zu", s[i].nodes);
		if (s[0].total_bytes)
			fprintf(f, "  %7.2f%%\n",
				100.0 * (double)s[i].total_bytes / (double)s[0].total_bytes);
		else
			fprintf(f, "  %8s\n", "-");
	}
}
