/*
 * machine.c - `routebench machine`: the machine's own limits (membench.h) as a readable table,
 * a CSV or JSON: latency per working set, the L1/L2/LLC/DRAM figures, parallel random reads and
 * sequential bandwidth. Cost: about 40 s and 1 GiB of memory (--quick: a second or two).
 * Lesson: before asking why a lookup takes 60 ns, ask what one trip to DRAM costs here.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "membench.h"

static const char machine_help[] =
	"usage: routebench machine [--max-bytes N] [--quick] [--runs N] [--huge-pages]\n"
	"                          [--csv | --json] [-v]\n"
	"\n"
	"Measure the machine's own limits, each figure the median of a few runs:\n"
	"  - dependent-load latency: a pointer chase through one random cycle of 64-byte nodes,\n"
	"    at every power-of-two working set from 4 KiB to --max-bytes, in ns per load; the L1,\n"
	"    L2, LLC and DRAM figures are read at half the L1d, half the L2, 4x the L2 (at most a\n"
	"    quarter of the LLC; sizes from /sys/devices/system/cpu/cpu0/cache) and the largest\n"
	"    working set;\n"
	"  - independent random 64-byte reads over the largest working set: 1 to 32 chases\n"
	"    interleaved, in ns per read and reads per second (memory-level parallelism);\n"
	"  - sequential read bandwidth: summing the whole buffer with 32-byte (AVX2) or 16-byte\n"
	"    loads, in GB/s (10^9 bytes per second).\n"
	"The buffer is halved until it fits in half of MemAvailable. On a shared machine every\n"
	"figure reads slower than on an idle one.\n"
	"\n"
	"  --max-bytes N   largest working set, a power of two up to 1G (default 1G; K/M/G are\n"
	"                  powers of 1024)\n"
	"  --quick         up to 256 MiB at most, short runs (tests, bench)\n"
	"  --runs N        runs per figure (default 5, --quick 3)\n"
	"  --huge-pages    ask for transparent huge pages (madvise): DRAM latency without most\n"
	"                  TLB misses (the default, 4 KiB pages, is what the tables' heaps get)\n"
	"  --csv           figure,working_set_bytes,parallel,value,unit rows instead\n"
	"  --json          a JSON object instead\n"
	"  -v, --verbose   a line per step on stderr\n"
	"  -h, --help      this help\n"
	"\n"
	"Exit status: 0 success, 1 not enough memory, 2 usage error.\n";

struct machine_args {
	struct membench_opts o;
	int csv, json;
};

/* bytes as "4 KiB", "1 GiB" (powers of two) or a plain count. */
static const char *human(uint64_t b, char *buf, size_t cap)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB" };
	int u = 0;

	while (u < 3 && b >= 1024 && b % 1024 == 0) {
		b /= 1024;
		u++;
	}
	snprintf(buf, cap, "%" PRIu64 " %s", b, unit[u]);
	return buf;
}

static void cache_text(const char *name, const struct membench_cache *c, FILE *f)
{
	char b[32];

	if (!c->bytes)
		return;
	fprintf(f, " %s %s", name, human(c->bytes, b, sizeof(b)));
	if (c->ways)
		fprintf(f, " %u-way", c->ways);
	fputc(',', f);
}

