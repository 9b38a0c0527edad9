/*
 * test_cell.c - the cells.csv row and the answer hash: a row (a stream row too, and the longest
 * one) reads back as written, figures that were not measured stay empty, free text cannot
 * break the CSV, the checkpoints of the sampling scheme are 1, 10, 100, ... and the full
 * count, and the parent/child protocol (phase and #vm lines, the child's command line) reads
 * back what was written and refuses a command line that does not fit.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cell.h"
#include "checksum.h"
#include "protocol.h"

static void fill(struct bench_cell *c)
{
	bench_cell_init(c, "lazytrie", "jemalloc");
	c->n_routes = 1000000;
	c->n_carriers = 5;
	c->n_queries = 1000;
	c->parse_s = 0.012345678;
	c->build_s = 1.5;
	c->lookup_ns = 123.45;
	c->peak_rss_bytes = 123456789;
	c->heap_bytes = -42;
	c->struct_bytes = 8000000;
	c->bytes_per_route = 1.6;
	c->checksum = 0x0123456789abcdefULL;
	c->status = BENCH_OK;
	c->queries_total = 10000;
	snprintf(c->checkpoints, sizeof(c->checkpoints), "1:00000000000000aa;10:0123456789abcdef");
	snprintf(c->allocator_version, sizeof(c->allocator_version), "5.3.0-0-g54eaed1d");
	c->heap_active_bytes = 8388608;
	c->heap_resident_bytes = -4096; /* a delta: the build may reuse pages freed before it */
	c->heap_metadata_bytes = 0;     /* measured, and nothing: not the same as empty */
}

/* A stream row: no table, end-to-end times per checkpoint instead. */
static void fill_stream(struct bench_cell *c)
{
	bench_cell_init(c, "stream", "glibc");
	snprintf(c->strategy, sizeof(c->strategy), "stream");
	c->n_routes = 10000000;
	c->n_carriers = 5;
	c->n_queries = 10000;
	c->queries_total = 10000;
	c->status = BENCH_OK;
	snprintf(c->stream_points, sizeof(c->stream_points),
		 "1:1.250000000;10:1.250100000;100:1.251000000;1000:1.260000000;10000:1.350000000");
}

static void test_round_trip(void **state)
{
	struct bench_cell a, b;
	char row[BENCH_ROW_MAX], again[BENCH_ROW_MAX];

	(void)state;
	fill(&a);
	bench_cell_format(&a, row, sizeof(row));
	assert_int_equal(bench_cell_parse(row, &b), 0);
	assert_string_equal(b.impl, "lazytrie");
	assert_string_equal(b.allocator, "jemalloc");
	assert_int_equal(b.n_routes, 1000000);
	assert_int_equal(b.n_carriers, 5);
	assert_int_equal(b.heap_bytes, -42);
	assert_int_equal(b.heap_active_bytes, 8388608);
	assert_int_equal(b.heap_resident_bytes, -4096);
	assert_int_equal(b.heap_metadata_bytes, 0);
	assert_true(b.checksum == a.checksum);
	assert_int_equal(b.status, BENCH_OK);
	assert_string_equal(b.checkpoints, a.checkpoints);
	assert_true(fabs(b.parse_s - a.parse_s) < 1e-12);
	assert_true(fabs(b.lookup_ns - a.lookup_ns) < 1e-9);
	bench_cell_format(&b, again, sizeof(again));
	assert_string_equal(row, again);
}

