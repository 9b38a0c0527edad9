/*
 * report.c - `routebench report`: the command line over harness/report/ (report.h).
 *
 * Options only; every figure and sentence is computed by the report layer from the run.
 */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "report.h"

static const char report_help[] =
	"usage: routebench report [RUN_DIR] [--micro DIR] [--massif DIR] [--api DIR]\n"
	"                         [--derived-only]\n"
	"       routebench report --palette DIR\n"
	"\n"
	"Write RUN_DIR/REPORT.md and RUN_DIR/REPORT.html (default RUN_DIR: results/latest): the\n"
	"machine (meta.json), each implementation's claimed complexity beside the one Google\n"
	"Benchmark fitted (micro-fit.csv), then one section per lesson with its chart, a table of\n"
	"the run's figures and sentences computed from them: one number, scan or index; when\n"
	"building pays off; what each trie optimisation saved; what the allocator adds per node;\n"
	"the Pareto frontier of bytes per route against lookup time; and, when the run has\n"
	"impl=stream rows, the stream strategy against the indexes; then, from the scenario run\n"
	"(--api), what a request to `routebench serve` costs and who holds the spike, and what\n"
	"an update costs each way. REPORT.html is one page with the charts' SVG inlined and no\n"
	"script. Both files are replaced atomically.\n"
	"\n"
	"It also writes RUN_DIR/crossover.csv and RUN_DIR/pareto.csv: the figures the crossover\n"
	"and Pareto charts draw (lines, crossings, winners, the frontier), computed by the same\n"
	"rules as the report's sentences, so plots/ draws them and recomputes nothing; panels.csv\n"
	"(which series each chart panel draws) and palette.csv, palette.gp (one colour per\n"
	"implementation, from the registry). The micro and massif charts it shows are copied\n"
	"into RUN_DIR, so the folder stands alone.\n"
	"\n"
	"  --micro DIR    the routebench-micro run whose micro-fit.csv gives the fitted big-O\n"
	"                 (default: latest-micro beside RUN_DIR, e.g. results/latest-micro)\n"
	"  --massif DIR   the massif run whose massif.csv is set beside the allocator lesson\n"
	"                 (default: latest-massif beside RUN_DIR)\n"
	"  --api DIR      the scenario run (bench --scenario api,update: api.csv, update.csv)\n"
	"                 of the service lessons (default: latest-api beside RUN_DIR)\n"
	"  --derived-only write the derived figures and the palette only, not the report\n"
	"                 (make plots)\n"
	"  --palette DIR  write DIR/palette.csv and DIR/palette.gp only (make micro, make massif)\n"
	"  -h, --help     this help\n"
	"\n"
	"A missing micro or massif run is said so in the report, and so is an incomplete run\n"
	"(meta.json's \"complete\": false). meta.json is parsed as JSON (libjansson); the\n"
	"machine, build and library fields are read where routebench bench writes them.\n"
	"\n"
	"Exit status: 0 success, 1 no readable cells.csv or a file not written, 2 usage error.\n";

/* What the options fill: the files beside the run, the palette folder, the run folder. */
struct report_parse {
	const char *micro, *massif, *palette, *dir, *api;
	int derived_only;
};

/* One option's value, or the run folder, into *ctx, a struct report_parse. 0 or CLI_USAGE. */
static int report_option(const struct cli_parser *p, int id, void *ctx)
{
	struct report_parse *s = ctx;

	switch (id) {
	case 'm': s->micro = p->arg; break;
	case 's': s->massif = p->arg; break;
	case 'a': s->api = p->arg; break;
	case 'd': s->derived_only = 1; break;
	case 'p': s->palette = p->arg; break;
	case CLI_OPERAND:
		if (s->dir)
			return cli_usage_error("report", "one run folder at most ('%s' is extra)",
					       p->arg);
		s->dir = p->arg;
		break;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct cli_option opts[] = {
		{ "micro", CLI_VALUE, 'm' },
		{ "massif", CLI_VALUE, 's' },
		{ "api", CLI_VALUE, 'a' },
		{ "derived-only", CLI_NONE, 'd' },
		{ "palette", CLI_VALUE, 'p' },
		{ "help", CLI_NONE, 'h' },
		{ "h", CLI_NONE, 'h' },
		{ NULL, 0, 0 },
	};
	struct report_parse s = { 0 };
	struct cli_parser p;
	int rc;

	cli_init(&p, "routebench report", argc, argv, opts);
	p.operands = 1;
	rc = cli_parse_all(&p, report_help, report_option, &s);
	if (rc != 0)
		return rc == CLI_HELP ? 0 : rc;
	if (s.palette && s.dir)
		return cli_usage_error("report", "--palette takes its folder, not '%s'", s.dir);
	if (s.palette)
		return report_write_palette(s.palette) == 0 ? 0 : 1;
	if (!s.dir)
		s.dir = "results/latest";
	if (s.derived_only)
		return report_write_derived(s.dir) == 0 ? 0 : 1;
	return report_write(s.dir, s.micro, s.massif, s.api);
}
