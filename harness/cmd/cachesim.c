/*
 * cachesim.c - `routebench cachesim`: each implementation's lookup pass under valgrind's
 * callgrind with its cache simulator set to this machine's L1 and LL sizes, as a CSV of
 * instructions and D1 / LL misses per lookup. Cost: per implementation one child under
 * callgrind (the build uninstrumented, two passes simulated). Lesson: the misses are the same
 * every run; whether they cost what they should is what `routebench machine` tells.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "allocator.h"
#include "cachesim.h"
#include "cell.h"
#include "cli.h"
#include "commands.h"
#include "dataset.h"
#include "gen.h"
#include "outfile.h"
#include "registry.h"

#define MAX_IMPLS 64
#define DEFAULT_SIZE 100000
#define DEFAULT_NUMBERS 10000
#define DEFAULT_COLD_NUMBERS BENCH_COLD_MIN /* bench's cold set: the same file */
#define DEFAULT_SCAN_NUMBERS 100 /* the scan reads every route per lookup: 10^6 x 10^4 is days */
#define DEFAULT_TIMEOUT_S 600.0
#define DEFAULT_COLD_BUDGET 2000000000ULL /* instructions a cold pass may simulate (~2 min) */

static const char cachesim_help[] =
	"usage: routebench cachesim [--impls LIST] [--size N] [--numbers N] [--scan-numbers N]\n"
	"                           [--query-set hot,cold] [--cold-numbers N] [--cold-budget N]\n"
	"                           [--out DIR] [--timeout S] [--valgrind PATH]\n"
	"       routebench cachesim --parse FILE\n"
	"\n"
	"Count each implementation's cache misses per lookup with valgrind's cache simulator:\n"
	"a child loads a generated makeschool-shaped route list of N routes (seed 1) and\n"
	"numbers against it (seed 1, half of them hits: the bench's datasets), builds the table\n"
	"with callgrind's instrumentation off, then runs one warm-up pass over every number\n"
	"(simulated, not collected) and one collected pass (--toggle-collect on its function).\n"
	"The simulated caches are this machine's L1i, L1d and last level (from\n"
	"/sys/devices/system/cpu/cpu0/cache; the L2 is not simulated: callgrind has two levels).\n"
	"Prints a CSV on stdout: impl, n_routes, lookups, instr_per_lookup,\n"
	"d1_misses_per_lookup, ll_misses_per_lookup (data: read + write misses), i1 misses,\n"
	"data reads, then callgrind's raw totals, the table's struct_bytes, a hash of the\n"
	"answers (the same for every implementation, or the row says mismatch), the simulated\n"
	"cache sizes as callgrind states them, the seconds it took, the query set, status and\n"
	"detail. The same binary and datasets give the same counts every run.\n"
	"\n"
	"  --impls LIST      implementations, comma-separated (default: all)\n"
	"  --size N          routes (default 100K)\n"
	"  --numbers N       numbers of the hot set, looked up per pass (default 10K)\n"
	"  --query-set LIST  hot and/or cold (default hot), a row each. hot: --numbers numbers,\n"
	"                    drawn independently (repeats allowed), as bench's hot rows; cold:\n"
	"                    --cold-numbers distinct numbers in random order, bench's cold set\n"
	"                    (the same file), each looked up once a pass: warm-up and counted\n"
	"                    pass, as bench's cold reps. Its misses are the table's, not the\n"
	"                    few thousand paths a hot set keeps cached\n"
	"  --cold-numbers N  numbers of the cold set (default 1M, the least bench calls cold:\n"
	"                    2M simulated lookups per implementation, about 5 minutes for all\n"
	"                    of them at 1M routes on 2 cores; 100K is a tenth of that, but a\n"
	"                    smaller set keeps more of its paths cached)\n"
	"  --cold-budget N   instructions a cold pass may simulate (default 2G, about 2 minutes\n"
	"                    a pass): after its hot row, an implementation over it looks up\n"
	"                    only the cold set's first numbers that fit (its detail says so)\n"
	"  --scan-numbers N  the scan baseline looks up only the first N of them (default 100: it\n"
	"                    reads every route per lookup; its lookups column says so)\n"
	"  --out DIR         keep callgrind.out.IMPL and IMPL.log there, and write\n"
	"                    DIR/cachesim.csv (default: a temporary folder, removed)\n"
	"  --timeout S       seconds per implementation under valgrind (default 600)\n"
	"  --valgrind PATH   the valgrind to run (default: valgrind, from PATH)\n"
	"  --parse FILE      only parse FILE (callgrind output): print its events and totals\n"
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 success, 1 a run or a file failed, 2 usage error.\n";

