/*
 * massif.c - `routebench massif`: each implementation's `measure --in-process` cell under
 * valgrind --tool=massif (heap over time as CSV, a vgdb snapshot of the built table) and natively
 * (heap_bytes, struct_bytes), side by side; `--parse FILE` converts one massif file. Cost: two
 * runs per implementation, the valgrind one ~20-50x slower. Lesson: two instruments that agree
 * on the plateau and disagree on the peak are telling you about the transients in between.
 */
#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allocator.h"
#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "dataset.h"
#include "gen.h"
#include "massif.h"
#include "outfile.h"
#include "proc.h"
#include "protocol.h"
#include "registry.h"

#define MAX_IMPLS 64
#define OUT_MAX 16384
#define DEFAULT_SIZE 100000
#define DEFAULT_NUMBERS 100
#define NUMBERS_LOADED 200000 /* numbers in the file: loading them is vgdb's time to get in */
#define DEFAULT_TIMEOUT_S 300.0
#define DEFAULT_HEAP_ADMIN 16 /* glibc: an 8-byte size field, chunks rounded up to 16 */
#define TRANSIENT_SHARE 0.02 /* a peak this far above the table's own bytes is a transient */

static const char massif_help[] =
	"usage: routebench massif --out DIR [--impls LIST] [--size N] [--numbers N]\n"
	"                         [--time-unit ms|B|i] [--timeout S] [--valgrind PATH]\n"
	"                         [--heap-admin B]\n"
	"       routebench massif --parse FILE [-o CSV]\n"
	"\n"
	"Profile the heap of one cell per implementation with valgrind --tool=massif: `routebench\n"
	"measure --in-process` over a generated makeschool-shaped route list (seed 1) and a few\n"
	"numbers. The loader's own arrays (ds_parse_routes, ds_parse_numbers) are left out with\n"
	"--ignore-fn, so the profile is the table's. Once the table is built, `vgdb snapshot`\n"
	"records its heap. The same cell also runs natively for the harness's heap_bytes\n"
	"(valgrind replaces the allocator, so mallinfo2 means nothing under it). The table\n"
	"printed at the end sets the two side by side, with the build's peak above the finished\n"
	"table.\n"
	"\n"
	"Writes into DIR: massif-IMPL.out (massif's own file), massif-IMPL.built.out (the\n"
	"snapshot of the built table), massif-IMPL.csv (snapshot, time, time_frac, heap_bytes,\n"
	"extra_bytes, peak: for plots/massif.gp), massif-IMPL.log (messages) and massif.csv (the\n"
	"table). A run past --timeout is retried once at a tenth of the size, and says so.\n"
	"\n"
	"  --out DIR          run folder (created), e.g. results/<UTC time>-massif (make massif)\n"
	"  --impls LIST       implementations, comma-separated, or all (the default)\n"
	"  --size N           routes, 1 to 100M (default 100K)\n"
	"  --numbers N        numbers priced, of 200K loaded (default 100: lookups allocate\n"
	"                     nothing, and the linear scan is slow under valgrind)\n"
	"  --time-unit U      massif's x axis: ms (default: the lookups show as the plateau), B\n"
	"                     (bytes allocated + freed: the same on every machine) or i\n"
	"  --timeout S        seconds per valgrind run (default 300)\n"
	"  --valgrind PATH    the valgrind to run (default: valgrind, from PATH; vgdb beside it)\n"
	"  --heap-admin B     massif's bytes of allocator overhead per block (default 16: glibc's\n"
	"                     for requests that are multiples of 16)\n"
	"  --parse FILE       only parse FILE (massif output): print its snapshots and peak, and\n"
	"                     with -o CSV write the CSV\n"
	"  -h, --help         this help\n"
	"\n"
	"Exit status: 0 success, 1 a run or a file failed, 2 usage error.\n";

struct massif_args {
	const struct route_table_ops *ops[MAX_IMPLS];
	size_t k;
	const char *out, *parse, *csv, *valgrind, *time_unit;
	uint64_t size, numbers, heap_admin;
	double timeout_s;
};

