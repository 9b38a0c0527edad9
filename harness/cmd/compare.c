/*
 * compare.c - `routebench compare RUN_A RUN_B`: the command line over harness/compare/.
 *
 * Options only; the matching, the ratios and the U test live in the compare layer.
 */
#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "compare.h"

static const char compare_help[] =
	"usage: routebench compare RUN_A RUN_B [--threshold PCT] [--alpha P] [--csv]\n"
	"                          [--allow-incomplete]\n"
	"\n"
	"Compare two run folders of routebench bench, B against A. Cells are matched by\n"
	"implementation, allocator, routes, carriers and strategy; for each, the ratios B/A of\n"
	"build time, lookup time (the medians), peak RSS and bytes per route, and a two-sided\n"
	"Mann-Whitney U test over the cells' per-repetition lookup samples (cells.csv column\n"
	"lookup_samples): exact for small samples without ties, else the normal approximation\n"
	"with tie correction, as Google Benchmark's tools/compare.py does it. With fewer than 9\n"
	"repetitions a side the test has little power, and it says so. Builds are not repeated,\n"
	"so build B/A is a ratio without a test. Cells found in one run only are listed in\n"
	"their own section. The runs' machine, build and allocator versions (meta.json) are\n"
	"shown side by side, with a warning line for each field that differs.\n"
	"\n"
	"  --threshold PCT     exit 1 when some cell's lookup time is more than PCT% slower in\n"
	"                      B and the difference is significant (p < --alpha): a CI gate\n"
	"  --alpha P           significance level, 0 to 1 exclusive (default 0.05)\n"
	"  --csv               CSV for machines instead of Markdown (warnings on stderr)\n"
	"  --allow-incomplete  compare runs whose meta.json says \"complete\": false (refused\n"
	"                      by default)\n"
	"  -h, --help          this help\n"
	"\n"
	"Exit status: 0 compared (and no regression over --threshold), 1 a regression over\n"
	"--threshold, an unreadable or incomplete run, 2 usage error.\n";

/* What the options fill: *o, and the two run folders. */
struct compare_parse {
	struct compare_opts *o;
	const char **dir;
	int n;
};

/* One option's value, or a folder, into *ctx, a struct compare_parse. 0, -1 or CLI_USAGE. */
static int compare_option(const struct cli_parser *p, int id, void *ctx)
{
	struct compare_parse *s = ctx;
	struct compare_opts *o = s->o;

	switch (id) {
	case 't':
		if (cli_real(p, 0, HUGE_VAL, &o->threshold_pct) != 0)
			return CLI_USAGE;
		break;
	case 'a':
		if (cli_real(p, 0, 1, &o->alpha) != 0)
			return CLI_USAGE;
		if (o->alpha <= 0 || o->alpha >= 1)
			return cli_bad(p, "'%s' is not between 0 and 1 exclusive", p->arg);
		break;
	case 'c': o->csv = 1; break;
	case 'i': o->allow_incomplete = 1; break;
	case CLI_OPERAND:
		if (s->n == 2)
			return cli_usage_error("compare", "two run folders ('%s' is a third)",
					       p->arg);
		s->dir[s->n++] = p->arg;
		break;
	}
	return 0;
}

/* Parse the options into *o and the two folders. 0, CLI_HELP (help shown) or CLI_USAGE. */
static int parse(int argc, char **argv, struct compare_opts *o, const char **dir)
{
	static const struct cli_option opts[] = {
		{ "threshold", CLI_VALUE, 't' }, { "alpha", CLI_VALUE, 'a' },
		{ "csv", CLI_NONE, 'c' },        { "allow-incomplete", CLI_NONE, 'i' },
		{ "help", CLI_NONE, 'h' },       { "h", CLI_NONE, 'h' },
		{ NULL, 0, 0 },
	};
	struct compare_parse s = { o, dir, 0 };
	struct cli_parser p;
	int rc;

	cli_init(&p, "routebench compare", argc, argv, opts);
	p.operands = 1;
	rc = cli_parse_all(&p, compare_help, compare_option, &s);
	if (rc != 0)
		return rc;
	if (s.n != 2)
		return cli_usage_error("compare", "two run folders wanted, RUN_A and RUN_B");
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_opts o = { .threshold_pct = NAN, .alpha = 0.05 };
	struct compare_result r;
	const char *dir[2];
	int rc = parse(argc, argv, &o, dir);

	if (rc)
		return rc == CLI_HELP ? 0 : rc;
	rc = compare_runs(dir[0], dir[1], &o, &r);
	if (rc == 0) {
		compare_print(&r, &o, stdout, stderr);
		rc = r.n_regressed ? 1 : 0;
		if (r.n_regressed)
			fprintf(stderr, "routebench compare: %zu cells regressed by more than %g%% "
					"(p < %g)\n", r.n_regressed, o.threshold_pct, o.alpha);
	} else {
		rc = 1;
	}
	compare_free(&r);
	if (fflush(stdout) != 0) {
		perror("routebench compare: stdout");
		rc = 1;
	}
	return rc;
}
