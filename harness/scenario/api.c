/*
 * api.c - scenario 4: per implementation, one server for all its points: a closed loop for the
 * maximum throughput, then open loops at the course's spike (166.7 requests/s) and at 25, 50,
 * 80 and 95% of that maximum; then the no-lookup baseline the same way. One api.csv row per
 * point, written when the server has drained (its peak RSS comes from wait4()). Lesson: below
 * the knee the latency is HTTP's; above it, it is the queue's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "procfs.h"
#include "scenario.h"
#include "server.h"

#define API_POINTS 6
#define WHY_MAX 256

static const char api_header[] =
	"impl,routes,carriers,threads,connections,batch,mode,offered_rate,achieved_rate,requests,"
	"errors,mismatches,unsent,p50_us,p90_us,p99_us,p999_us,p9999_us,max_us,"
	"server_peak_rss_bytes,server_idle_rss_bytes,status,detail";

struct api_point {
	const char *mode;       /* "closed" or "open" */
	double rate;            /* offered; 0 for closed */
	int ok;                 /* row read */
	struct sc_load_row r;
	char why[WHY_MAX];
};

static const char *row_status(const struct api_point *p)
{
	if (!p->ok)
		return "failed";
	return p->r.mismatches ? "mismatch" : p->r.errors ? "errors" : "ok";
}

static void write_row(FILE *f, const struct sc_run *run, const char *impl,
		      const struct api_point *p, uint64_t peak, uint64_t idle)
{
	const struct sc_config *c = run->cfg;
	const struct sc_load_row *r = &p->r;

	fprintf(f, "%s,%" PRIu64 ",%" PRIu64 ",%u,%u,%u,%s,", impl, c->routes, c->carriers,
		c->threads, c->connections, c->batch, p->mode);
	if (p->ok)
		fprintf(f, "%.1f,%.1f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.1f,%.1f,"
			   "%.1f,%.1f,%.1f,%.1f,", p->rate, r->achieved_rate, r->requests,
			r->errors, r->mismatches, r->unsent, r->p50_us, r->p90_us, r->p99_us,
			r->p999_us, r->p9999_us, r->max_us);
	else
		fprintf(f, "%.1f,,,,,,,,,,,,", p->rate);
	fprintf(f, "%" PRIu64 ",%" PRIu64 ",%s,%s\n", peak, idle, row_status(p), p->why);
	fflush(f);
}

