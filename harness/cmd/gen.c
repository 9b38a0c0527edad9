/*
 * gen.c - `routebench gen routes|numbers`: synthetic datasets on the command line.
 *
 * Only argument checking lives here; gen.c writes the bytes, so the CLI, the benchmark harness
 * and the tests produce the same files from the same arguments. O(count) time and memory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "dataset.h"
#include "gen.h"
#include "load.h"

#define CACHE_HELP                                                                             \
	"  --cached          generate into the cache folder unless the file is there already,\n" \
	"                    and print its path; the folder is $RB_CACHE_DIR if set, else\n"     \
	"                    " DS_DEFAULT_CACHE_DIR " under the current directory\n"

static const char gen_help[] =
	"usage: routebench gen routes --count N [--seed S] [--shape makeschool|uniform]\n"
	"                             [--carrier I] [-o FILE | --cached]\n"
	"       routebench gen numbers --count N --routes FILE [--seed S] [--hit-ratio R]\n"
	"                              [-o FILE | --cached]\n"
	"\n"
	"Generate synthetic carrier route lists and phone numbers. The same arguments give the\n"
	"same bytes on every machine. 'routebench gen routes --help' and 'routebench gen numbers\n"
	"--help' describe each; the cache folder (--cached) is $RB_CACHE_DIR if set, else\n"
	DS_DEFAULT_CACHE_DIR " under the current directory.\n";

static const char routes_help[] =
	"usage: routebench gen routes --count N [--seed S] [--shape makeschool|uniform]\n"
	"                             [--carrier I] [-o FILE | --cached]\n"
	"\n"
	"Write N route lines '+DIGITS,COST' in shuffled order.\n"
	"  makeschool  like the course's data: country codes 1 (US area codes), 33, 34, 44, 49,\n"
	"              61, 64, 81, 82, 86; 4-6 digit area routes with most routes 7-10 digits\n"
	"              nested under them (up to 12); two-decimal costs banded by country (US\n"
	"              0.01-0.11 ... China 0.40-1.30); 1 line in 20 relists a prefix at another\n"
	"              cost. Carriers of one seed share the areas and 60% of their prefixes.\n"
	"  uniform     random digit strings of random length (up to 12 digits, starting from\n"
	"              1 + the digits of N so little nests), costs 0.0001-2.0000.\n"
	"\n"
	"  --count N         lines to write (suffixes K, M, G; at most 100M)\n"
	"  --seed S          PRNG seed (default 1)\n"
	"  --shape SHAPE     makeschool (default) or uniform\n"
	"  --carrier I       carrier number (default 0): another carrier of the same seed\n"
	"  -o, --output FILE write FILE atomically (temp file + rename); '-' or none: stdout\n"
	CACHE_HELP
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 success, 1 I/O error, 2 usage error.\n";

static const char numbers_help[] =
	"usage: routebench gen numbers --count N --routes FILE [--seed S] [--hit-ratio R]\n"
	"                              [-o FILE | --cached]\n"
	"\n"
	"Write N phone numbers '+DIGITS' of 11-14 digits (a longer route: its length). A share R\n"
	"of them extends a route of FILE (half a random line, half a random route of a random\n"
	"length, so short routes are drawn too) and so matches it; the rest are random digits,\n"
	"which mostly match nothing (some do by chance). R becomes the integer threshold\n"
	"floor(R * 2^32) on 32 random bits.\n"
	"\n"
	"  --count N         numbers to write (suffixes K, M, G; at most 100M)\n"
	"  --routes FILE     the route list the numbers are drawn against\n"
	"  --seed S          PRNG seed (default 1)\n"
	"  --hit-ratio R     share of numbers made from a route, 0 to 1 (default 0.5)\n"
	"  -o, --output FILE write FILE atomically (temp file + rename); '-' or none: stdout\n"
	CACHE_HELP
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 success, 1 bad route file or I/O error, 2 usage error.\n";

enum {
	OPT_COUNT = 1, OPT_SEED, OPT_SHAPE, OPT_CARRIER, OPT_ROUTES, OPT_HIT, OPT_CACHED, OPT_OUT,
	OPT_HELP,
};

static const struct cli_option gen_options[] = {
	{ "count", CLI_VALUE, OPT_COUNT },
	{ "seed", CLI_VALUE, OPT_SEED },
	{ "shape", CLI_VALUE, OPT_SHAPE },
	{ "carrier", CLI_VALUE, OPT_CARRIER },
	{ "routes", CLI_VALUE, OPT_ROUTES },
	{ "hit-ratio", CLI_VALUE, OPT_HIT },
	{ "cached", CLI_NONE, OPT_CACHED },
	{ "output", CLI_VALUE, OPT_OUT },
	{ "o", CLI_VALUE, OPT_OUT },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* Everything either subcommand may be given; which ones apply is checked after parsing. */
struct gen_args {
	const char *what; /* "routes" or "numbers" */
	struct ds_gen_routes routes;
	struct ds_gen_numbers numbers;
	int have_count, have_shape, have_carrier, have_hit, cached;
	const char *out;
};