static void print_table(const struct membench *m, FILE *f)
{
	const struct membench_parallel *one = &m->parallel[0];
	char b[32], b2[32];

	fprintf(f, "The machine's limits (median of %u runs each; a shared, busy machine reads "
		   "slower than an idle one)\ncaches (%s):",
		m->runs, m->caches.source);
	cache_text("L1d", &m->caches.l1d, f);
	cache_text("L1i", &m->caches.l1i, f);
	cache_text("L2", &m->caches.l2, f);
	cache_text("LLC", &m->caches.llc, f);
	fprintf(f, " %u B lines\n\n", m->caches.l1d.line);
	fprintf(f, "dependent loads (pointer chase, random cycle of 64 B nodes, %s pages):\n"
		   "  %12s %9s\n", m->huge_pages ? "huge" : "4 KiB", "working set", "ns/load");
	for (size_t i = 0; i < m->n_points; i++)
		fprintf(f, "  %12s %9.2f\n", human(m->point[i].bytes, b, sizeof(b)),
			m->point[i].ns);
	fprintf(f, "\nindependent random 64 B reads over %s (K chases interleaved):\n"
		   "  %6s %9s %14s %9s\n", human(m->max_bytes, b, sizeof(b)), "chases", "ns/read",
		"reads/s", "speed-up");
	for (size_t i = 0; i < m->n_parallel; i++) {
		const struct membench_parallel *p = &m->parallel[i];

		fprintf(f, "  %6u %9.2f %14.0f %8.1fx\n", p->chains, p->ns, 1e9 / p->ns,
			one->ns / p->ns);
	}
	fprintf(f, "\nsequential read of %s (%u-byte loads): %.2f GB/s\n\n",
		human(m->max_bytes, b, sizeof(b)), m->seq_read_width, m->seq_read_gb_s);
	fprintf(f, "  %-20s %12s  %s\n", "figure", "value", "working set");
	fprintf(f, "  %-20s %12.2f  %s\n", "l1_ns", m->l1_ns, human(m->l1_at, b, sizeof(b)));
	fprintf(f, "  %-20s %12.2f  %s\n", "l2_ns", m->l2_ns, human(m->l2_at, b, sizeof(b)));
	fprintf(f, "  %-20s %12.2f  %s\n", "llc_ns", m->llc_ns, human(m->llc_at, b, sizeof(b)));
	fprintf(f, "  %-20s %12.2f  %s%s\n", "dram_ns", m->dram_ns,
		human(m->dram_at, b, sizeof(b)),
		m->dram_beyond_llc ? "" : " (under 4x the LLC: partly a cache's figure)");
	fprintf(f, "  %-20s %12.2f  %s\n", "seq_read_gb_s", m->seq_read_gb_s,
		human(m->max_bytes, b, sizeof(b)));
	fprintf(f, "  %-20s %12.2f  %s (%u chases)\n", "random_read_ns", m->random_read_ns,
		human(m->max_bytes, b2, sizeof(b2)), m->random_read_chains);
	fprintf(f, "  %-20s %12.0f\n", "random_reads_per_s", m->random_reads_per_s);
}

static void print_csv(const struct membench *m, FILE *f)
{
	const struct {
		const char *name;
		uint64_t at;
		unsigned par;
		double v;
		const char *unit;
	} sum[] = {
		{ "l1_ns", m->l1_at, 1, m->l1_ns, "ns" },
		{ "l2_ns", m->l2_at, 1, m->l2_ns, "ns" },
		{ "llc_ns", m->llc_at, 1, m->llc_ns, "ns" },
		{ "dram_ns", m->dram_at, 1, m->dram_ns, "ns" },
		{ "seq_read_gb_s", m->max_bytes, 1, m->seq_read_gb_s, "GB/s" },
		{ "random_read_ns", m->max_bytes, m->random_read_chains, m->random_read_ns, "ns" },
		{ "random_reads_per_s", m->max_bytes, m->random_read_chains, m->random_reads_per_s,
		  "1/s" },
	};

	fprintf(f, "figure,working_set_bytes,parallel,value,unit\n");
	for (size_t i = 0; i < m->n_points; i++)
		fprintf(f, "latency,%" PRIu64 ",1,%.3f,ns\n", m->point[i].bytes, m->point[i].ns);
	for (size_t i = 0; i < m->n_parallel; i++)
		fprintf(f, "parallel_read,%" PRIu64 ",%u,%.3f,ns\n", m->max_bytes,
			m->parallel[i].chains, m->parallel[i].ns);
	for (size_t i = 0; i < sizeof(sum) / sizeof(sum[0]); i++)
		fprintf(f, "%s,%" PRIu64 ",%u,%.3f,%s\n", sum[i].name, sum[i].at, sum[i].par,
			sum[i].v, sum[i].unit);
}

static void json_cache(FILE *f, const char *name, const struct membench_cache *c, int last)
{
	fprintf(f, "    \"%s\": {\"bytes\": %" PRIu64 ", \"ways\": %u, \"line\": %u}%s\n", name,
		c->bytes, c->ways, c->line, last ? "" : ",");
}