struct cs_args {
	const struct route_table_ops *ops[MAX_IMPLS];
	size_t k;
	uint64_t size, numbers, scan_numbers, cold_numbers, cold_budget;
	int hot, cold;                   /* --query-set */
	const char *out, *valgrind, *parse;
	double timeout_s;
	int child;                       /* --child: the process callgrind runs */
	const char *child_impl, *routes, *numbers_file;
	uint64_t limit;                  /* --limit: the child's first numbers only */
	char valgrind_path[4096];        /* --valgrind found on $PATH */
};

struct cs_row {
	const char *impl;
	int cold;                        /* of the cold query set */
	struct cachesim_child_out child;
	struct cachesim_counts c;
	double secs;
	const char *status;              /* ok, failed, timeout, mismatch */
	char detail[256];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The child's exec, stdout to fd out, stderr appended to log, with a fixed environment: the
 * environment sits on the client's stack, so its size moves the stack's cache lines and a
 * stack miss more or less would make two runs disagree. Does not return.
 */
static void exec_child(char *const argv[], int out, const char *log)
{
	static char *const env[] = { "LC_ALL=C", NULL };
	int efd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);

	dup2(out, STDOUT_FILENO);
	if (efd >= 0)
		dup2(efd, STDERR_FILENO);
	execve(argv[0], argv, env);
	fprintf(stderr, "routebench cachesim: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * Run argv with stdout into out[cap] (NUL-terminated, the rest dropped) and stderr appended to
 * log, killed after timeout_s. 0 when it exited 0; -ETIMEDOUT; -ECHILD for any other end (its
 * wait status in *status); -errno when it could not start.
 */
static int run_child(char *const argv[], char *out, size_t cap, const char *log,
		     double timeout_s, int *status)
{
	double deadline = now_s() + timeout_s;
	int fds[2], ws = 0, timed_out = 0;
	size_t got = 0;
	pid_t pid;

	if (pipe(fds) != 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	if (pid == 0) {
		close(fds[0]);
		exec_child(argv, fds[1], log);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		int wait_ms = (int)((deadline - now_s()) * 1000);
		char sink[4096];
		ssize_t n;

		if (wait_ms <= 0) {
			kill(pid, SIGKILL);
			timed_out = 1;
			break;
		}
		if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR)
			break;
		if (!pfd.revents)
			continue;
		n = got + 1 < cap ? read(fds[0], out + got, cap - 1 - got)
				  : read(fds[0], sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got + 1 < cap)
			got += (size_t)n;
	}
	close(fds[0]);
	out[got] = '\0';
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	*status = ws;
	if (timed_out)
		return -ETIMEDOUT;
	return WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? 0 : -ECHILD;
}

/* name if it has a slash, else the first executable name on $PATH, into buf. 0 or -ENOENT. */
static int find_program(const char *name, char *buf, size_t cap)
{
	const char *path = getenv("PATH"), *p;

	if (strchr(name, '/')) {
		snprintf(buf, cap, "%s", name);
		return 0;
	}
	for (p = path && path[0] ? path : "/usr/bin:/bin"; *p;) {
		size_t len = strcspn(p, ":");

		snprintf(buf, cap, "%.*s/%s", (int)(len ? len : 1), len ? p : ".", name);
		if (access(buf, X_OK) == 0)
			return 0;
		p += len;
		if (*p == ':')
			p++;
	}
	return -ENOENT;
}

/* Our own executable, for valgrind to run. 0 or -errno. */
static int self_path(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * The bench's generated (cached) routes and numbers: nums[0] the hot set's, nums[1] the cold
 * set's (distinct, bench's cold file), each only when asked for. 0 or -errno.
 */
static int datasets(const struct cs_args *a, char *routes, char nums[2][4096])
{
	struct ds_gen_routes gr = { .count = a->size, .seed = 1, .shape = DS_SHAPE_MAKESCHOOL };
	struct ds_gen_numbers gn = { .count = a->numbers, .seed = 1, .hit_ratio = 0.5 };
	int rc = ds_gen_cached_routes(&gr, NULL, routes, 4096);

	gn.routes_path = routes;
	if (rc == 0 && a->hot)
		rc = ds_gen_cached_numbers(&gn, NULL, nums[0], 4096);
	gn.count = a->cold_numbers;
	if (rc == 0 && a->cold)
		rc = ds_gen_cached_distinct_numbers(&gn, NULL, nums[1], 4096);
	return rc;
}

/*
 * "--NAME=bytes,ways,line" for cache c into buf, or "" when c is unknown (callgrind then
 * detects it itself). Callgrind wants a power-of-two set count: a cache that has none (a
 * 12 MiB 16-way L3) is rounded down to the nearest that has, and *rounded set.
 */
static void cache_arg(const char *name, const struct membench_cache *c, char *buf, size_t cap,
		      int *rounded)
{
	uint64_t sets, p2 = 1;

	buf[0] = '\0';
	if (!c->bytes || !c->ways || !c->line || (c->line & (c->line - 1)))
		return;
	sets = c->bytes / ((uint64_t)c->ways * c->line);
	if (!sets)
		return;
	while (p2 * 2 <= sets)
		p2 *= 2;
	if (p2 != sets || p2 * c->ways * c->line != c->bytes)
		*rounded = 1;
	snprintf(buf, cap, "--%s=%" PRIu64 ",%u,%u", name, p2 * c->ways * c->line, c->ways,
		 c->line);
}

/* The valgrind command line for one implementation into argv (strings in bufs). */
static void valgrind_argv(const struct cs_args *a, const char *self, const char *impl,
			  const char *file, const char *routes, const char *nums, uint64_t limit,
			  char bufs[5][4300], char **argv, int *rounded)
{
	struct membench_caches mc;
	size_t i = 0;

	membench_caches_read(&mc);
	snprintf(bufs[0], sizeof(bufs[0]), "--callgrind-out-file=%s", file);
	cache_arg("I1", &mc.l1i, bufs[1], sizeof(bufs[1]), rounded);
	cache_arg("D1", &mc.l1d, bufs[2], sizeof(bufs[2]), rounded);
	cache_arg("LL", &mc.llc, bufs[3], sizeof(bufs[3]), rounded);
	argv[i++] = (char *)a->valgrind_path;
	argv[i++] = "--tool=callgrind";
	argv[i++] = "--cache-sim=yes";
	argv[i++] = "--collect-atstart=no";
	argv[i++] = "--instr-atstart=no";
	argv[i++] = "--toggle-collect=cachesim_collected_pass";
	argv[i++] = bufs[0];
	for (int k = 1; k < 4; k++)
		if (bufs[k][0])
			argv[i++] = bufs[k];
	argv[i++] = (char *)self;
	argv[i++] = "cachesim";
	argv[i++] = "--child";
	argv[i++] = "--impl";
	argv[i++] = (char *)impl;
	argv[i++] = "--routes";
	argv[i++] = (char *)routes;
	argv[i++] = "--numbers-file";
	argv[i++] = (char *)nums;
	if (limit) {
		snprintf(bufs[4], sizeof(bufs[4]), "%" PRIu64, limit);
		argv[i++] = "--limit";
		argv[i++] = bufs[4];
	}
	argv[i] = NULL;
}

/* The child's one line: "cachesim-child lookups=N answers=HEX struct_bytes=N n_routes=N". */
static int child_line(const char *out, struct cachesim_child_out *c)
{
	unsigned long long l, h, b, n;
	const char *s = strstr(out, "cachesim-child ");

	if (!s || sscanf(s, "cachesim-child lookups=%llu answers=%llx struct_bytes=%llu "
			    "n_routes=%llu", &l, &h, &b, &n) != 4)
		return -1;
	c->lookups = l;
	c->answers = h;
	c->struct_bytes = b;
	c->n_routes = (size_t)n;
	return 0;
}

/* The files of impl's run in dir: callgrind.out.IMPL and IMPL.log, IMPL.cold for the cold set. */
static void run_files(const char *dir, const char *impl, int cold, char *file, char *log,
		      size_t cap)
{
	snprintf(file, cap, "%s/callgrind.out.%s%s", dir, impl, cold ? ".cold" : "");
	snprintf(log, cap, "%s/%s%s.log", dir, impl, cold ? ".cold" : "");
}

/*
 * How many of the cold set's numbers impl may look up (0: all): its hot row's instructions
 * per lookup (when hot ran first) times the numbers stay under --cold-budget a pass.
 */
static uint64_t cold_cap(const struct cs_args *a, const struct cs_row *rows, size_t n,
			 const char *impl)
{
	for (size_t i = 0; i < n; i++) {
		const struct cs_row *r = &rows[i];
		double per = r->child.lookups ? (double)r->c.ev[CS_IR] / (double)r->child.lookups
					      : 0;
		uint64_t fit = per > 0 ? (uint64_t)((double)a->cold_budget / per) : 0;

		if (!r->cold && strcmp(r->impl, impl) == 0 && strcmp(r->status, "ok") == 0 &&
		    per * (double)a->cold_numbers > (double)a->cold_budget)
			return fit ? fit : 1;
	}
	return 0;
}

/* One implementation under callgrind, over nums (the cold set's when cold; its first cap
 * numbers when cap is not 0), into *row. */
static void profile_one(const struct cs_args *a, const char *dir, const char *self,
			const char *routes, const char *nums, int cold, uint64_t cap,
			const struct route_table_ops *ops, struct cs_row *row)
{
	char file[4200], log[4200], bufs[5][4300], out[512], *argv[32];
	uint64_t n = cold ? a->cold_numbers : a->numbers;
	uint64_t limit = ops->flags & RT_F_SCAN && a->scan_numbers < n ? a->scan_numbers : 0;
	struct ds_error err;
	double t0 = now_s();
	int status, rounded = 0, rc;

	if (cap && (!limit || cap < limit))
		limit = cap;
	row->impl = ops->name;
	row->cold = cold;
	row->status = "failed";
	run_files(dir, ops->name, cold, file, log, sizeof(file));
	unlink(file);
	unlink(log);
	valgrind_argv(a, self, ops->name, file, routes, nums, limit, bufs, argv, &rounded);
	fprintf(stderr, "cachesim: %-12s %8" PRIu64 " routes, %s set, under callgrind... ",
		ops->name, a->size, cold ? BENCH_QUERY_COLD : BENCH_QUERY_HOT);
	rc = run_child(argv, out, sizeof(out), log, a->timeout_s, &status);
	row->secs = now_s() - t0;
	fprintf(stderr, "%.1f s%s\n", row->secs,
		rc == -ETIMEDOUT ? " (timed out)" : rc ? " (failed)" : "");
	if (rc == -ETIMEDOUT) {
		row->status = "timeout";
		snprintf(row->detail, sizeof(row->detail), "over %.0f s under callgrind",
			 a->timeout_s);
		return;
	}
	if (rc != 0 || child_line(out, &row->child) != 0) {
		snprintf(row->detail, sizeof(row->detail), "callgrind run failed (see %s)",
			 strrchr(log, '/') + 1);
		return;
	}
	if (cachesim_load(file, &row->c, &err) != 0) {
		snprintf(row->detail, sizeof(row->detail), "%s:%zu: %.120s",
			 strrchr(file, '/') + 1, err.line, err.what);
		return;
	}
	if ((row->c.have & 0x1ff) != 0x1ff) {
		snprintf(row->detail, sizeof(row->detail), "%s has no cache events",
			 strrchr(file, '/') + 1);
		return;
	}
	row->status = "ok";
	if (limit && limit == cap)
		snprintf(row->detail, sizeof(row->detail), "the first %" PRIu64 " numbers only: "
			 "%" PRIu64 " instructions a pass at most", limit, a->cold_budget);
	else if (limit)
		snprintf(row->detail, sizeof(row->detail), "the scan baseline: the first %" PRIu64
							   " numbers only", limit);
	else if (rounded)
		snprintf(row->detail, sizeof(row->detail), "a cache rounded to a power-of-two "
							   "set count for callgrind");
}

static double per(uint64_t v, uint64_t n)
{
	return n ? (double)v / (double)n : 0;
}

static void csv_header(FILE *f)
{
	fputs("impl,n_routes,lookups,instr_per_lookup,d1_misses_per_lookup,ll_misses_per_lookup,"
	      "i1_misses_per_lookup,reads_per_lookup", f);
	for (int e = 0; e < CS_N_EVENTS; e++) {
		char name[8];

		snprintf(name, sizeof(name), "%s", cachesim_event_name(e));
		for (char *p = name; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		fprintf(f, ",%s", name);
	}
	fputs(",struct_bytes,answers,i1_bytes,d1_bytes,d1_ways,ll_bytes,ll_ways,line_bytes,"
	      "valgrind_s,query_set,status,detail\n", f);
}

static void csv_row(FILE *f, const struct cs_args *a, const struct cs_row *r)
{
	const uint64_t *ev = r->c.ev;
	uint64_t n = r->child.lookups;

	fprintf(f, "%s,%" PRIu64 ",", r->impl, a->size);
	if (strcmp(r->status, "ok") == 0 || strcmp(r->status, "mismatch") == 0) {
		fprintf(f, "%" PRIu64 ",%.2f,%.3f,%.3f,%.3f,%.2f", n, per(ev[CS_IR], n),
			per(ev[CS_D1MR] + ev[CS_D1MW], n), per(ev[CS_DLMR] + ev[CS_DLMW], n),
			per(ev[CS_I1MR], n), per(ev[CS_DR], n));
		for (int e = 0; e < CS_N_EVENTS; e++)
			fprintf(f, ",%" PRIu64, ev[e]);
		fprintf(f, ",%" PRIu64 ",%016" PRIx64 ",%" PRIu64 ",%" PRIu64 ",%u,%" PRIu64
			   ",%u,%u,",
			r->child.struct_bytes, r->child.answers, r->c.i1.bytes, r->c.d1.bytes,
			r->c.d1.ways, r->c.ll.bytes, r->c.ll.ways, r->c.d1.line);
	} else {
		fprintf(f, ",,,,,,");
		for (int e = 0; e < CS_N_EVENTS + 8; e++)
			fputc(',', f);
	}
	fprintf(f, "%.1f,%s,%s,", r->secs, r->cold ? BENCH_QUERY_COLD : BENCH_QUERY_HOT, r->status);
	for (const char *p = r->detail; *p; p++)
		fputc(*p == ',' || *p == '\n' ? ';' : *p, f);
	fputc('\n', f);
}

/* Rows whose answers differ from the first ok row's of their query set (of as many lookups)
 * are mismatches. Returns how many. */
static size_t check_answers(struct cs_row *rows, size_t k)
{
	const struct cs_row *refs[2] = { NULL, NULL };
	size_t bad = 0;

	for (size_t i = 0; i < k; i++) {
		const struct cs_row **ref = &refs[rows[i].cold];

		if (strcmp(rows[i].status, "ok") != 0)
			continue;
		if (!*ref || rows[i].child.lookups != (*ref)->child.lookups) {
			if (!*ref)
				*ref = &rows[i];
		} else if (rows[i].child.answers != (*ref)->child.answers) {
			rows[i].status = "mismatch";
			snprintf(rows[i].detail, sizeof(rows[i].detail), "answers differ from %s's",
				 (*ref)->impl);
			bad++;
		}
	}
	return bad;
}

/* The CSV to stdout, and to DIR/cachesim.csv (atomically) with --out. 0 or -errno. */
static int write_csv(const struct cs_args *a, const struct cs_row *rows, size_t k)
{
	struct rb_outfile o;
	char path[4200];
	int rc = 0;

	csv_header(stdout);
	for (size_t i = 0; i < k; i++)
		csv_row(stdout, a, &rows[i]);
	if (!a->out)
		return fflush(stdout) == 0 ? 0 : -EIO;
	snprintf(path, sizeof(path), "%s/cachesim.csv", a->out);
	rc = rb_outfile_open(&o, path);
	if (rc != 0)
		return rc;
	csv_header(o.f);
	for (size_t i = 0; i < k; i++)
		csv_row(o.f, a, &rows[i]);
	rc = rb_outfile_commit(&o);
	return rc ? rc : fflush(stdout) == 0 ? 0 : -EIO;
}

static int add_impls(struct cs_args *a, const char *list)
{
	char buf[1024];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("cachesim", "--impls: list too long");
	strcpy(buf, list);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		if (!rt_find(tok))
			return cli_usage_error("cachesim", "no implementation named '%s' (see "
							   "'routebench list')", tok);
		if (a->k == MAX_IMPLS)
			return cli_usage_error("cachesim", "at most %d implementations",
					       MAX_IMPLS);
		a->ops[a->k++] = rt_find(tok);
	}
	return a->k ? 0 : cli_usage_error("cachesim", "--impls: empty list");
}

static int parse_count(const char *opt, const char *s, uint64_t *out)
{
	if (cli_parse_u64(s, 0, out) != 0 || !*out || *out > DS_MAX_COUNT)
		return cli_usage_error("cachesim", "%s: bad count '%s'", opt, s);
	return 0;
}

/* --query-set LIST: hot and/or cold, comma-separated. */
static int parse_query_sets(struct cs_args *a, const char *list)
{
	char buf[64];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("cachesim", "--query-set: list too long");
	strcpy(buf, list);
	a->hot = a->cold = 0;
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		if (strcmp(tok, BENCH_QUERY_HOT) != 0 && strcmp(tok, BENCH_QUERY_COLD) != 0)
			return cli_usage_error("cachesim", "--query-set: '%s' is neither hot nor "
							   "cold", tok);
		*(strcmp(tok, BENCH_QUERY_COLD) == 0 ? &a->cold : &a->hot) = 1;
	}
	return a->hot || a->cold ? 0 : cli_usage_error("cachesim", "--query-set: empty list");
}

/* What only some modes take: the child's own options, --parse alone. */
static int check_modes(const struct cs_args *a)
{
	if (a->child && (!a->child_impl || !a->routes || !a->numbers_file))
		return cli_usage_error("cachesim", "--child needs --impl, --routes and "
						   "--numbers-file");
	if (!a->child && (a->child_impl || a->routes || a->numbers_file || a->limit))
		return cli_usage_error("cachesim", "--impl, --routes, --numbers-file and --limit "
						   "are the child's (use --impls, --size)");
	if (a->parse && (a->child || a->out || a->k))
		return cli_usage_error("cachesim", "--parse FILE takes no other option");
	return 0;
}

static int parse_args(int argc, char **argv, struct cs_args *a)
{
	static const struct option opts[] = {
		{ "impls", required_argument, NULL, 'I' },
		{ "size", required_argument, NULL, 's' },
		{ "numbers", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'O' },
		{ "timeout", required_argument, NULL, 't' },
		{ "valgrind", required_argument, NULL, 'V' },
		{ "parse", required_argument, NULL, 'p' },
		{ "child", no_argument, NULL, 'C' },
		{ "impl", required_argument, NULL, 'i' },
		{ "routes", required_argument, NULL, 'r' },
		{ "numbers-file", required_argument, NULL, 'N' },
		{ "scan-numbers", required_argument, NULL, 'S' },
		{ "limit", required_argument, NULL, 'L' },
		{ "query-set", required_argument, NULL, 'Q' },
		{ "cold-numbers", required_argument, NULL, 'c' },
		{ "cold-budget", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	a->size = DEFAULT_SIZE;
	a->numbers = DEFAULT_NUMBERS;
	a->scan_numbers = DEFAULT_SCAN_NUMBERS;
	a->cold_numbers = DEFAULT_COLD_NUMBERS;
	a->cold_budget = DEFAULT_COLD_BUDGET;
	a->hot = 1;
	a->timeout_s = DEFAULT_TIMEOUT_S;
	a->valgrind = "valgrind";
	optind = 1;
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'I': rc = add_impls(a, optarg); break;
		case 's': rc = parse_count("--size", optarg, &a->size); break;
		case 'n': rc = parse_count("--numbers", optarg, &a->numbers); break;
		case 'S': rc = parse_count("--scan-numbers", optarg, &a->scan_numbers); break;
		case 'L': rc = parse_count("--limit", optarg, &a->limit); break;
		case 'c': rc = parse_count("--cold-numbers", optarg, &a->cold_numbers); break;
		case 'Q': rc = parse_query_sets(a, optarg); break;
		case 'B':
			if (cli_parse_u64(optarg, 0, &a->cold_budget) != 0 || !a->cold_budget)
				return cli_usage_error("cachesim", "--cold-budget: bad count '%s'",
						       optarg);
			break;
		case 'O': a->out = optarg; break;
		case 't':
			if (cli_parse_double(optarg, &a->timeout_s) != 0 || a->timeout_s <= 0)
				return cli_usage_error("cachesim", "--timeout: bad seconds '%s'",
						       optarg);
			break;
		case 'V': a->valgrind = optarg; break;
		case 'p': a->parse = optarg; break;
		case 'C': a->child = 1; break;
		case 'i': a->child_impl = optarg; break;
		case 'r': a->routes = optarg; break;
		case 'N': a->numbers_file = optarg; break;
		case 'h': fputs(cachesim_help, stdout); return -1;
		case ':': return cli_usage_error("cachesim", "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("cachesim", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (rc != 0)
		return rc;
	if (optind < argc)
		return cli_usage_error("cachesim", "unexpected argument '%s'", argv[optind]);
	return check_modes(a);
}

/* --child: build and run the passes; one line on stdout for the parent. */
static int child_main(const struct cs_args *a)
{
	const struct route_table_ops *ops = rt_find(a->child_impl);
	struct cachesim_child_out out;
	struct ds_error err;
	int rc;

	if (!ops)
		return cli_usage_error("cachesim", "no implementation named '%s'", a->child_impl);
	rc = cachesim_child_run(ops, a->routes, a->numbers_file, (size_t)a->limit, &out, &err);
	if (rc == -EINVAL && err.what[0]) {
		ds_error_print(&err, stderr);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "routebench cachesim: %s: %s\n", ops->name, strerror(-rc));
		return 1;
	}
	printf("cachesim-child lookups=%" PRIu64 " answers=%016" PRIx64 " struct_bytes=%" PRIu64
	       " n_routes=%zu\n", out.lookups, out.answers, out.struct_bytes, out.n_routes);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* --parse FILE: the events and their figures, one per line. */
static int parse_main(const struct cs_args *a)
{
	struct cachesim_counts c;
	struct ds_error err;

	if (cachesim_load(a->parse, &c, &err) != 0) {
		ds_error_print(&err, stderr);
		return 1;
	}
	printf("%s: %u part%s, figures from its %s: line\n", a->parse, c.parts,
	       c.parts == 1 ? "" : "s", c.from_summary ? "summary" : "totals");
	for (int e = 0; e < CS_N_EVENTS; e++)
		if (c.have & (1u << e))
			printf("%-5s %" PRIu64 "\n", cachesim_event_name(e), c.ev[e]);
	printf("D1 %" PRIu64 " B %u-way, LL %" PRIu64 " B %u-way, %u B lines\n", c.d1.bytes,
	       c.d1.ways, c.ll.bytes, c.ll.ways, c.d1.line);
	return 0;
}

/* A private folder for the callgrind files when there is no --out. 0 or -errno. */
static int temp_dir(char *buf, size_t cap)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, cap, "%s/routebench-cachesim-XXXXXX", t && t[0] ? t : "/tmp");
	return mkdtemp(buf) ? 0 : -errno;
}

/* Remove what profile_one wrote into the temporary folder, and the folder. */
static void remove_temp(const char *dir, const struct cs_args *a)
{
	char path[4200], log[4200];

	for (size_t i = 0; i < a->k; i++)
		for (int cold = 0; cold < 2; cold++) {
			run_files(dir, a->ops[i]->name, cold, path, log, sizeof(path));
			unlink(path);
			unlink(log);
		}
	rmdir(dir);
}

/* Everything the parent needs before the first run. 0, or 1 (printed). */
static int prepare(struct cs_args *a, char *self, char *dir, char *routes, char nums[2][4096],
		   size_t cap)
{
	int rc;

	if (BENCH_ASAN || !cachesim_have_client_requests()) {
		fprintf(stderr, "routebench cachesim: this routebench is built %s; use a plain "
				"build\n", BENCH_ASAN ? "with AddressSanitizer, which cannot run "
							"under valgrind"
						      : "without <valgrind/callgrind.h>");
		return 1;
	}
	if (find_program(a->valgrind, a->valgrind_path, sizeof(a->valgrind_path)) != 0) {
		fprintf(stderr, "routebench cachesim: %s: not found on PATH (Debian: valgrind)\n",
			a->valgrind);
		return 1;
	}
	rc = self_path(self, cap);
	if (rc == 0)
		rc = a->out ? rb_mkdir_p(a->out) : temp_dir(dir, cap);
	if (rc != 0) {
		fprintf(stderr, "routebench cachesim: cannot prepare %s: %s\n",
			a->out ? a->out : "a temporary folder", strerror(-rc));
		return 1;
	}
	if (a->out)
		snprintf(dir, cap, "%s", a->out);
	rc = datasets(a, routes, nums);
	if (rc != 0) {
		fprintf(stderr, "routebench cachesim: cannot generate the datasets in %s: %s\n",
			ds_cache_dir(), strerror(-rc));
		return 1;
	}
	return 0;
}

int cmd_cachesim(int argc, char **argv)
{
	struct cs_args a = { 0 };
	char self[4096], dir[4096], routes[4096], nums[2][4096];
	struct cs_row *rows;
	size_t n = 0;
	int rc = parse_args(argc, argv, &a), status = 0;

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (a.child)
		return child_main(&a);
	if (a.parse)
		return parse_main(&a);
	if (!a.k)
		for (size_t i = 0; i < rt_registry_count && i < MAX_IMPLS; i++)
			a.ops[a.k++] = rt_registry[i];
	if (prepare(&a, self, dir, routes, nums, sizeof(self)) != 0)
		return 1;
	rows = calloc(2 * a.k, sizeof(*rows));
	if (!rows) {
		fprintf(stderr, "routebench cachesim: out of memory\n");
		return 1;
	}
	for (int cold = 0; cold < 2; cold++)
		for (size_t i = 0; (cold ? a.cold : a.hot) && i < a.k; i++, n++) {
			profile_one(&a, dir, self, routes, nums[cold], cold,
				    cold ? cold_cap(&a, rows, n, a.ops[i]->name) : 0, a.ops[i],
				    &rows[n]);
			if (strcmp(rows[n].status, "ok") != 0)
				status = 1;
		}
	if (check_answers(rows, n))
		status = 1;
	rc = write_csv(&a, rows, n);
	if (rc != 0) {
		fprintf(stderr, "routebench cachesim: cannot write the CSV: %s\n", strerror(-rc));
		status = 1;
	}
	if (!a.out && status == 0)
		remove_temp(dir, &a);
	else if (!a.out)
		fprintf(stderr, "routebench cachesim: the callgrind files are kept in %s\n", dir);
	free(rows);
	return status;
}
