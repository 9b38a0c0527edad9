/*
 * cellrun.c - one cell in this process: parse the route files, build one table per carrier,
 * price the numbers in timed passes, destroy the tables; each step timed on its own, answers
 * hashed, memory read from the kernel and the allocator. Lookups are sampled down to a
 * checkpoint (checksum.h) so a linear scan of a million routes fits the budget, and timed
 * again through rt_lookup_batch; a cold cell's rep is one pass over a large distinct set of
 * numbers (measure.h). A stream cell has no table: it times end-to-end runs of stream.h at
 * every checkpoint instead. Lesson: an out-of-memory cell must end as a row too, even when it
 * dies where it cannot say so.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "allocator.h"
#include "breakdown.h"
#include "build.h"
#include "checksum.h"
#include "clock.h"
#include "load.h"
#include "measure.h"
#include "protocol.h"
#include "registry.h"
#include "stream.h"

#define LOOKUP_SHARE 0.6   /* lookups must end by this share of the budget, leaving teardown */
#define TARGET_REP_S 0.05  /* a rep repeats its pass until it lasts about this long */
#define MAX_PASSES 100000

static uint64_t page_size; /* set before any signal handler can need it */

/* Field i of /proc/self/statm (0: address space, 1: resident) in bytes. Async-signal-safe. */
static uint64_t statm_bytes(int field)
{
	char buf[128];
	uint64_t pages = 0;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1, i = 0;

	if (fd >= 0)
		close(fd);
	for (int f = 0; i < got && f < field; i++)
		f += buf[i] == ' ';
	for (; i < got && buf[i] >= '0' && buf[i] <= '9'; i++)
		pages = pages * 10 + (uint64_t)(buf[i] - '0');
	return pages * page_size;
}

/*
 * The loaders report a failed allocation as a message, not an errno: realloc of the growing
 * array gives "out of memory ...", and when the mapping itself is refused under RLIMIT_AS the
 * fallback read buffer fails the same way (or open/fstat say "Cannot allocate memory").
 */
static int load_error_is_oom(const struct ds_error *e)
{
	return e->err == -ENOMEM;
}

/* Where a dying child reports its address space. */
static int watch_fd = -1;

/* Tell the parent the address space in use (protocol.h). Async-signal-safe. */
static void report_vm(void)
{
	bench_proto_vm(watch_fd, statm_bytes(0));
}

/* SA_RESETHAND has restored the default action: the raise takes effect on return. */
static void on_fatal_signal(int sig)
{
	report_vm();
	raise(sig);
}

/*
 * A child that dies where it could not return -ENOMEM (an unchecked malloc, a library that
 * aborts or exits when allocation fails) leaves its parent only a signal or an exit status.
 * Under a memory limit it reports its address space on the way out (fatal signals, on an
 * alternate stack in case the stack overflowed, and exit), so the parent can tell running out
 * of memory from a bug: spawn.c counts a death within 10% of the limit as oom.
 */
static void watch_memory(int fd)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT };
	static char altstack[1 << 16];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;

	watch_fd = fd;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(report_vm);
}

/* Apply RLIMIT_AS, except under ASan, whose shadow memory needs terabytes of address space. */
static uint64_t apply_mem_limit(uint64_t limit)
{
	struct rlimit rl;

	if (!limit || BENCH_ASAN || getrlimit(RLIMIT_AS, &rl) != 0)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < limit)
		limit = rl.rlim_max;
	rl.rlim_cur = limit;
	return setrlimit(RLIMIT_AS, &rl) == 0 ? limit : 0;
}

struct pricer {
	struct route_table **t;
	size_t k;
	const struct ds_number *q;
};

/* Price numbers [from, to) the way `price` does, folding each answer into h. */
static uint64_t price_range(const struct pricer *p, uint64_t h, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++) {
		uint64_t best = RT_NO_ROUTE;

		for (size_t k = 0; k < p->k; k++) {
			uint64_t c = rt_lookup(p->t[k], p->q[i].digits, p->q[i].len);

			if (c < best)
				best = c;
		}
		h = bench_hash_step(h, best);
	}
	return h;
}

/*
 * Price numbers [from, to) as price_range does, the way `price` does: PRICING_BLOCK numbers at
 * a time, each carrier's pricing_price_table (rt_lookup_batch) lowering the block's best
 * answers, then hashed in order, so the hash is price_range's.
 */