static void test_header_matches_rows(void **state)
{
	struct bench_cell c;
	char header[BENCH_ROW_MAX], row[BENCH_ROW_MAX];
	size_t commas_h = 0, commas_r = 0;

	(void)state;
	fill(&c);
	bench_cell_header(header, sizeof(header));
	bench_cell_format(&c, row, sizeof(row));
	for (const char *p = header; *p; p++)
		commas_h += *p == ',';
	for (const char *p = row; *p; p++)
		commas_r += *p == ',';
	assert_int_equal(commas_h, commas_r);
	assert_memory_equal(header, "impl,allocator,n_routes,n_carriers,n_queries,parse_s,build_s,"
				    "lookup_ns,peak_rss_bytes,baseline_rss_bytes,heap_bytes,"
				    "struct_bytes,bytes_per_route,nodes,checksum,status,",
			    strlen("impl,allocator,n_routes,n_carriers,n_queries,parse_s,build_s,"
				   "lookup_ns,peak_rss_bytes,baseline_rss_bytes,heap_bytes,"
				   "struct_bytes,bytes_per_route,nodes,checksum,status,"));
	/* newer columns come last, after every older one: the allocator's figures, the strategy */
	assert_non_null(strstr(header, ",wall_s,detail,heap_active_bytes,heap_resident_bytes,"
				       "heap_metadata_bytes,strategy,stream_points,"));
	assert_string_equal(strstr(header, ",strategy"),
			    ",strategy,stream_points,lookup_samples,query_set,batch_lookup_ns\n");
	assert_non_null(strstr(row, ",8388608,-4096,0,index,,,hot,\n"));
}

static void test_unmeasured_is_empty(void **state)
{
	struct bench_cell c, back;
	char row[BENCH_ROW_MAX];

	(void)state;
	bench_cell_init(&c, "trie", "glibc");
	c.status = BENCH_SKIPPED;
	bench_cell_format(&c, row, sizeof(row));
	assert_non_null(strstr(row, "trie,glibc,0,0,0,,,,0,0,0,0,,0,,skipped,"));
	/* wall_s to the heap figures, then the strategy, no stream points and no samples, the
	 * query set, no batched figure */
	assert_string_equal(row + strlen(row) - 18, ",,,,,index,,,hot,\n");
	assert_int_equal(bench_cell_parse(row, &back), 0);
	assert_true(isnan(back.build_s));
	assert_int_equal(back.status, BENCH_SKIPPED);
	assert_true(back.heap_active_bytes == BENCH_UNMEASURED);
	assert_true(back.heap_resident_bytes == BENCH_UNMEASURED);
	assert_true(back.heap_metadata_bytes == BENCH_UNMEASURED);
}

static void test_stream_row(void **state)
{
	struct bench_cell c, back;
	char row[BENCH_ROW_MAX];

	(void)state;
	fill_stream(&c);
	bench_cell_format(&c, row, sizeof(row));
	assert_non_null(strstr(row, "stream,glibc,10000000,5,10000,,,,"));
	assert_non_null(strstr(row, ",stream,1:1.250000000;10:1.250100000;"));
	assert_int_equal(bench_cell_parse(row, &back), 0);
	assert_string_equal(back.strategy, "stream");
	assert_string_equal(back.stream_points, c.stream_points);
	assert_true(isnan(back.build_s) && isnan(back.lookup_ns) && isnan(back.bytes_per_route));
}

/* The longest row the harness can write still fits BENCH_ROW_MAX and reads back. */
static void test_longest_row(void **state)
{
	struct bench_cell c, back;
	char row[BENCH_ROW_MAX];
	size_t n;

	(void)state;
	fill(&c);
	memset(c.impl, 'i', sizeof(c.impl) - 1);
	memset(c.allocator_version, 'v', sizeof(c.allocator_version) - 1);
	memset(c.detail, 'd', sizeof(c.detail) - 1);
	memset(c.checkpoints, '9', sizeof(c.checkpoints) - 1);
	memset(c.stream_points, '8', sizeof(c.stream_points) - 1);
	memset(c.lookup_samples, '7', sizeof(c.lookup_samples) - 1);
	c.n_routes = c.nodes = c.prefixes = c.route_bytes_parsed = c.lookups_timed = UINT64_MAX;
	c.peak_rss_bytes = c.baseline_rss_bytes = c.struct_bytes = c.mem_limit_bytes = UINT64_MAX;
	c.heap_bytes = c.heap_active_bytes = c.heap_resident_bytes = INT64_MIN + 1;
	c.parse_s = c.build_s = c.destroy_s = c.lookup_ns = c.wall_s = 1e15;
	n = bench_cell_format(&c, row, sizeof(row));
	assert_true(n < sizeof(row) - 1);
	assert_int_equal(row[n - 1], '\n');
	assert_int_equal(bench_cell_parse(row, &back), 0);
	assert_string_equal(back.stream_points, c.stream_points);
	assert_string_equal(back.lookup_samples, c.lookup_samples);
}

