/*
 * price.c - `routebench price`: the real job. Each --routes file is one carrier; every number
 * gets its carrier's longest matching prefix, and the cheapest carrier wins.
 *
 * Everything is read and checked before a byte is written, so bad input leaves no output; the
 * output itself is atomic (outfile.c). Carriers are built and queried one at a time, so peak
 * memory is one table, not K. --strategy stream instead indexes the numbers (stream.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "build.h"
#include "image.h"
#include "load.h"
#include "outfile.h"
#include "plugin_arg.h"
#include "registry.h"
#include "stream.h"


static const char price_help[] =
	"usage: routebench price [--impl NAME | --plugin FILE.so] --routes FILE\n"
	"                        [--routes FILE ...] --numbers FILE\n"
	"                        [-o OUT] [--skip-invalid] [--strategy index|stream]\n"
	"       routebench price --image FILE.rbi [--image ...] [--routes FILE ...] --numbers FILE\n"
	"                        [--no-verify] [-o OUT]\n"
	"\n"
	"Price each phone number in --numbers: within each carrier (one --routes file each) the\n"
	"longest matching prefix wins and a prefix listed twice keeps its lowest cost; across\n"
	"carriers the lowest cost wins. Prints NUMBER,COST per input number, in input order;\n"
	"no route in any carrier prints 0.\n"
	"\n"
	"  --impl NAME       lookup structure (default %s; see 'routebench list')\n"
	"  --plugin FILE.so  a structure from a shared object (README \"Plugins\")\n"
	"  --routes FILE     a carrier's route list, lines '+DIGITS,COST' (repeat per carrier)\n"
	"  --image FILE.rbi  a carrier's table from 'routebench image build' (repeat per carrier):\n"
	"                    mapped and used in place, no parse, no build; its implementation is\n"
	"                    the one it was built with (--impl applies to --routes only)\n"
	"  --no-verify       skip an image's payload checksum (its structure is still checked)\n"
	"  --numbers FILE    phone numbers, lines '+DIGITS' (1 to 15 digits)\n"
	"                    (one FILE, routes or numbers, may be '-': standard input)\n"
	"  -o, --output OUT  write to OUT atomically (temp file + rename) instead of stdout\n"
	"  --skip-invalid    skip invalid lines instead of failing; counts are reported per file\n"
	"  --strategy S      index: build a table per carrier and look every number up (default);\n"
	"                    stream: index the numbers' prefixes and stream each carrier file\n"
	"                    once (--impl is then unused); same answers, wins with few numbers\n"
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 success, 1 bad input or I/O error (nothing written), 2 usage error.\n";

struct price_args {
	const struct route_table_ops *ops;
	const char **routes; /* argc-sized array of carrier files */
	size_t n_routes;
	const char **images; /* argc-sized array of carrier images */
	size_t n_images;
	unsigned image_flags; /* RT_IMAGE_NO_VERIFY */
	const char *numbers;
	const char *out;
	int skip_invalid;
	int stream; /* --strategy stream */
};

enum {
	OPT_IMPL = 1, OPT_PLUGIN, OPT_ROUTES, OPT_NUMBERS, OPT_OUT, OPT_SKIP, OPT_STRATEGY, OPT_IMAGE,
	OPT_NO_VERIFY, OPT_HELP,
};

