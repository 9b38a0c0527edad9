/*
 * massif.c - `routebench massif`: each implementation's `measure --in-process` cell under
 * valgrind --tool=massif (heap over time as CSV, a vgdb snapshot of the built table) and natively
 * (heap_bytes, struct_bytes), side by side; `--parse FILE` converts one massif file. Cost: two
 * runs per implementation, the valgrind one ~20-50x slower. Lesson: two instruments that agree
 * on the plateau and disagree on the peak are telling you about the transients in between.
 */
#include <errno.h>
#include <getopt.h>
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
	"  --impls LIST       implementations, comma-separated (default: all)\n"
	"  --size N           routes (default 100K)\n"
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

/* The field called name in a CSV header + row (out holds both lines), into buf. 0 or -1. */
static int csv_field(const char *out, const char *name, char *buf, size_t cap)
{
	const char *header = out, *row = strchr(out, '\n'), *h, *r;
	size_t col = 0, want = (size_t)-1, nlen = strlen(name);

	if (!row)
		return -1;
	row++;
	for (h = header; *h && *h != '\n'; col++) {
		size_t len = strcspn(h, ",\n");

		if (len == nlen && memcmp(h, name, len) == 0)
			want = col;
		h += len;
		if (*h == ',')
			h++;
	}
	for (r = row, col = 0; *r && *r != '\n'; col++) {
		size_t len = strcspn(r, ",\n");

		if (col == want) {
			snprintf(buf, cap, "%.*s", (int)len, r);
			return 0;
		}
		r += len;
		if (*r == ',')
			r++;
	}
	return -1;
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
 * From "#phase numbers" on, the table is built, the route arrays are freed and nothing but the
 * loader (which massif ignores) allocates until the teardown: `vgdb --pid=PID snapshot FILE`
 * there records the heap the harness's heap_bytes describes. vgdb gets in when valgrind next
 * polls, while the numbers load (a large file, of which only --queries are priced) and the
 * lookups run. Each phase line is one write(): if more than "#phase lookup\n" is waiting in the
 * pipe when vgdb returns, the teardown has begun, the snapshot may be late, and it is not used.
 */
static void on_phase(const char *line, size_t len, struct rb_child *c, void *ctx)
{
	struct plateau *p = ctx;
	char pid_arg[32], out[512];
	char *argv[] = { (char *)p->vgdb, pid_arg, "--max-invoke-ms=0", "snapshot",
			 (char *)p->file, NULL };
	int status, pending = 0;

	if (p->asked || len != 14 || memcmp(line, "#phase numbers", 14) != 0)
		return;
	p->asked = 1;
	snprintf(pid_arg, sizeof(pid_arg), "--pid=%ld", (long)c->pid);
	p->taken = run_capture(argv, out, sizeof(out), p->log, 60, NULL, NULL, &status) == 0 &&
		   access(p->file, R_OK) == 0;
	p->late = ioctl(c->out_fd, FIONREAD, &pending) != 0 || pending > (int)strlen("#phase lookup\n");
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

/* The valgrind command line for one cell into argv (strings in bufs). */
static void valgrind_argv(const struct massif_args *a, const char *self, const char *out_file,
			  const char *impl, const char *routes, const char *nums,
			  char bufs[4][4300], char **argv)
{
	size_t i = 0;

	snprintf(bufs[0], sizeof(bufs[0]), "--massif-out-file=%s", out_file);
	snprintf(bufs[1], sizeof(bufs[1]), "--time-unit=%s", a->time_unit);
	snprintf(bufs[2], sizeof(bufs[2]), "--heap-admin=%" PRIu64, a->heap_admin);
	snprintf(bufs[3], sizeof(bufs[3]), "%" PRIu64, a->numbers);
	argv[i++] = (char *)a->valgrind;
	argv[i++] = "--tool=massif";
	argv[i++] = bufs[0];
	argv[i++] = bufs[1];
	argv[i++] = bufs[2];
	argv[i++] = "--max-snapshots=200";
	argv[i++] = "--peak-inaccuracy=0.1";
	argv[i++] = "--ignore-fn=ds_loader_grow";
	argv[i++] = "--ignore-fn=ds_parse_routes";
	argv[i++] = "--ignore-fn=ds_parse_numbers";
	argv[i++] = "--ignore-fn=ds_load_routes";
	argv[i++] = "--ignore-fn=ds_load_numbers";
	argv[i++] = (char *)self;
	argv[i++] = "measure";
	argv[i++] = "--in-process";
	argv[i++] = "--phases";
	argv[i++] = "--impl";
	argv[i++] = (char *)impl;
	argv[i++] = "--routes";
	argv[i++] = (char *)routes;
	argv[i++] = "--numbers";
	argv[i++] = (char *)nums;
	argv[i++] = "--queries";
	argv[i++] = bufs[3];
	argv[i++] = "--reps";
	argv[i++] = "5";
	argv[i++] = "--budget-s";
	argv[i++] = "0";
	argv[i] = NULL;
}

/* The harness's own figures for the cell, from a native `measure --in-process`. */
static int native_row(const char *self, const char *impl, const char *routes, const char *nums,
		      uint64_t queries, const char *log, struct massif_row *row)
{
	char q[32];
	char *argv[] = { (char *)self, "measure", "--in-process", "--impl", (char *)impl,
			 "--routes", (char *)routes, "--numbers", (char *)nums, "--queries", q,
			 "--reps", "1", "--budget-s", "0", NULL };
	char *out = malloc(OUT_MAX), field[64] = "";
	int status, rc;

	if (!out)
		return -ENOMEM;
	snprintf(q, sizeof(q), "%" PRIu64, queries);
	rc = run_capture(argv, out, OUT_MAX, log, 0, NULL, NULL, &status);
	if (rc == 0 && (csv_field(out, "status", field, sizeof(field)) != 0 ||
			strcmp(field, "ok") != 0)) {
		snprintf(row->why, sizeof(row->why), "native measure: status %s", field);
		rc = -EINVAL;
	}
	if (rc == 0 && csv_field(out, "heap_bytes", field, sizeof(field)) == 0)
		row->heap_bytes = strtoll(field, NULL, 10);
	if (rc == 0 && csv_field(out, "struct_bytes", field, sizeof(field)) == 0)
		row->struct_bytes = strtoull(field, NULL, 10);
	if (rc != 0 && !row->why[0])
		snprintf(row->why, sizeof(row->why), "native measure failed (see massif-%s.log)",
			 impl);
	free(out);
	return rc;
}

/*
 * massif over a routebench that stops at a usage error: the heap every process holds before it
 * builds anything (the C++ runtime's emergency pool; stderr is unbuffered). Its peak goes to
 * *base.
 */
static int baseline(const struct massif_args *a, const char *self, struct massif_row *base)
{
	char file[4200], log[4200], bufs[3][4300], out[256];
	char *argv[] = { (char *)a->valgrind, "--tool=massif", bufs[0], bufs[1], bufs[2],
			 (char *)self, "measure", "--in-process", NULL };
	struct massif_run r;
	int status, rc;

	snprintf(file, sizeof(file), "%s/baseline.massif.out", a->out);
	snprintf(log, sizeof(log), "%s/baseline.massif.log", a->out);
	snprintf(bufs[0], sizeof(bufs[0]), "--massif-out-file=%s", file);
	snprintf(bufs[1], sizeof(bufs[1]), "--time-unit=%s", a->time_unit);
	snprintf(bufs[2], sizeof(bufs[2]), "--heap-admin=%" PRIu64, a->heap_admin);
	rc = run_capture(argv, out, sizeof(out), log, a->timeout_s, NULL, NULL, &status);
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

/* One implementation: massif (retried at a tenth of the size once), then the native figures. */
static void profile_one(const struct massif_args *a, const char *self,
			const struct route_table_ops *ops, struct massif_row *row)
{
	char routes[4096], nums[4096], file[4200], csv[4200], log[4200], pfile[4200];
	char bufs[4][4300], out[OUT_MAX / 4], vgdb[4200];
	char *argv[32];
	struct plateau p = { .vgdb = vgdb, .file = pfile, .log = log };
	struct massif_run r;
	int status, rc;

	row->impl = ops->name;
	row->n_routes = a->size;
	snprintf(file, sizeof(file), "%s/massif-%s.out", a->out, ops->name);
	snprintf(csv, sizeof(csv), "%s/massif-%s.csv", a->out, ops->name);
	snprintf(log, sizeof(log), "%s/massif-%s.log", a->out, ops->name);
	snprintf(pfile, sizeof(pfile), "%s/massif-%s.built.out", a->out, ops->name);
	vgdb_path(a->valgrind, vgdb, sizeof(vgdb));
	for (;;) {
		double t0 = rb_now_s();

		rc = datasets(row->n_routes, a->numbers, routes, nums, sizeof(routes));
		if (rc != 0) {
			snprintf(row->why, sizeof(row->why), "no dataset: %s", strerror(-rc));
			return;
		}
		unlink(pfile);
		p.asked = p.taken = p.late = 0;
		valgrind_argv(a, self, file, ops->name, routes, nums, bufs, argv);
		fprintf(stderr, "massif: %-12s %8" PRIu64 " routes under valgrind... ", ops->name,
			row->n_routes);
		rc = run_capture(argv, out, sizeof(out), log, a->timeout_s, on_phase, &p, &status);
		fprintf(stderr, "%.1f s%s\n", rb_now_s() - t0,
			rc == -ETIMEDOUT ? " (timed out)" : rc ? " (failed)" : "");
		if (rc != -ETIMEDOUT || row->retried || row->n_routes < 10)
			break;
		row->retried = 1;
		row->n_routes /= 10;
	}
	if (rc != 0) {
		snprintf(row->why, sizeof(row->why), "%s under valgrind (see massif-%s.log)",
			 rc == -ETIMEDOUT ? "timed out" : "failed", ops->name);
		return;
	}
	if (load(file, &r) != 0) {
		snprintf(row->why, sizeof(row->why), "massif-%s.out unreadable", ops->name);
		return;
	}
	row->peak_heap = r.v[r.peak].heap;
	row->peak_extra = r.v[r.peak].extra;
	rc = write_csv(&r, csv);
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
	if (p.taken && load(pfile, &r) == 0) {
		row->plateau_heap = r.v[r.n - 1].heap;
		row->plateau_extra = r.v[r.n - 1].extra;
		row->have_plateau = 1;
		massif_free(&r);
	}
	if (native_row(self, ops->name, routes, nums, a->numbers, log, row) != 0)
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

static int add_impls(struct massif_args *a, const char *list)
{
	char buf[1024];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("massif", "--impls: list too long");
	strcpy(buf, list);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		if (!rt_find(tok))
			return cli_usage_error("massif", "no implementation named '%s' (see "
							 "'routebench list')", tok);
		if (a->k == MAX_IMPLS)
			return cli_usage_error("massif", "at most %d implementations", MAX_IMPLS);
		a->ops[a->k++] = rt_find(tok);
	}
	return a->k ? 0 : cli_usage_error("massif", "--impls: empty list");
}

static int parse_args(int argc, char **argv, struct massif_args *a)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'O' },
		{ "impls", required_argument, NULL, 'I' },
		{ "size", required_argument, NULL, 's' },
		{ "numbers", required_argument, NULL, 'n' },
		{ "time-unit", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 't' },
		{ "valgrind", required_argument, NULL, 'V' },
		{ "heap-admin", required_argument, NULL, 'A' },
		{ "parse", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	a->size = DEFAULT_SIZE;
	a->numbers = DEFAULT_NUMBERS;
	a->timeout_s = DEFAULT_TIMEOUT_S;
	a->valgrind = "valgrind";
	a->time_unit = "ms";
	a->heap_admin = DEFAULT_HEAP_ADMIN;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'O': a->out = optarg; break;
		case 'o': a->csv = optarg; break;
		case 'I':
			rc = add_impls(a, optarg);
			if (rc)
				return rc;
			break;
		case 's':
			if (cli_parse_u64(optarg, 0, &a->size) != 0 || !a->size ||
			    a->size > DS_MAX_COUNT)
				return cli_usage_error("massif", "--size: bad count '%s'", optarg);
			break;
		case 'n':
			if (cli_parse_u64(optarg, 0, &a->numbers) != 0 || !a->numbers ||
			    a->numbers > DS_MAX_COUNT)
				return cli_usage_error("massif", "--numbers: bad count '%s'",
						       optarg);
			break;
		case 'u':
			if (strcmp(optarg, "B") && strcmp(optarg, "ms") && strcmp(optarg, "i"))
				return cli_usage_error("massif", "--time-unit: B, ms or i, not "
								 "'%s'", optarg);
			a->time_unit = optarg;
			break;
		case 't':
			if (cli_parse_double(optarg, &a->timeout_s) != 0)
				return cli_usage_error("massif", "--timeout: bad seconds '%s'",
						       optarg);
			break;
		case 'V': a->valgrind = optarg; break;
		case 'A':
			if (cli_parse_u64(optarg, 0, &a->heap_admin) != 0 || a->heap_admin > 4096)
				return cli_usage_error("massif", "--heap-admin: bad byte count "
								 "'%s'", optarg);
			break;
		case 'p': a->parse = optarg; break;
		case 'h': fputs(massif_help, stdout); return -1;
		case ':': return cli_usage_error("massif", "%s needs a value", argv[optind - 1]);
		default: return cli_usage_error("massif", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("massif", "unexpected argument '%s'", argv[optind]);
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