/* The value of one option into *a. 0, or CLI_USAGE after the message. */
static int gen_option(const struct cli_parser *p, int id, void *ctx)
{
	static const char *const shapes[] = { "makeschool", "uniform" }; /* enum ds_shape order */
	struct gen_args *a = ctx;
	uint64_t v = 0;
	int k, rc = 0;

	switch (id) {
	case OPT_COUNT:
		rc = cli_count(p, 0, DS_MAX_COUNT, &v);
		a->routes.count = a->numbers.count = rc == 0 ? v : 0;
		a->have_count = 1;
		return rc;
	case OPT_SEED:
		rc = cli_count(p, 0, UINT64_MAX, &v);
		a->routes.seed = a->numbers.seed = rc == 0 ? v : 0;
		return rc;
	case OPT_SHAPE:
		rc = cli_choice(p, shapes, 2, &k);
		a->routes.shape = rc == 0 ? (enum ds_shape)k : a->routes.shape;
		a->have_shape = 1;
		return rc;
	case OPT_CARRIER:
		rc = cli_count(p, 0, UINT32_MAX, &v);
		a->routes.carrier = (unsigned)v;
		a->have_carrier = 1;
		return rc;
	case OPT_ROUTES: a->numbers.routes_path = p->arg; return 0;
	case OPT_HIT:
		a->have_hit = 1;
		return cli_real(p, 0, 1, &a->numbers.hit_ratio);
	case OPT_CACHED: a->cached = 1; return 0;
	case OPT_OUT: a->out = p->arg; return 0;
	default: return 0;
	}
}

/* Which options go with which dataset. 0 or CLI_USAGE. */
static int gen_check(const struct gen_args *a)
{
	int routes = strcmp(a->what, "routes") == 0;

	if (!a->have_count)
		return cli_usage_error("gen", "%s needs --count N", a->what);
	if (a->cached && a->out)
		return cli_usage_error("gen", "-o and --cached exclude each other");
	if (routes && (a->numbers.routes_path || a->have_hit))
		return cli_usage_error("gen", "--routes and --hit-ratio are for 'gen numbers'");
	if (!routes && (a->have_shape || a->have_carrier))
		return cli_usage_error("gen", "--shape and --carrier are for 'gen routes'");
	if (!routes && !a->numbers.routes_path)
		return cli_usage_error("gen", "numbers needs --routes FILE");
	return 0;
}

/* Parse argv (argv[0] is "routes" or "numbers") into *a. 0, -1 after --help, or 2. */
static int parse_args(int argc, char **argv, struct gen_args *a)
{
	int routes = strcmp(a->what, "routes") == 0, rc;
	struct cli_parser p;

	cli_init(&p, "routebench gen", argc, argv, gen_options);
	rc = cli_parse_all(&p, routes ? routes_help : numbers_help, gen_option, a);
	return rc ? rc : gen_check(a);
}

static int run(const struct gen_args *a)
{
	int routes = strcmp(a->what, "routes") == 0, rc;
	const char *target = a->out && strcmp(a->out, "-") ? a->out : "stdout";
	char path[4096];
	struct ds_error err = { .what = "" };

	if (a->cached) {
		target = ds_cache_dir();
		rc = routes ? ds_gen_cached_routes(&a->routes, NULL, path, sizeof(path))
			    : ds_gen_cached_numbers(&a->numbers, NULL, path, sizeof(path));
		if (rc == 0)
			puts(path);
	} else if (routes) {
		rc = ds_gen_routes_file(&a->routes, a->out);
	} else {
		rc = ds_gen_numbers_file(&a->numbers, a->out, &err);
	}
	if (rc == 0)
		return 0;
	if (routes || rc != -EINVAL) {
		fprintf(stderr, "routebench gen: %s: %s\n", target, strerror(-rc));
		return 1;
	}
	/* The arguments are checked, so the route file is at fault; the cache does not say how. */
	if (!err.what[0]) {
		struct ds_routes r = { 0 };

		if (ds_load_routes(a->numbers.routes_path, 0, &r, &err) == 0) {
			snprintf(err.path, sizeof(err.path), "%s", a->numbers.routes_path);
			snprintf(err.what, sizeof(err.what), "no routes to extend into hits "
				 "(only --hit-ratio 0 needs none)");
			err.line = 0;
		}
		ds_routes_free(&r);
	}
	ds_error_print(&err, stderr);
	return 1;
}

int cmd_gen(int argc, char **argv)
{
	struct gen_args a = {
		.routes = { .seed = 1, .shape = DS_SHAPE_MAKESCHOOL },
		.numbers = { .seed = 1, .hit_ratio = 0.5 },
	};
	int rc;

	if (argc < 2)
		return cli_usage_error("gen", "routes or numbers?");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(gen_help, stdout);
		return 0;
	}
	if (strcmp(argv[1], "routes") != 0 && strcmp(argv[1], "numbers") != 0)
		return cli_usage_error("gen", "unknown dataset '%s' (routes or numbers)", argv[1]);
	a.what = argv[1];
	rc = parse_args(argc - 1, argv + 1, &a);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	return run(&a);
}