static uint64_t price_range_batch(const struct pricer *p, uint64_t h, uint64_t from, uint64_t to)
{
	uint64_t best[PRICING_BLOCK];

	for (uint64_t i = from; i < to; i += PRICING_BLOCK) {
		size_t m = to - i < PRICING_BLOCK ? (size_t)(to - i) : PRICING_BLOCK;

		for (size_t j = 0; j < m; j++)
			best[j] = RT_NO_ROUTE;
		for (size_t k = 0; k < p->k; k++)
			pricing_price_table(p->t[k], p->q + i, m, best);
		for (size_t j = 0; j < m; j++)
			h = bench_hash_step(h, best[j]);
	}
	return h;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n), n >= 1 (v is sorted in place). */
static double median_of(double *v, uint64_t n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A pass (single or batched) whose hash is not the warm-up's makes the row a mismatch. */
static void check_pass(struct bench_cell *row, uint64_t got, uint64_t want, const char *what)
{
	if (got != want && row->status == BENCH_OK) {
		row->status = BENCH_MISMATCH;
		bench_cell_detail(row, "%s", what);
	}
}

/*
 * reps timed reps over the first m numbers, each `passes` single-lookup passes then as many
 * batched ones (alternating, so a load on the machine falls on both alike); every pass must
 * give hash h. lookup_ns and batch_lookup_ns are the reps' medians.
 */
static void timed_reps(const struct pricer *p, uint64_t m, uint64_t passes, uint64_t reps,
		       uint64_t h, struct bench_cell *row)
{
	double ns[BENCH_MAX_REPS], bn[BENCH_MAX_REPS], sorted[BENCH_MAX_REPS], sum = 0, sq = 0;

	for (uint64_t r = 0; r < reps; r++) {
		double t = rb_now_s();

		for (uint64_t i = 0; i < passes; i++)
			check_pass(row, price_range(p, BENCH_HASH_SEED, 0, m), h,
				   "answers changed between passes");
		ns[r] = (rb_now_s() - t) * 1e9 / (double)(passes * m);
		t = rb_now_s();
		for (uint64_t i = 0; i < passes; i++)
			check_pass(row, price_range_batch(p, BENCH_HASH_SEED, 0, m), h,
				   "batched answers differ from single lookups");
		bn[r] = (rb_now_s() - t) * 1e9 / (double)(passes * m);
		sorted[r] = ns[r];
		sum += ns[r];
	}
	row->lookup_ns = median_of(sorted, reps);
	row->batch_lookup_ns = median_of(bn, reps);
	for (uint64_t r = 0; r < reps; r++)
		sq += (ns[r] - sum / (double)reps) * (ns[r] - sum / (double)reps);
	row->lookup_cv = sum > 0 ? sqrt(sq / (double)reps) / (sum / (double)reps) : 0;
	row->lookups_timed = reps * passes * m;
	row->reps = reps;
	bench_samples_format(row->lookup_samples, sizeof(row->lookup_samples), ns, reps);
}

/*
 * The lookup phase. An untimed warm-up pass walks the checkpoints 1, 10, 100, ..., total,
 * recording the hash at each; after each it projects the cost of the next checkpoint plus the
 * timed reps over it (single and batched), and stops where that would pass the deadline. Then
 * reps timed reps over the same m numbers (timed_reps). Hot: each rep repeats its pass until
 * it lasts TARGET_REP_S, when the deadline allows. Cold: each rep is one pass, every number
 * looked up once.
 */
static void time_lookups(const struct pricer *p, uint64_t total, uint64_t reps, double deadline,
			 int cold, struct bench_cell *row)
{
	double t0 = rb_now_s(), per_q = 0, want;
	uint64_t h = BENCH_HASH_SEED, m = 0, passes;
	size_t used = 0;

	while (m < total) {
		uint64_t next = bench_next_checkpoint(m, total), after;

		h = price_range(p, h, m, next);
		m = next;
		used = bench_checkpoints_add(row->checkpoints, sizeof(row->checkpoints), used, m,
					     h);
		per_q = (rb_now_s() - t0) / (double)m;
		after = bench_next_checkpoint(m, total);
		if (rb_now_s() + per_q * (double)(after - m + 2 * reps * after) > deadline)
			break;
	}
	row->n_queries = m;
	row->checksum = h;
	want = ceil(TARGET_REP_S / fmax(per_q * (double)m, 1e-9));
	if (isfinite(deadline))
		want = fmin(want, (deadline - rb_now_s()) /
					  fmax(2 * per_q * (double)(m * reps), 1e-9));
	passes = want < 1 || cold ? 1 : want > MAX_PASSES ? MAX_PASSES : (uint64_t)want;
	timed_reps(p, m, passes, reps, h, row);
}

/* Build one table per carrier into t[]. 0, or the first error (tables made so far kept). */
static int build_tables(const struct route_table_ops *ops, const struct ds_routes *routes,
			size_t k, struct route_table **t, const char **what)
{
	for (size_t c = 0; c < k; c++) {
		int rc = rt_create(ops, &t[c]);

		*what = "create";
		for (size_t i = 0; rc == 0 && i < routes[c].n; i++) {
			*what = "insert";
			rc = rt_insert(t[c], routes[c].v[i].digits, routes[c].v[i].len,
				       routes[c].v[i].cost);
		}
		if (rc == 0) {
			*what = "finalize";
			rc = rt_finalize(t[c]);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * A file that failed to load ends the cell as a row, not as a dead child: oom when the loader
 * ran out of memory, else crash, the detail naming the file and line (the whole message,
 * with the offending text, goes to stderr). step is the phase: "parse", "numbers", "stream".
 */
static void load_failed(struct bench_cell *row, const char *step, const struct ds_error *e)
{
	const char *base = strrchr(e->path, '/');

	base = base ? base + 1 : e->path;
	if (load_error_is_oom(e)) {
		row->status = BENCH_OOM;
		bench_cell_detail(row, "%s: %s: %s", step, base, e->what);
		return;
	}
	ds_error_print(e, stderr);
	row->status = BENCH_CRASH;
	if (e->line)
		bench_cell_detail(row, "%s: %s:%zu: %s", step, base, e->line, e->what);
	else
		bench_cell_detail(row, "%s: %s: %s", step, base, e->what);
}

/* Load the numbers and check there are enough. 0; 1 when the row says why; -EINVAL. */
static int load_numbers(const struct bench_cell_args *a, struct ds_numbers *numbers,
			struct bench_cell *row)
{
	struct ds_error err;

	if (ds_load_numbers(a->numbers, 0, numbers, &err) != 0) {
		load_failed(row, "numbers", &err);
		return 1;
	}
	if (a->queries > numbers->n || numbers->n == 0) {
		fprintf(stderr, "%s: %zu numbers, %llu wanted\n", a->numbers, numbers->n,
			(unsigned long long)(a->queries ? a->queries : 1));
		return -EINVAL;
	}
	row->queries_total = a->queries ? a->queries : numbers->n;
	return 0;
}

/* The parse phase: every carrier's route file into routes[]. 0, or 1 when the row says why. */
static int parse_routes(const struct bench_cell_args *a, struct ds_routes *routes,
			struct bench_cell *row)
{
	struct ds_error err;
	uint64_t total_routes = 0;
	double t0 = rb_now_s();

	for (size_t k = 0; k < a->n_carriers; k++) {
		if (ds_load_routes(a->routes[k], 0, &routes[k], &err) != 0) {
			load_failed(row, "parse", &err);
			return 1;
		}
		total_routes += routes[k].n;
		row->route_bytes_parsed += routes[k].bytes;
	}
	row->parse_s = rb_now_s() - t0;
	row->parse_mb_s = (double)row->route_bytes_parsed / row->parse_s / 1e6;
	row->n_routes = total_routes / a->n_carriers;
	return 0;
}

/*
 * The build phase: one table per carrier, timed, then the allocator's view of what the build
 * took and the tables' own accounting; each carrier's routes are freed once its table is
 * counted. 0, or 1 when the row says why the build failed.
 */
static int build_phase(const struct bench_cell_args *a, struct ds_routes *routes,
		       struct route_table **t, struct bench_cell *row)
{
	struct bench_alloc_stats heap0, heap1;
	uint64_t total_routes = 0;
	const char *what = "";
	int rc, have_heap0;
	double t0;

	row->baseline_rss_bytes = statm_bytes(1);
	have_heap0 = bench_alloc_stats(&heap0) == 0;
	t0 = rb_now_s();
	rc = build_tables(rt_find(a->impl), routes, a->n_carriers, t, &what);
	if (rc != 0) {
		row->status = rc == -ENOMEM ? BENCH_OOM : BENCH_CRASH;
		bench_cell_detail(row, "build: %s returned %d (%s)", what, rc, strerror(-rc));
		return 1;
	}
	row->build_s = rb_now_s() - t0;
	if (have_heap0 && bench_alloc_stats(&heap1) == 0) {
		row->heap_bytes = (int64_t)(heap1.allocated - heap0.allocated);
		row->heap_active_bytes = (int64_t)(heap1.active - heap0.active);
		row->heap_resident_bytes = (int64_t)(heap1.resident - heap0.resident);
		row->heap_metadata_bytes = (int64_t)(heap1.metadata - heap0.metadata);
	}
	for (size_t k = 0; k < a->n_carriers; k++) {
		struct rt_stats s;

		rt_stats(t[k], &s);
		if (a->breakdown)
			bench_breakdown_print(stderr, a->impl, &s, routes[k].n);
		row->struct_bytes += s.total_bytes;
		row->nodes += s.nodes;
		row->prefixes += s.prefixes;
		total_routes += routes[k].n;
		ds_routes_free(&routes[k]);
	}
	if (total_routes)
		row->bytes_per_route = (double)row->struct_bytes / (double)total_routes;
	return 0;
}

/* The teardown phase: destroy the tables, timed, then the row's last figures. */
static void teardown(const struct bench_cell_args *a, struct route_table **t,
		     struct bench_cell *row, double t_start)
{
	struct rusage ru;
	double t0 = rb_now_s();

	for (size_t k = 0; k < a->n_carriers; k++) {
		rt_destroy(t[k]);
		t[k] = NULL;
	}
	row->destroy_s = rb_now_s() - t0;
	if (getrusage(RUSAGE_SELF, &ru) == 0) /* the parent replaces it with wait4()'s figure */
		row->peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024;
	row->wall_s = rb_now_s() - t_start;
}

/* The index strategy: parse, build a table per carrier, time the lookups, destroy. */
static int index_cell(const struct bench_cell_args *a, struct bench_cell *row, int phase_fd,
		      double t_start)
{
	struct ds_routes routes[BENCH_MAX_CARRIERS] = { { 0 } };
	struct route_table *t[BENCH_MAX_CARRIERS] = { 0 };
	struct ds_numbers numbers = { 0 };
	int rc = 0;

	bench_proto_phase(phase_fd, BENCH_PHASE_PARSE);
	if (parse_routes(a, routes, row) != 0)
		goto out;
	bench_proto_phase(phase_fd, BENCH_PHASE_BUILD);
	if (build_phase(a, routes, t, row) != 0)
		goto out;
	bench_proto_phase(phase_fd, BENCH_PHASE_NUMBERS);
	rc = load_numbers(a, &numbers, row);
	if (rc != 0) {
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	bench_proto_phase(phase_fd, BENCH_PHASE_LOOKUP);
	row->status = BENCH_OK;
	time_lookups(&(struct pricer){ t, a->n_carriers, numbers.v }, row->queries_total, a->reps,
		     a->budget_s > 0 ? t_start + LOOKUP_SHARE * a->budget_s : INFINITY,
		     a->query_set == BENCH_QS_COLD, row);
	bench_proto_phase(phase_fd, BENCH_PHASE_TEARDOWN);
	teardown(a, t, row, t_start);
out:
	for (size_t k = 0; k < a->n_carriers; k++) {
		rt_destroy(t[k]);
		ds_routes_free(&routes[k]);
	}
	ds_numbers_free(&numbers);
	return rc;
}

/* The stream strategy's inputs, and where one run puts its answers. */
struct streamer {
	const char *const *paths;
	size_t k;
	struct ds_numbers all;
	uint64_t *best;
	size_t skipped[BENCH_MAX_CARRIERS], routes[BENCH_MAX_CARRIERS];
};

/*
 * One end-to-end run on the first q numbers: index their prefixes, stream every carrier file,
 * answer. 0 with its seconds and the hash of its answers, or -1 with *err filled.
 */
static int stream_run(struct streamer *s, uint64_t q, double *secs, uint64_t *hash,
		      struct ds_error *err)
{
	struct ds_numbers first = s->all;
	uint64_t h = BENCH_HASH_SEED;
	double t0 = rb_now_s();

	first.n = q;
	if (stream_price(s->paths, s->k, 0, &first, s->best, s->skipped, s->routes, err) != 0)
		return -1;
	*secs = rb_now_s() - t0;
	for (uint64_t i = 0; i < q; i++)
		h = bench_hash_step(h, s->best[i]);
	*hash = h;
	return 0;
}

/* How many checkpoints follow m, up to and including total. */
static uint64_t checkpoints_after(uint64_t m, uint64_t total)
{
	uint64_t n = 0;

	for (; m < total; n++)
		m = bench_next_checkpoint(m, total);
	return n;
}

/*
 * A stream cell's inputs: the route files' sizes, the numbers, room for their answers. 0; 1
 * when the row says why not; -EINVAL when there are too few numbers.
 */
static int stream_setup(const struct bench_cell_args *a, struct streamer *s,
			struct bench_cell *row, int phase_fd)
{
	struct stat st;
	int rc;

	snprintf(row->strategy, sizeof(row->strategy), "stream");
	for (size_t k = 0; k < a->n_carriers; k++)
		if (stat(a->routes[k], &st) == 0)
			row->route_bytes_parsed += (uint64_t)st.st_size;
	bench_proto_phase(phase_fd, BENCH_PHASE_NUMBERS);
	rc = load_numbers(a, &s->all, row);
	if (rc != 0)
		return rc;
	s->best = malloc(row->queries_total * sizeof(*s->best));
	if (!s->best) {
		row->status = BENCH_OOM;
		bench_cell_detail(row, "numbers: out of memory for %llu answers",
				  (unsigned long long)row->queries_total);
		return 1;
	}
	row->baseline_rss_bytes = statm_bytes(1);
	return 0;
}

/*
 * reps runs on the first q numbers: their median seconds into *median, the first run's answer
 * hash into *hash (a later run that disagrees makes the row a mismatch), their spread into
 * lookup_cv. 0, or -1 when a route file failed to load (the row says why).
 */
static int time_checkpoint(struct streamer *s, uint64_t q, uint64_t reps, struct bench_cell *row,
			   double *median, uint64_t *hash)
{
	double secs[BENCH_MAX_REPS], sum = 0, sq = 0;
	struct ds_error err;
	uint64_t want = 0;

	for (uint64_t r = 0; r < reps; r++) {
		uint64_t got;

		if (stream_run(s, q, &secs[r], &got, &err) != 0) {
			load_failed(row, "stream", &err);
			return -1;
		}
		if (r == 0)
			want = got;
		else if (got != want && row->status == BENCH_OK) {
			row->status = BENCH_MISMATCH;
			bench_cell_detail(row, "answers changed between runs");
		}
		sum += secs[r];
	}
	for (uint64_t r = 0; r < reps; r++)
		sq += (secs[r] - sum / (double)reps) * (secs[r] - sum / (double)reps);
	row->lookup_cv = sum > 0 ? sqrt(sq / (double)reps) / (sum / (double)reps) : 0;
	qsort(secs, reps, sizeof(secs[0]), cmp_double);
	*median = reps % 2 ? secs[reps / 2] : (secs[reps / 2 - 1] + secs[reps / 2]) / 2;
	*hash = want;
	return 0;
}

/*
 * The checkpoints of a stream cell (see stream_cell), t_warm the warm-up run's seconds: each
 * projected, run, hashed and recorded; the last reached sets n_queries and the checksum. 0, or
 * -1 when a run failed (the row says why).
 */
static int stream_checkpoints(const struct bench_cell_args *a, struct streamer *s,
			      struct bench_cell *row, double deadline, double t_warm)
{
	uint64_t m = 0, q_prev = 0, h = 0, total = row->queries_total;
	double t_prev = 0, t_last = t_warm;
	size_t used_c = 0, used_p = 0;

	while (m < total) {
		uint64_t next = bench_next_checkpoint(m, total), reps = a->reps;
		double slope = q_prev ? (t_last - t_prev) / (double)(m - q_prev) : 0;
		double est = t_last + fmax(slope, 0) * (double)(next - m);
		double left = deadline - rb_now_s(), median;
		double fit = left / fmax(est * (double)checkpoints_after(m, total), 1e-9);

		if (m > 0 && est > left)
			break;
		if (fit < (double)reps)
			reps = fit < 1 ? 1 : (uint64_t)fit;
		if (time_checkpoint(s, next, reps, row, &median, &h) != 0)
			return -1;
		q_prev = m;
		t_prev = t_last;
		m = next;
		t_last = median;
		used_c = bench_checkpoints_add(row->checkpoints, sizeof(row->checkpoints), used_c,
					       m, h);
		used_p = bench_points_add(row->stream_points, sizeof(row->stream_points), used_p, m,
					  t_last);
		row->lookups_timed += m * reps;
		row->reps = reps < row->reps ? reps : row->reps;
	}
	row->n_queries = m;
	row->checksum = h;
	return 0;
}

/*
 * The stream strategy: no table, so nothing to build and no time per lookup; its cost is one
 * end-to-end run and grows with the numbers. After an untimed warm-up run on the first number,
 * each checkpoint q = 1, 10, 100, ..., total is timed in reps runs on the first q numbers
 * (median: stream_points) and hashed like the index rows' answers (checkpoints). Before each
 * checkpoint its run time is projected: the warm-up's, then the last point's, then the line
 * through the last two points (never falling). A checkpoint that would pass the deadline ends
 * the row there (n_queries), and reps are cut (to 1 at least) where all those left would not
 * fit, so the largest files stay in the budget.
 */
static int stream_cell(const struct bench_cell_args *a, struct bench_cell *row, int phase_fd,
		       double t_start)
{
	struct streamer s = { .paths = a->routes, .k = a->n_carriers };
	double deadline = a->budget_s > 0 ? t_start + LOOKUP_SHARE * a->budget_s : INFINITY;
	double t_warm;
	uint64_t h = 0, routes = 0;
	struct ds_error err;
	struct rusage ru;
	int rc;

	rc = stream_setup(a, &s, row, phase_fd);
	if (rc != 0) {
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	bench_proto_phase(phase_fd, BENCH_PHASE_STREAM);
	if (stream_run(&s, 1, &t_warm, &h, &err) != 0) {
		load_failed(row, "stream", &err);
		goto out;
	}
	for (size_t k = 0; k < a->n_carriers; k++)
		routes += s.routes[k];
	row->n_routes = routes / a->n_carriers;
	row->status = BENCH_OK;
	if (stream_checkpoints(a, &s, row, deadline, t_warm) != 0)
		goto out;
	if (getrusage(RUSAGE_SELF, &ru) == 0) /* the parent replaces it with wait4()'s figure */
		row->peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024;
	row->wall_s = rb_now_s() - t_start;
out:
	free(s.best);
	ds_numbers_free(&s.all);
	return rc;
}

int bench_cell_run(const struct bench_cell_args *a, struct bench_cell *row, int phase_fd)
{
	double t_start = rb_now_s();
	struct rusage ru;

	page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	bench_cell_init(row, a->impl, bench_alloc_name());
	bench_alloc_version(row->allocator_version, sizeof(row->allocator_version));
	row->n_carriers = a->n_carriers;
	row->reps = a->reps;
	if (a->query_set == BENCH_QS_COLD)
		snprintf(row->query_set, sizeof(row->query_set), BENCH_QUERY_COLD);
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		row->inherited_maxrss_bytes = (uint64_t)ru.ru_maxrss * 1024;
	if ((a->strategy == BENCH_INDEX && !rt_find(a->impl)) || a->n_carriers == 0 ||
	    a->n_carriers > BENCH_MAX_CARRIERS || a->reps == 0 || a->reps > BENCH_MAX_REPS)
		return -EINVAL;
	row->mem_limit_bytes = apply_mem_limit(a->mem_limit);
	if (row->mem_limit_bytes && phase_fd >= 0)
		watch_memory(phase_fd);
	if (a->strategy == BENCH_STREAM)
		return stream_cell(a, row, phase_fd, t_start);
	return index_cell(a, row, phase_fd, t_start);
}