/* Per-rep samples: written whole up to the bound, read back, bad lists refused. */
static void test_lookup_samples(void **state)
{
	double v[BENCH_SAMPLES_MAX + 8], back[BENCH_SAMPLES_MAX];
	char buf[BENCH_SAMPLES_CHARS];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < BENCH_SAMPLES_MAX + 8; i++)
		v[i] = 1000000.0 + (double)i / 4;
	assert_int_equal(bench_samples_format(buf, sizeof(buf), v, 3), 3);
	assert_string_equal(buf, "1000000.00;1000000.25;1000000.50");
	assert_int_equal(bench_samples_format(buf, sizeof(buf), v, BENCH_SAMPLES_MAX + 8),
			 BENCH_SAMPLES_MAX);
	assert_int_equal(bench_samples_parse(buf, back, BENCH_SAMPLES_MAX, &n), 0);
	assert_int_equal(n, BENCH_SAMPLES_MAX);
	assert_true(back[BENCH_SAMPLES_MAX - 1] == v[BENCH_SAMPLES_MAX - 1]);
	assert_int_equal(bench_samples_format(buf, 12, v, 3), 1); /* only whole ones fit */
	assert_string_equal(buf, "1000000.00");
	assert_int_equal(bench_samples_parse("", back, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(bench_samples_parse("1;2;3", back, 2, &n), -EINVAL);
	assert_int_equal(bench_samples_parse("1;;3", back, 4, &n), -EINVAL);
	assert_int_equal(bench_samples_parse("1;x", back, 4, &n), -EINVAL);
	assert_int_equal(bench_samples_parse("1;", back, 4, &n), -EINVAL);
	assert_int_equal(bench_samples_parse("nan", back, 4, &n), -EINVAL);
}

static void test_detail_cannot_break_the_csv(void **state)
{
	struct bench_cell c, back;
	char row[BENCH_ROW_MAX];

	(void)state;
	bench_cell_init(&c, "hash", "glibc");
	bench_cell_detail(&c, "a, b \"c\"\nd");
	assert_string_equal(c.detail, "a; b ;c; d");
	bench_cell_format(&c, row, sizeof(row));
	assert_int_equal(bench_cell_parse(row, &back), 0);
	assert_string_equal(back.detail, "a; b ;c; d");
}

static void test_bad_rows_rejected(void **state)
{
	struct bench_cell c;
	char row[BENCH_ROW_MAX];

	(void)state;
	assert_int_equal(bench_cell_parse("impl,allocator", &c), -EINVAL);
	fill(&c);
	bench_cell_format(&c, row, sizeof(row));
	strcat(strtok(row, "\n"), ",extra");
	assert_int_equal(bench_cell_parse(row, &c), -EINVAL);
	fill(&c);
	bench_cell_format(&c, row, sizeof(row));
	memcpy(strstr(row, ",ok,"), ",no,", 4);
	assert_int_equal(bench_cell_parse(row, &c), -EINVAL);
}

static void test_status_names(void **state)
{
	enum bench_status s;

	(void)state;
	for (int i = 0; i < BENCH_N_STATUS; i++) {
		assert_int_equal(bench_status_parse(bench_status_name(i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_string_equal(bench_status_name(BENCH_OOM), "oom");
	assert_int_equal(bench_status_parse("fine", &s), -1);
}

static void test_checkpoints(void **state)
{
	uint64_t want[] = { 1, 10, 100, 1000, 10000, 10800 }, m = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		m = bench_next_checkpoint(m, 10800);
		assert_int_equal(m, want[i]);
	}
	assert_int_equal(bench_next_checkpoint(10800, 10800), 10800);
	assert_int_equal(bench_next_checkpoint(0, 10000), 1);
	assert_int_equal(bench_next_checkpoint(1000, 10000), 10000);
	assert_int_equal(bench_next_checkpoint(0, 5), 1);
	assert_int_equal(bench_next_checkpoint(1, 5), 5);
	assert_int_equal(bench_next_checkpoint(0, 1), 1);
}

static void test_hash_sees_every_answer(void **state)
{
	uint64_t a = BENCH_HASH_SEED, b = BENCH_HASH_SEED, c = BENCH_HASH_SEED;

	(void)state;
	a = bench_hash_step(bench_hash_step(a, 30000), 20000);
	b = bench_hash_step(bench_hash_step(b, 20000), 30000);
	c = bench_hash_step(bench_hash_step(c, 30000), 20001);
	assert_true(a != b); /* order matters */
	assert_true(a != c); /* one answer off */
	assert_true(bench_hash_step(1, UINT64_MAX) != bench_hash_step(1, 0));
}

static void test_answers_compared_like_with_like(void **state)
{
	struct bench_answers ref = { 0 };
	char list[BENCH_CHECKPOINTS_MAX] = "";
	uint64_t at = 0;
	size_t used = 0;

	(void)state;
	used = bench_checkpoints_add(list, sizeof(list), used, 1, 0xaa);
	used = bench_checkpoints_add(list, sizeof(list), used, 10, 0xbb);
	used = bench_checkpoints_add(list, sizeof(list), used, 100, 0xcc);
	assert_string_equal(list, "1:00000000000000aa;10:00000000000000bb;100:00000000000000cc");
	assert_int_equal(used, strlen(list));
	assert_int_equal(bench_answers_check(&ref, list, &at), 0);
	/* a sample agrees with the whole at the checkpoints it reached */
	assert_int_equal(bench_answers_check(&ref, "1:aa;10:bb", &at), 0);
	assert_int_equal(bench_answers_check(&ref, "1:aa;10:bd", &at), -1);
	assert_int_equal(at, 10);
	/* a row that goes further adds its checkpoints; later rows are held to them */
	assert_int_equal(bench_answers_check(&ref, "1:aa;10:bb;100:cc;1000:dd", &at), 0);
	assert_int_equal(bench_answers_check(&ref, "1:aa;1000:de", &at), -1);
	assert_int_equal(at, 1000);
	assert_int_equal(bench_answers_check(&ref, "", &at), 0);
	/* a full list is never overrun */
	while (bench_checkpoints_add(list, sizeof(list), used, 1000000, 0xff) != used)
		used = strlen(list);
	assert_true(strlen(list) < sizeof(list));
}

/* Each phase line and a #vm line, written by the child's functions, read back by the parent. */
static void test_protocol_lines(void **state)
{
	struct bench_child_notes notes = { BENCH_PHASE_START, 0 };
	struct bench_cell row;
	char buf[128];
	int fds[2];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	for (int p = 0; p < BENCH_N_PHASES; p++) {
		bench_proto_phase(fds[1], p);
		n = read(fds[0], buf, sizeof(buf) - 1);
		assert_int_equal(n, bench_phase_line_len(p));
		assert_int_equal(buf[n - 1], '\n');
		buf[n - 1] = '\0';
		assert_true(bench_proto_is_phase(buf, (size_t)n - 1, p));
		assert_int_equal(bench_proto_line(buf, &notes, &row), 0);
		assert_int_equal(notes.phase, p);
	}
	bench_proto_vm(fds[1], 17179869184ULL);
	n = read(fds[0], buf, sizeof(buf) - 1);
	buf[n] = '\0';
	assert_string_equal(buf, "#vm 17179869184\n");
	buf[n - 1] = '\0';
	assert_int_equal(bench_proto_line(buf, &notes, &row), 0);
	assert_int_equal(notes.vm, 17179869184ULL);
	close(fds[0]);
	close(fds[1]);
	/* an index cell: parse, build, numbers, lookup, teardown; tables built by numbers */
	assert_int_equal(bench_phase_next(BENCH_PHASE_START), BENCH_PHASE_PARSE);
	assert_int_equal(bench_phase_next(BENCH_PHASE_TABLES_BUILT), BENCH_PHASE_LOOKUP);
	assert_int_equal(bench_phase_next(BENCH_PHASE_LOOKUP), BENCH_PHASE_TEARDOWN);
	assert_int_equal(bench_phase_next(BENCH_PHASE_TEARDOWN), BENCH_N_PHASES);
	assert_int_equal(bench_phase_next(BENCH_PHASE_STREAM), BENCH_N_PHASES);
	assert_true(BENCH_PHASE_PARSE < BENCH_PHASE_BUILD && BENCH_PHASE_BUILD <
		    BENCH_PHASE_TABLES_BUILT);
}

/* A row among the notes is found; the header is not a row. */
static void test_protocol_scan(void **state)
{
	struct bench_child_notes notes = { BENCH_PHASE_START, 0 };
	struct bench_cell c, back;
	char out[2 * BENCH_ROW_MAX + 64];
	size_t n;

	(void)state;
	fill(&c);
	n = (size_t)snprintf(out, sizeof(out), "#phase parse\n");
	n += bench_cell_header(out + n, sizeof(out) - n);
	n += (size_t)snprintf(out + n, sizeof(out) - n, "#phase lookup\n");
	bench_cell_format(&c, out + n, sizeof(out) - n);
	assert_int_equal(bench_proto_scan(out, &notes, &back), 1);
	assert_int_equal(notes.phase, BENCH_PHASE_LOOKUP);
	assert_string_equal(back.impl, c.impl);
	assert_int_equal(back.checksum, c.checksum);
	snprintf(out, sizeof(out), "#phase build\n#vm 12\n");
	assert_int_equal(bench_proto_scan(out, &notes, &back), 0);
	assert_int_equal(notes.vm, 12);
}

/* The child's command line: every carrier, the numbers and options; too long is an error. */
static void test_protocol_argv(void **state)
{
	static struct rb_argv av;
	struct bench_cell_args a = { .impl = "lazytrie", .numbers = "n.txt", .reps = 5,
				     .budget_s = 60, .mem_limit = 1024, .allocator = BENCH_GLIBC };
	size_t i;

	(void)state;
	a.n_carriers = BENCH_MAX_CARRIERS;
	for (size_t k = 0; k < a.n_carriers; k++)
		a.routes[k] = "r.txt";
	rb_argv_init(&av);
	assert_int_equal(bench_proto_argv(&av, "routebench", &a, 1), 0);
	assert_string_equal(av.v[0], "routebench");
	assert_string_equal(av.v[1], "measure");
	assert_string_equal(av.v[2], "--in-process");
	assert_string_equal(av.v[3], "--" BENCH_PROTO_PHASES_OPT);
	assert_string_equal(av.v[4], "--impl");
	for (i = 0; av.v[i] && strcmp(av.v[i], "--numbers") != 0; i++)
		;
	assert_int_equal(i, 6 + 2 * BENCH_MAX_CARRIERS);
	for (; av.v[i] && strcmp(av.v[i], "--mem-limit") != 0; i++)
		;
	assert_string_equal(av.v[i + 1], "1024");
	assert_null(av.v[av.n]);
	/* the same cell behind a prefix that leaves no room: refused, never cut short */
	rb_argv_init(&av);
	while (av.n < RB_ARGV_MAX - 100)
		rb_argv_push(&av, "--valgrind-option");
	assert_int_equal(bench_proto_argv(&av, "routebench", &a, 0), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_header_matches_rows),
		cmocka_unit_test(test_unmeasured_is_empty),
		cmocka_unit_test(test_stream_row),
		cmocka_unit_test(test_longest_row),
		cmocka_unit_test(test_detail_cannot_break_the_csv),
		cmocka_unit_test(test_bad_rows_rejected),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_checkpoints),
		cmocka_unit_test(test_hash_sees_every_answer),
		cmocka_unit_test(test_answers_compared_like_with_like),
		cmocka_unit_test(test_lookup_samples),
		cmocka_unit_test(test_protocol_lines),
		cmocka_unit_test(test_protocol_scan),
		cmocka_unit_test(test_protocol_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