static void print_json(const struct membench *m, FILE *f)
{
	fprintf(f, "{\n  \"machine\": {\n");
	membench_json_fields(f, "    ", m, 1);
	fprintf(f, "  },\n  \"caches\": {\n    \"source\": \"%s\",\n", m->caches.source);
	json_cache(f, "l1d", &m->caches.l1d, 0);
	json_cache(f, "l1i", &m->caches.l1i, 0);
	json_cache(f, "l2", &m->caches.l2, 0);
	json_cache(f, "llc", &m->caches.llc, 1);
	fprintf(f, "  },\n  \"runs\": %u,\n  \"huge_pages\": %s,\n  \"seq_read_width\": %u,\n",
		m->runs, m->huge_pages ? "true" : "false", m->seq_read_width);
	fprintf(f, "  \"levels_at\": {\"l1\": %" PRIu64 ", \"l2\": %" PRIu64 ", \"llc\": %" PRIu64
		   ", \"dram\": %" PRIu64 "},\n",
		m->l1_at, m->l2_at, m->llc_at, m->dram_at);
	fprintf(f, "  \"latency\": [\n");
	for (size_t i = 0; i < m->n_points; i++)
		fprintf(f, "    {\"bytes\": %" PRIu64 ", \"ns\": %.3f}%s\n", m->point[i].bytes,
			m->point[i].ns, i + 1 < m->n_points ? "," : "");
	fprintf(f, "  ],\n  \"parallel\": [\n");
	for (size_t i = 0; i < m->n_parallel; i++)
		fprintf(f, "    {\"chains\": %u, \"ns\": %.3f}%s\n", m->parallel[i].chains,
			m->parallel[i].ns, i + 1 < m->n_parallel ? "," : "");
	fprintf(f, "  ]\n}\n");
}

static int parse_args(int argc, char **argv, struct machine_args *a)
{
	static const struct option opts[] = {
		{ "max-bytes", required_argument, NULL, 'm' },
		{ "quick", no_argument, NULL, 'q' },
		{ "runs", required_argument, NULL, 'r' },
		{ "huge-pages", no_argument, NULL, 'H' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hv", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (cli_parse_u64(optarg, 1, &v) != 0 || v < MEMBENCH_MIN_BYTES ||
			    v > MEMBENCH_MAX_BYTES || (v & (v - 1)) != 0)
				return cli_usage_error("machine", "--max-bytes: a power of "
						       "two from 4K to 1G, not '%s'", optarg);
			a->o.max_bytes = v;
			break;
		case 'q': a->o.quick = 1; break;
		case 'r':
			if (cli_parse_u64(optarg, 0, &v) != 0 || v < 1 || v > 15)
				return cli_usage_error("machine", "--runs: 1 to 15, not '%s'",
						       optarg);
			a->o.runs = (unsigned)v;
			break;
		case 'H': a->o.huge_pages = 1; break;
		case 'c': a->csv = 1; break;
		case 'j': a->json = 1; break;
		case 'v': a->o.progress = stderr; break;
		case 'h': fputs(machine_help, stdout); return -1;
		case ':': return cli_usage_error("machine", "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("machine", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("machine", "unexpected argument '%s'", argv[optind]);
	if (a->csv && a->json)
		return cli_usage_error("machine", "--csv or --json, not both");
	return 0;
}

int cmd_machine(int argc, char **argv)
{
	struct machine_args a = { 0 };
	struct membench m;
	uint64_t want;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	want = a.o.max_bytes ? a.o.max_bytes : MEMBENCH_MAX_BYTES;
	if (membench_fit_bytes(want) < want && !a.o.quick)
		fprintf(stderr, "routebench machine: %" PRIu64 " bytes do not fit in half of "
				"MemAvailable; measuring up to %" PRIu64 "\n",
			want, membench_fit_bytes(want));
	rc = membench_run(&a.o, &m);
	if (rc != 0) {
		fprintf(stderr, "routebench machine: cannot measure: %s\n", strerror(-rc));
		return 1;
	}
	if (a.csv)
		print_csv(&m, stdout);
	else if (a.json)
		print_json(&m, stdout);
	else
		print_table(&m, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