/* What one implementation gave. */
struct massif_row {
	const char *impl;
	uint64_t n_routes;
	int retried;             /* ran at a tenth of the size after a timeout */
	int ok, have_plateau;
	char why[160];
	uint64_t peak_heap, peak_extra;       /* massif's peak snapshot */
	uint64_t plateau_heap, plateau_extra; /* massif, built and not yet torn down (vgdb) */
	int64_t heap_bytes;      /* harness, native run */
	uint64_t struct_bytes;
};

/*
 * Run argv with stdout captured into out[cap] (NUL-terminated; the rest is dropped) and each
 * line handed to on_line (may be NULL) as it arrives; stderr is appended to err_path. Killed
 * after timeout_s (0: none). 0 when it exited 0; -ETIMEDOUT; -ECHILD for any other end (its
 * wait status in *status); -errno when it could not be started.
 */
static int run_capture(char *const argv[], char *out, size_t cap, const char *err_path,
		       double timeout_s, rb_child_line_fn on_line, void *ctx, int *status)
{
	struct rb_child c = { .argv = argv, .out = RB_IO_PIPE, .err = RB_IO_FILE,
			      .err_path = err_path, .timeout_s = timeout_s };
	int rc = rb_child_start(&c);

	if (rc != 0)
		return rc;
	rb_child_read(&c, out, cap, on_line, ctx);
	rc = rb_child_wait(&c);
	*status = c.status;
	if (rc != 0)
		return rc;
	if (c.timed_out)
		return -ETIMEDOUT;
	return rb_child_exited(&c, 0) ? 0 : -ECHILD;
}