static const struct cli_option price_options[] = {
	{ "impl", CLI_VALUE, OPT_IMPL },
	{ "plugin", CLI_VALUE, OPT_PLUGIN },
	{ "routes", CLI_VALUE, OPT_ROUTES },
	{ "numbers", CLI_VALUE, OPT_NUMBERS },
	{ "output", CLI_VALUE, OPT_OUT },
	{ "o", CLI_VALUE, OPT_OUT },
	{ "skip-invalid", CLI_NONE, OPT_SKIP },
	{ "strategy", CLI_VALUE, OPT_STRATEGY },
	{ "image", CLI_VALUE, OPT_IMAGE },
	{ "no-verify", CLI_NONE, OPT_NO_VERIFY },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* What the options fill: the arguments, and the --impl name (the default until one is given). */
struct price_parse {
	struct price_args *a;
	const char *impl;
};

/* The value of one option into *ctx, a price_parse. 0, -1 after --help, or CLI_USAGE. */
static int price_option(const struct cli_parser *p, int id, void *ctx)
{
	static const char *const strategies[] = { "index", "stream" };
	struct price_parse *s = ctx;
	struct price_args *a = s->a;
	int k, rc;

	switch (id) {
	case OPT_IMPL: s->impl = p->arg; return 0;
	case OPT_PLUGIN: return cmd_plugin_arg("price", p->arg, &s->impl); /* 0, or 1: bad input */
	case OPT_ROUTES: a->routes[a->n_routes++] = p->arg; return 0;
	case OPT_NUMBERS:
		if (a->numbers)
			return cli_bad(p, "given twice");
		a->numbers = p->arg;
		return 0;
	case OPT_OUT: a->out = p->arg; return 0;
	case OPT_SKIP: a->skip_invalid = 1; return 0;
	case OPT_IMAGE: a->images[a->n_images++] = p->arg; return 0;
	case OPT_NO_VERIFY: a->image_flags |= RT_IMAGE_NO_VERIFY; return 0;
	case OPT_STRATEGY:
		rc = cli_choice(p, strategies, 2, &k);
		a->stream = rc == 0 && k == 1;
		return rc;
	case OPT_HELP: printf(price_help, s->impl); return CLI_HELP;
	default: return 0;
	}
}

/* Options into *a. 0, -1 after --help, or CLI_USAGE. */
static int parse_args(int argc, char **argv, struct price_args *a)
{
	struct price_parse s = { a, rt_find_flag(RT_F_DEFAULT)->name };
	const char *impl;
	struct cli_parser p;
	int rc;

	cli_init(&p, "routebench price", argc, argv, price_options);
	rc = cli_parse_all(&p, NULL, price_option, &s);
	impl = s.impl;
	if (rc != 0)
		return rc;
	if (a->n_routes + a->n_images == 0)
		return cli_usage_error("price", "at least one --routes FILE or --image FILE is "
				       "required");
	if (a->n_images && a->stream)
		return cli_usage_error("price", "--image works with the index strategy only");
	if (!a->numbers)
		return cli_usage_error("price", "--numbers FILE is required");
	int stdin_uses = strcmp(a->numbers, "-") == 0;

	for (size_t k = 0; k < a->n_routes; k++)
		stdin_uses += strcmp(a->routes[k], "-") == 0;
	if (stdin_uses > 1)
		return cli_usage_error("price", "only one of --routes and --numbers may be '-' "
						"(standard input)");
	a->ops = rt_find(impl);
	if (!a->ops)
		return cli_usage_error("price", "--impl: no implementation named '%s' (see "
						"'routebench list')", impl);
	return 0;
}

/* Map and open one carrier's image and price with it. 0, or 1 after printing the error. */
static int price_image(const char *path, unsigned flags, const struct ds_numbers *numbers,
		       uint64_t *best)
{
	struct rt_image_map m;
	struct rt_image_error err;
	struct route_table *t;
	char why[160];
	int rc = rt_image_map_file(path, flags, &m);

	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(-rc));
		return 1;
	}
	rc = rt_image_open(m.base, m.size, flags, &t, &err);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", path, rt_image_strerror(&err, why, sizeof(why)));
	} else {
		pricing_price_table(t, numbers->v, numbers->n, best);
		rt_destroy(t);
	}
	rt_image_unmap(&m);
	return rc != 0;
}

static void report_skipped(const char *path, size_t skipped)
{
	fprintf(stderr, "routebench price: %s: skipped %zu invalid line%s\n", path, skipped,
		skipped == 1 ? "" : "s");
}

/* The stream strategy: one pass over each carrier file. 0, or 1 after printing the error. */
static int price_stream(const struct price_args *a, const struct ds_numbers *numbers,
			uint64_t *best)
{
	size_t *skipped = calloc(a->n_routes, sizeof(*skipped));
	struct ds_error err;
	int rc = 1;

	if (!skipped) {
		fprintf(stderr, "routebench price: out of memory\n");
		return 1;
	}
	if (stream_price(a->routes, a->n_routes, a->skip_invalid, numbers, best, skipped, NULL,
			 &err) != 0) {
		ds_error_print(&err, stderr);
	} else {
		for (size_t k = 0; k < a->n_routes && a->skip_invalid; k++)
			report_skipped(a->routes[k], skipped[k]);
		rc = 0;
	}
	free(skipped);
	return rc;
}