/* One load child against the server at p->rate for seconds s, checked against check. */
static void run_point(const struct sc_run *run, const char *url, const char *check,
		      const char *tag, double s, struct api_point *p)
{
	const struct sc_config *c = run->cfg;
	char out[4200], log[4200];
	struct sc_load_args a = { url, run->numbers, p->rate, s, c->connections, c->batch,
				  c->timeout_s, check, NULL, run->n_cpus == 2 ? run->cpus[1] : -1,
				  out, log };
	struct sc_child ch;
	int rc;

	snprintf(out, sizeof(out), "%s/raw/load-%s.csv", run->dir, tag);
	snprintf(log, sizeof(log), "%s/raw/load.log", run->dir);
	rc = sc_load_start(&a, &ch);
	if (rc != 0) {
		snprintf(p->why, sizeof(p->why), "cannot start the load generator: %s",
			 strerror(-rc));
		return;
	}
	p->ok = sc_load_finish(&a, &ch, &p->r, p->why, sizeof(p->why)) == 0;
	sc_csv_clean(p->why);
	fprintf(stderr, "  %-12s %-6s offered %9.1f/s  achieved %9.1f/s  p99 %8.1f us  "
			"p99.9 %8.1f us  %s\n", tag, p->mode, p->rate,
		p->ok ? p->r.achieved_rate : 0, p->ok ? p->r.p99_us : 0, p->ok ? p->r.p999_us : 0,
		row_status(p));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * All points of one server (impl, or the baseline when no_lookup): rows into f. Returns the
 * closed-loop maximum (0 if it could not be measured).
 */
static double api_server(struct sc_run *run, FILE *f, const char *impl, int no_lookup,
			 const char *check)
{
	static const double share[] = { 0.25, 0.50, 0.80, 0.95 };
	const struct sc_config *c = run->cfg;
	const char *name = no_lookup ? SC_BASELINE : impl;
	struct api_point pts[API_POINTS] = { { .mode = "closed" } };
	char log[4200], tag[96];
	struct sc_server_args sa = { no_lookup ? NULL : impl, run->route_ptrs, c->carriers,
				     c->threads, NULL, no_lookup, NULL,
				     run->n_cpus >= 1 ? run->cpus[0] : -1, c->mem_limit,
				     c->start_timeout_s, log };
	struct sc_server s;
	uint64_t idle = 0;
	double rates[API_POINTS - 1], max;
	size_t n = 1;

	snprintf(log, sizeof(log), "%s/raw/serve-%s.log", run->dir, name);
	fprintf(stderr, "routebench bench: api %s: starting the server\n", name);
	if (sc_server_start(&sa, &s, pts[0].why, sizeof(pts[0].why)) != 0) {
		sc_csv_clean(pts[0].why);
		fprintf(stderr, "  %s: the server failed: %s\n", name, pts[0].why);
		write_row(f, run, name, &pts[0], 0, 0);
		return 0;
	}
	sc_proc_status_bytes(s.child.pid, "VmRSS", &idle);
	snprintf(tag, sizeof(tag), "%s-closed", name);
	run_point(run, s.url, check, tag, c->closed_s, &pts[0]);
	max = pts[0].ok && !pts[0].r.errors ? pts[0].r.achieved_rate : 0;
	if (max > 0) {
		rates[0] = SC_SPIKE_RATE;
		for (size_t i = 0; i < 4; i++)
			rates[i + 1] = share[i] * max;
		qsort(rates, API_POINTS - 1, sizeof(rates[0]), cmp_double);
		for (; n < API_POINTS; n++) {
			pts[n] = (struct api_point){ .mode = "open", .rate = rates[n - 1] };
			snprintf(tag, sizeof(tag), "%s-%.0f", name, rates[n - 1]);
			run_point(run, s.url, check, tag, c->point_s, &pts[n]);
		}
	}
	if (sc_server_stop(&s) != 0)
		for (size_t i = 0; i < n; i++)
			if (!pts[i].why[0])
				snprintf(pts[i].why, sizeof(pts[i].why), "the server did not drain "
					 "and exit 0 on SIGTERM");
	for (size_t i = 0; i < n; i++)
		write_row(f, run, name, &pts[i], sc_child_peak_rss(&s.child), idle);
	return max;
}

/* The baseline's answers: every number at cost 0, as `serve --no-lookup` answers. */
static int baseline_answers(const struct sc_run *run, char *out, size_t cap)
{
	struct ds_numbers q = { 0 };
	struct ds_error err;
	FILE *f;

	snprintf(out, cap, "%s/raw/answers-no-lookup.txt", run->dir);
	if (ds_load_numbers(run->numbers, 0, &q, &err) != 0) {
		ds_error_print(&err, stderr);
		ds_numbers_free(&q);
		return -1;
	}
	f = fopen(out, "w");
	for (size_t i = 0; f && i < q.n; i++)
		fprintf(f, "+%.*s,0\n", (int)q.v[i].len, q.v[i].digits);
	ds_numbers_free(&q);
	if (!f || fclose(f) != 0) {
		fprintf(stderr, "routebench bench: cannot write %s\n", out);
		return -1;
	}
	return 0;
}

int sc_api(struct sc_run *run)
{
	const struct sc_config *c = run->cfg;
	FILE *f = sc_csv_open(run, "api.csv", api_header);
	char base[4200];
	double base_max = 0;

	if (!f)
		return -1;
	fprintf(stderr, "routebench bench: scenario api: %zu implementations%s, %" PRIu64
			" routes x %" PRIu64 " carriers, %s -> %s/api.csv\n", c->n_impls,
		c->baseline ? " and the no-lookup baseline" : "", c->routes, c->carriers,
		run->n_cpus == 2 ? "server and load pinned to one core each"
				 : "one core: server and load share it", run->dir);
	for (size_t i = 0; i < c->n_impls; i++)
		run->max_rate[i] = api_server(run, f, c->impls[i]->name, 0, run->answers);
	if (c->baseline && baseline_answers(run, base, sizeof(base)) == 0)
		base_max = api_server(run, f, NULL, 1, base);
	fclose(f);
	fprintf(stderr, "\nclosed-loop maximum (requests/s):\n");
	for (size_t i = 0; i < c->n_impls; i++) {
		fprintf(stderr, "  %-12s %10.1f", c->impls[i]->name, run->max_rate[i]);
		if (base_max > 0 && run->max_rate[i] > 0)
			fprintf(stderr, "  (%.0f%% of the no-lookup baseline's)",
				100.0 * run->max_rate[i] / base_max);
		fputc('\n', stderr);
	}
	if (c->baseline)
		fprintf(stderr, "  %-12s %10.1f (no lookup: HTTP alone)\n", SC_BASELINE, base_max);
	return 0;
}