/* Our own executable, for re-running it. 0 or -errno. */
static int self_path(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Generated (cached) routes of n lines and numbers against them. 0 or -errno. */
static int datasets(uint64_t n, uint64_t numbers, char *routes, char *nums, size_t cap)
{
	struct ds_gen_routes gr = { .count = n, .seed = 1, .shape = DS_SHAPE_MAKESCHOOL };
	struct ds_gen_numbers gn = { .count = numbers > NUMBERS_LOADED ? numbers : NUMBERS_LOADED,
				     .seed = 1, .hit_ratio = 0.5 };
	int rc = ds_gen_cached_routes(&gr, NULL, routes, cap);

	gn.routes_path = routes;
	return rc ? rc : ds_gen_cached_numbers(&gn, NULL, nums, cap);
}

/* Parse the massif file at path into *r, printing why it failed. 0 or -EINVAL. */
static int load(const char *path, struct massif_run *r)
{
	struct ds_error err;

	if (massif_load(path, r, &err) == 0)
		return 0;
	ds_error_print(&err, stderr);
	return -EINVAL;
}

/* Write r as CSV to path, atomically. 0 or -errno (printed). */
static int write_csv(const struct massif_run *r, const char *path)
{
	struct rb_outfile o;
	int rc = rb_outfile_open(&o, path);

	if (rc == 0) {
		rc = massif_write_csv(r, o.f);
		if (rc == 0)
			rc = rb_outfile_commit(&o);
		else
			rb_outfile_abort(&o);
	}
	if (rc != 0)
		fprintf(stderr, "routebench massif: cannot write %s: %s\n", path, strerror(-rc));
	return rc;
}

/* Asking a running valgrind for a snapshot of the built table. */
struct plateau {
	const char *vgdb, *file, *log;
	int asked, taken, late;
};

/*
 * From BENCH_PHASE_TABLES_BUILT on (protocol.h), the table is built, the route arrays are freed
 * and nothing but the loader (which massif ignores) allocates until the teardown: `vgdb
 * --pid=PID snapshot FILE` there records the heap the harness's heap_bytes describes. vgdb gets
 * in when valgrind next polls, while the numbers load (a large file, of which only --queries
 * are priced) and the lookups run. Each phase line is one write(): if more than the next
 * phase's line is waiting in the pipe when vgdb returns, the phase after it (the teardown) has
 * begun, the snapshot may be late, and it is not used.
 */
static void on_phase(const char *line, size_t len, struct rb_child *c, void *ctx)
{
	struct plateau *p = ctx;
	char pid_arg[32], out[512];
	char *argv[] = { (char *)p->vgdb, pid_arg, "--max-invoke-ms=0", "snapshot",
			 (char *)p->file, NULL };
	int status, pending = 0;

	if (p->asked || !bench_proto_is_phase(line, len, BENCH_PHASE_TABLES_BUILT))
		return;
	p->asked = 1;
	snprintf(pid_arg, sizeof(pid_arg), "--pid=%ld", (long)c->pid);
	p->taken = run_capture(argv, out, sizeof(out), p->log, 60, NULL, NULL, &status) == 0 &&
		   access(p->file, R_OK) == 0;
	p->late = ioctl(c->out_fd, FIONREAD, &pending) != 0 ||
		  pending > (int)bench_phase_line_len(bench_phase_next(BENCH_PHASE_TABLES_BUILT));
	if (p->late)
		p->taken = 0;
}

/* The vgdb next to the valgrind we run (same folder), else the one on PATH. */
static void vgdb_path(const char *valgrind, char *buf, size_t cap)
{
	const char *slash = strrchr(valgrind, '/');

	if (slash)
		snprintf(buf, cap, "%.*s/vgdb", (int)(slash - valgrind), valgrind);
	else
		snprintf(buf, cap, "vgdb");
}

/* valgrind --tool=massif and the options every run shares, into *av (massif's file: out_file). */
static void valgrind_prefix(const struct massif_args *a, const char *out_file,
			    struct rb_argv *av)
{
	rb_argv_push(av, a->valgrind);
	rb_argv_push(av, "--tool=massif");
	rb_argv_pushf(av, "--massif-out-file=%s", out_file);
	rb_argv_pushf(av, "--time-unit=%s", a->time_unit);
	rb_argv_pushf(av, "--heap-admin=%" PRIu64, a->heap_admin);
}

/* The cell massif measures: impl over routes, the first queries numbers, no limits. */
static struct bench_cell_args massif_cell(const char *impl, const char *routes,
					  const char *nums, uint64_t queries, uint64_t reps)
{
	struct bench_cell_args c = { .strategy = BENCH_INDEX, .impl = impl, .n_carriers = 1,
				     .numbers = nums, .queries = queries, .reps = reps,
				     .allocator = BENCH_GLIBC };

	c.routes[0] = routes;
	return c;
}

/*
 * The valgrind command line for one cell into *av: the child's own (protocol.h), with the
 * phase lines on_phase waits for, behind massif's options. 0 or -E2BIG.
 */
static int valgrind_argv(const struct massif_args *a, const char *self, const char *out_file,
			 const struct bench_cell_args *cell, struct rb_argv *av)
{
	rb_argv_init(av);
	valgrind_prefix(a, out_file, av);
	rb_argv_push(av, "--max-snapshots=200");
	rb_argv_push(av, "--peak-inaccuracy=0.1");
	rb_argv_push(av, "--ignore-fn=ds_loader_grow");
	rb_argv_push(av, "--ignore-fn=ds_parse_routes");
	rb_argv_push(av, "--ignore-fn=ds_parse_numbers");
	rb_argv_push(av, "--ignore-fn=ds_load_routes");
	rb_argv_push(av, "--ignore-fn=ds_load_numbers");
	return bench_proto_argv(av, self, cell, 1);
}

/* The harness's own figures for the cell, from a native `measure --in-process`. */
static int native_row(const char *self, const struct bench_cell_args *cell, const char *log,
		      struct massif_row *row)
{
	struct bench_child_notes notes = { BENCH_PHASE_START, 0 };
	struct rb_argv *av = malloc(sizeof(*av));
	char *out = malloc(OUT_MAX);
	struct bench_cell c;
	int status, rc = -ENOMEM;

	if (!out || !av)
		goto out;
	rb_argv_init(av);
	rc = bench_proto_argv(av, self, cell, 0);
	if (rc == 0)
		rc = run_capture(av->v, out, OUT_MAX, log, 0, NULL, NULL, &status);
	if (rc == 0 && !bench_proto_scan(out, &notes, &c)) {
		snprintf(row->why, sizeof(row->why), "native measure: no row");
		rc = -EINVAL;
	} else if (rc == 0 && c.status != BENCH_OK) {
		snprintf(row->why, sizeof(row->why), "native measure: status %s",
			 bench_status_name(c.status));
		rc = -EINVAL;
	}
	if (rc == 0) {
		row->heap_bytes = c.heap_bytes;
		row->struct_bytes = c.struct_bytes;
	}
out:
	if (rc != 0 && !row->why[0])
		snprintf(row->why, sizeof(row->why), "native measure failed (see massif-%s.log)",
			 cell->impl);
	free(out);
	free(av);
	return rc;
}

/*
 * massif over a routebench that stops at a usage error: the heap every process holds before it
 * builds anything (the C++ runtime's emergency pool; stderr is unbuffered). Its peak goes to
 * *base.
 */
static int baseline(const struct massif_args *a, const char *self, struct massif_row *base)
{
	static struct rb_argv av;
	char file[4200], log[4200], out[256];
	struct massif_run r;
	int status, rc;

	snprintf(file, sizeof(file), "%s/baseline.massif.out", a->out);
	snprintf(log, sizeof(log), "%s/baseline.massif.log", a->out);
	rb_argv_init(&av);
	valgrind_prefix(a, file, &av);
	rb_argv_push(&av, self);
	rb_argv_push(&av, "measure");
	rb_argv_push(&av, "--in-process");
	if (av.overflow)
		return -E2BIG;
	rc = run_capture(av.v, out, sizeof(out), log, a->timeout_s, NULL, NULL, &status);
	if (rc != -ECHILD || !WIFEXITED(status) || WEXITSTATUS(status) != CLI_USAGE) {
		fprintf(stderr, "routebench massif: %s --tool=massif did not run (see %s)\n",
			a->valgrind, log);
		return rc ? rc : -EINVAL;
	}
	rc = load(file, &r);
	if (rc != 0)
		return rc;
	base->peak_heap = r.v[r.peak].heap;
	base->peak_extra = r.v[r.peak].extra;
	massif_free(&r);
	return 0;
}

/* Where one implementation's files go. */
struct massif_files {
	char routes[4096], nums[4096];
	char out[4200], csv[4200], log[4200], built[4200], vgdb[4200];
};

/*
 * Run the cell under valgrind, retried once at a tenth of the size after a timeout; p says
 * whether vgdb caught the built table. 0 or -errno, with row->why filled.
 */
static int run_massif(const struct massif_args *a, const char *self, struct massif_files *f,
		      struct plateau *p, struct massif_row *row)
{
	static struct rb_argv av;
	char out[OUT_MAX / 4];
	int status, rc;

	for (;;) {
		double t0 = rb_now_s();
		struct bench_cell_args cell;

		rc = datasets(row->n_routes, a->numbers, f->routes, f->nums, sizeof(f->routes));
		if (rc != 0) {
			snprintf(row->why, sizeof(row->why), "no dataset: %s", strerror(-rc));
			return rc;
		}
		cell = massif_cell(row->impl, f->routes, f->nums, a->numbers, 5);
		if (valgrind_argv(a, self, f->out, &cell, &av) != 0) {
			snprintf(row->why, sizeof(row->why), "valgrind command line too long");
			return -E2BIG;
		}
		unlink(f->built);
		p->asked = p->taken = p->late = 0;
		fprintf(stderr, "massif: %-12s %8" PRIu64 " routes under valgrind... ", row->impl,
			row->n_routes);
		rc = run_capture(av.v, out, sizeof(out), f->log, a->timeout_s, on_phase, p,
				 &status);
		fprintf(stderr, "%.1f s%s\n", rb_now_s() - t0,
			rc == -ETIMEDOUT ? " (timed out)" : rc ? " (failed)" : "");
		if (rc != -ETIMEDOUT || row->retried || row->n_routes < 10)
			break;
		row->retried = 1;
		row->n_routes /= 10;
	}
	if (rc != 0)
		snprintf(row->why, sizeof(row->why), "%s under valgrind (see massif-%s.log)",
			 rc == -ETIMEDOUT ? "timed out" : "failed", row->impl);
	return rc;
}

/* One implementation: massif (retried at a tenth of the size once), then the native figures. */
static void profile_one(const struct massif_args *a, const char *self,
			const struct route_table_ops *ops, struct massif_row *row)
{
	static struct massif_files f;
	struct plateau p = { .vgdb = f.vgdb, .file = f.built, .log = f.log };
	struct bench_cell_args cell;
	struct massif_run r;
	int rc;

	row->impl = ops->name;
	row->n_routes = a->size;
	snprintf(f.out, sizeof(f.out), "%s/massif-%s.out", a->out, ops->name);
	snprintf(f.csv, sizeof(f.csv), "%s/massif-%s.csv", a->out, ops->name);
	snprintf(f.log, sizeof(f.log), "%s/massif-%s.log", a->out, ops->name);
	snprintf(f.built, sizeof(f.built), "%s/massif-%s.built.out", a->out, ops->name);
	vgdb_path(a->valgrind, f.vgdb, sizeof(f.vgdb));
	if (run_massif(a, self, &f, &p, row) != 0)
		return;
	if (load(f.out, &r) != 0) {
		snprintf(row->why, sizeof(row->why), "massif-%s.out unreadable", ops->name);
		return;
	}
	row->peak_heap = r.v[r.peak].heap;
	row->peak_extra = r.v[r.peak].extra;
	rc = write_csv(&r, f.csv);
	massif_free(&r);
	if (rc != 0) {
		snprintf(row->why, sizeof(row->why), "cannot write massif-%s.csv", ops->name);
		return;
	}
	if (p.late)
		snprintf(row->why, sizeof(row->why), "vgdb answered after the lookups");
	else if (!p.taken)
		snprintf(row->why, sizeof(row->why), "vgdb did not answer (see massif-%s.log)",
			 ops->name);
	if (p.taken && load(f.built, &r) == 0) {
		row->plateau_heap = r.v[r.n - 1].heap;
		row->plateau_extra = r.v[r.n - 1].extra;
		row->have_plateau = 1;
		massif_free(&r);
	}
	cell = massif_cell(ops->name, f.routes, f.nums, a->numbers, 1);
	if (native_row(self, &cell, f.log, row) != 0)
		return;
	row->ok = 1;
}

static double pct(double a, double b)
{
	return b != 0 ? 100.0 * (a - b) / b : 0;
}

static uint64_t minus(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* The table, to f as text and to DIR/massif.csv. */
static int report(const struct massif_args *a, const struct massif_row *rows, size_t k,
		  const struct massif_row *base, FILE *f)
{
	struct rb_outfile o;
	char path[4200];
	int rc;

	snprintf(path, sizeof(path), "%s/massif.csv", a->out);
	rc = rb_outfile_open(&o, path);
	if (rc != 0)
		return rc;
	fprintf(o.f, "impl,n_routes,massif_peak_heap,massif_peak_extra,massif_built_heap,"
		     "massif_built_extra,baseline_heap,baseline_extra,heap_bytes,struct_bytes,"
		     "built_total_vs_heap_bytes_pct,built_heap_vs_struct_pct,peak_over_built,"
		     "note\n");
	fprintf(f, "\nmassif (valgrind, --heap-admin=%" PRIu64 ", loader arrays ignored, minus the "
		   "%" PRIu64 " + %" PRIu64 " B a process holds before any table) against the "
		   "harness (native run, same cell):\n",
		a->heap_admin, base->peak_heap, base->peak_extra);
	fprintf(f, "  %-12s %8s %12s %12s %8s %12s %12s %7s %12s %7s  %s\n", "impl", "routes",
		"peak heap", "built heap", "+extra", "= total", "heap_bytes", "diff",
		"struct_bytes", "diff", "peak/built");
	for (size_t i = 0; i < k; i++) {
		const struct massif_row *r = &rows[i];
		uint64_t peak = minus(r->peak_heap, base->peak_heap);
		uint64_t heap = minus(r->plateau_heap, base->peak_heap);
		uint64_t extra = minus(r->plateau_extra, base->peak_extra);
		double d_total = pct((double)(heap + extra), (double)r->heap_bytes);
		double d_struct = pct((double)heap, (double)r->struct_bytes);
		double ratio = heap ? (double)peak / (double)heap : 0;
		char note[200] = "";

		if (!r->ok) {
			fprintf(f, "  %-12s %8" PRIu64 "  %s\n", r->impl, r->n_routes, r->why);
			fprintf(o.f, "%s,%" PRIu64 ",,,,,,,,,,,,%s\n", r->impl, r->n_routes,
				r->why);
			continue;
		}
		if (!r->have_plateau)
			snprintf(note, sizeof(note), "no built snapshot: %s", r->why);
		else if (ratio > 1 + TRANSIENT_SHARE)
			snprintf(note, sizeof(note), "build transient");
		if (r->retried)
			snprintf(note + strlen(note), sizeof(note) - strlen(note),
				 "%stimed out at %" PRIu64 " routes", note[0] ? "; " : "",
				 a->size);
		fprintf(f, "  %-12s %8" PRIu64 " %12" PRIu64, r->impl, r->n_routes, peak);
		if (r->have_plateau)
			fprintf(f, " %12" PRIu64 " %8" PRIu64 " %12" PRIu64 " %12" PRId64
				   " %+6.1f%% %12" PRIu64 " %+6.1f%%  %-5.2f %s\n",
				heap, extra, heap + extra, r->heap_bytes, d_total, r->struct_bytes,
				d_struct, ratio, note);
		else
			fprintf(f, " %12s %8s %12s %12" PRId64 " %7s %12" PRIu64 " %7s  %-5s %s\n",
				"-", "-", "-", r->heap_bytes, "", r->struct_bytes, "", "", note);
		fprintf(o.f, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", r->impl, r->n_routes,
			r->peak_heap, r->peak_extra);
		if (r->have_plateau)
			fprintf(o.f, "%" PRIu64 ",%" PRIu64 ",", r->plateau_heap, r->plateau_extra);
		else
			fprintf(o.f, ",,");
		fprintf(o.f, "%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRIu64 ",", base->peak_heap,
			base->peak_extra, r->heap_bytes, r->struct_bytes);
		if (r->have_plateau)
			fprintf(o.f, "%.2f,%.2f,%.3f,", d_total, d_struct, ratio);
		else
			fprintf(o.f, ",,,");
		fprintf(o.f, "%s\n", note);
	}
	fprintf(f, "built: massif's snapshot of the finished table (vgdb, as the numbers load). "
		   "diff: built heap+extra against heap_bytes (allocator bytes after the build "
		   "minus before), built heap against struct_bytes (the table's own accounting). "
		   "peak/built: the transient above the finished table.\n");
	return rb_outfile_commit(&o);
}

enum {
	OPT_OUT = 1, OPT_IMPLS, OPT_SIZE, OPT_NUMBERS, OPT_TIME_UNIT, OPT_TIMEOUT, OPT_VALGRIND,
	OPT_HEAP_ADMIN, OPT_PARSE, OPT_CSV, OPT_HELP,
};

static const struct cli_option massif_options[] = {
	{ "out", CLI_VALUE, OPT_OUT },
	{ "impls", CLI_VALUE, OPT_IMPLS },
	{ "size", CLI_VALUE, OPT_SIZE },
	{ "numbers", CLI_VALUE, OPT_NUMBERS },
	{ "time-unit", CLI_VALUE, OPT_TIME_UNIT },
	{ "timeout", CLI_VALUE, OPT_TIMEOUT },
	{ "valgrind", CLI_VALUE, OPT_VALGRIND },
	{ "heap-admin", CLI_VALUE, OPT_HEAP_ADMIN },
	{ "parse", CLI_VALUE, OPT_PARSE },
	{ "o", CLI_VALUE, OPT_CSV },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* The value of one option into *a. 0, or CLI_USAGE after the message. */
static int massif_option(const struct cli_parser *p, int id, void *ctx)
{
	struct massif_args *a = ctx;
	static const char *const units[] = { "ms", "B", "i" };
	size_t n;
	int k, rc;

	switch (id) {
	case OPT_OUT: a->out = p->arg; return 0;
	case OPT_CSV: a->csv = p->arg; return 0;
	case OPT_IMPLS:
		rc = cli_impls(p, a->ops + a->k, MAX_IMPLS - a->k, &n);
		a->k += rc == 0 ? n : 0;
		return rc;
	case OPT_SIZE: return cli_count(p, 1, DS_MAX_COUNT, &a->size);
	case OPT_NUMBERS: return cli_count(p, 1, DS_MAX_COUNT, &a->numbers);
	case OPT_TIME_UNIT:
		rc = cli_choice(p, units, 3, &k);
		a->time_unit = rc == 0 ? units[k] : a->time_unit;
		return rc;
	case OPT_TIMEOUT: return cli_real(p, 0, HUGE_VAL, &a->timeout_s);
	case OPT_VALGRIND: a->valgrind = p->arg; return 0;
	case OPT_HEAP_ADMIN: return cli_count(p, 0, 4096, &a->heap_admin);
	case OPT_PARSE: a->parse = p->arg; return 0;
	default: return 0;
	}
}

/* What the options say together: a run (--out) or a conversion (--parse). 0 or CLI_USAGE. */
static int massif_check(struct massif_args *a)
{
	if (a->parse && a->out)
		return cli_usage_error("massif", "--parse converts one file; --out is for a run");
	if (!a->parse && a->csv)
		return cli_usage_error("massif", "-o CSV goes with --parse FILE");
	if (!a->parse && !a->out)
		return cli_usage_error("massif", "--out DIR (or --parse FILE) is required");
	if (!a->parse && !a->k)
		for (size_t i = 0; i < rt_registry_count && i < MAX_IMPLS; i++)
			a->ops[a->k++] = rt_registry[i];
	return 0;
}

/* Options into *a. 0, -1 after --help, or CLI_USAGE. */
static int parse_args(int argc, char **argv, struct massif_args *a)
{
	struct cli_parser p;
	int rc;

	a->size = DEFAULT_SIZE;
	a->numbers = DEFAULT_NUMBERS;
	a->timeout_s = DEFAULT_TIMEOUT_S;
	a->valgrind = "valgrind";
	a->time_unit = "ms";
	a->heap_admin = DEFAULT_HEAP_ADMIN;
	cli_init(&p, "routebench massif", argc, argv, massif_options);
	rc = cli_parse_all(&p, massif_help, massif_option, a);
	return rc ? rc : massif_check(a);
}

/* --parse FILE [-o CSV]: a summary to stdout, the CSV to -o. */
static int parse_only(const struct massif_args *a)
{
	struct massif_run r;
	struct ds_error err;
	const struct massif_snapshot *p;
	int rc;

	if (massif_load(a->parse, &r, &err) != 0) {
		ds_error_print(&err, stderr);
		return 1;
	}
	p = &r.v[r.peak];
	printf("%s: %zu snapshots, time unit %s, last time %" PRIu64 "\n", a->parse, r.n,
	       r.time_unit, r.v[r.n - 1].time);
	printf("peak: snapshot %zu at time %" PRIu64 ": heap %" PRIu64 " B + extra %" PRIu64
	       " B = %" PRIu64 " B%s\n",
	       r.peak, p->time, p->heap, p->extra, p->heap + p->extra,
	       p->kind == MASSIF_PEAK ? "" : " (largest heap; no peak snapshot in the file)");
	rc = a->csv ? write_csv(&r, a->csv) : 0;
	massif_free(&r);
	return rc ? 1 : 0;
}

int cmd_massif(int argc, char **argv)
{
	struct massif_args a = { 0 };
	struct massif_row *rows, base = { .impl = "(baseline)" };
	char self[4096];
	int rc = parse_args(argc, argv, &a), status = 0;

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (a.parse)
		return parse_only(&a);
	if (BENCH_ASAN) {
		fprintf(stderr, "routebench massif: this routebench is built with "
				"AddressSanitizer, which cannot run under valgrind; use a plain "
				"build\n");
		return 1;
	}
	rc = self_path(self, sizeof(self));
	if (rc == 0)
		rc = rb_mkdir_p(a.out);
	if (rc != 0) {
		fprintf(stderr, "routebench massif: cannot prepare %s: %s\n", a.out, strerror(-rc));
		return 1;
	}
	if (baseline(&a, self, &base) != 0)
		return 1;
	rows = calloc(a.k, sizeof(*rows));
	if (!rows) {
		fprintf(stderr, "routebench massif: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < a.k; i++) {
		profile_one(&a, self, a.ops[i], &rows[i]);
		if (!rows[i].ok)
			status = 1;
	}
	if (report(&a, rows, a.k, &base, stdout) != 0) {
		fprintf(stderr, "routebench massif: cannot write %s/massif.csv\n", a.out);
		status = 1;
	}
	free(rows);
	return status;
}