/* Load and price every carrier into best[]. 0, or 1 after printing what went wrong. */
static int price_all(const struct price_args *a, const struct ds_numbers *numbers,
		     uint64_t *best)
{
	for (size_t k = 0; k < a->n_routes; k++) {
		struct ds_routes routes = { 0 };
		struct ds_error err;
		int rc;

		if (ds_load_routes(a->routes[k], a->skip_invalid, &routes, &err) != 0) {
			ds_error_print(&err, stderr);
			ds_routes_free(&routes);
			return 1;
		}
		if (a->skip_invalid)
			report_skipped(a->routes[k], routes.skipped);
		if (routes.n == 0) {
			fprintf(stderr, "%s: no routes in the file\n", a->routes[k]);
			ds_routes_free(&routes);
			return 1;
		}
		rc = pricing_price_carrier(a->ops, &routes, numbers->v, numbers->n, best);
		ds_routes_free(&routes);
		if (rc != 0) {
			fprintf(stderr, "%s: cannot build the %s table: %s\n", a->routes[k],
				a->ops->name, strerror(-rc));
			return 1;
		}
	}
	for (size_t k = 0; k < a->n_images; k++)
		if (price_image(a->images[k], a->image_flags, numbers, best) != 0)
			return 1;
	return 0;
}

/* Write NUMBER,COST lines. 0, or 1 after printing the error (no partial file is left). */
static int write_answers(const char *out, const struct ds_numbers *numbers,
			 const uint64_t *best)
{
	struct rb_outfile o;
	char line[64];
	int rc = rb_outfile_open(&o, out);

	if (rc != 0) {
		fprintf(stderr, "%s: cannot create output: %s\n", out, strerror(-rc));
		return 1;
	}
	for (size_t i = 0; i < numbers->n; i++) {
		size_t n = 0;

		line[n++] = '+';
		memcpy(line + n, numbers->v[i].digits, numbers->v[i].len);
		n += numbers->v[i].len;
		line[n++] = ',';
		n += ds_format_cost(best[i], line + n);
		line[n++] = '\n';
		if (fwrite(line, 1, n, o.f) != n)
			break;
	}
	rc = rb_outfile_commit(&o);
	if (rc != 0) {
		fprintf(stderr, "%s: cannot write output: %s\n", out ? out : "stdout",
			strerror(-rc));
		return 1;
	}
	return 0;
}

int cmd_price(int argc, char **argv)
{
	struct price_args a = { 0 };
	struct ds_numbers numbers = { 0 };
	struct ds_error err;
	uint64_t *best = NULL;
	int rc;

	a.routes = calloc((size_t)argc, sizeof(*a.routes));
	a.images = calloc((size_t)argc, sizeof(*a.images));
	if (!a.routes || !a.images) {
		free(a.routes);
		free(a.images);
		return 1;
	}
	rc = parse_args(argc, argv, &a);
	if (rc != 0) {
		free(a.images);
		free(a.routes);
		return rc < 0 ? 0 : rc;
	}
	rc = 1;
	if (ds_load_numbers(a.numbers, a.skip_invalid, &numbers, &err) != 0) {
		ds_error_print(&err, stderr);
		goto out;
	}
	if (a.skip_invalid)
		report_skipped(a.numbers, numbers.skipped);
	best = malloc((numbers.n ? numbers.n : 1) * sizeof(*best));
	if (!best) {
		fprintf(stderr, "routebench price: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < numbers.n; i++)
		best[i] = RT_NO_ROUTE;
	if ((a.stream ? price_stream(&a, &numbers, best) : price_all(&a, &numbers, best)) == 0)
		rc = write_answers(a.out, &numbers, best);
out:
	free(best);
	ds_numbers_free(&numbers);
	free(a.images);
	free(a.routes);
	return rc;
}
