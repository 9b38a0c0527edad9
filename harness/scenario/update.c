/*
 * update.c - scenario 5: under an open loop at half the maximum, deltas of 1% of carrier 0's
 * routes posted back to back, alternating A->B and B->A, by each update way the implementation
 * has (rebuild always; inplace where rt_can_update). Per update: the server's visible time,
 * its peak RSS against idle (VmHWM reset before, read after); per way: the latency of a quiet
 * window against one with updates, every answer checked against A or B by the parity of the
 * carrier's version; RSS sampled every 20 ms. Lesson: a rebuild costs a second table's memory
 * for as long as it takes; a copy-on-write update costs the changed paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin.h"
#include "dataset.h"
#include "procfs.h"
#include "scenario.h"
#include "server.h"
#include "states.h"

#define WHY_MAX 256
#define SAMPLE_S 0.02

static const char update_header[] =
	"impl,way,routes,carriers,update,direction,lines,version,visible_ms,post_ms,"
	"idle_rss_bytes,peak_rss_bytes,t_s,http_status,status,detail";
static const char window_header[] =
	"impl,way,routes,carriers,window,updates,offered_rate,achieved_rate,requests,errors,"
	"mismatches,unsent,p50_us,p90_us,p99_us,p999_us,p9999_us,max_us,status,detail";
static const char rss_header[] = "impl,way,t_s,rss_bytes,updating";

/* What every way of every implementation shares: the two states and their answers. */
struct states {
	struct sc_delta_files files;
	char *body[2];              /* [0] A->B (odd updates), [1] B->A (even) */
	size_t len[2], lines;
	char answers_b[4200], token_path[4200], token[64], probe[64];
	FILE *fu, *fw, *fr;         /* update.csv, update_windows.csv, update_rss.csv */
};

struct sampler {
	pthread_t th;
	pid_t pid;
	FILE *f;
	const char *impl, *way;
	double t0;
	atomic_int stop, updating;
};

static void *sample(void *arg)
{
	struct sampler *s = arg;

	while (!atomic_load(&s->stop)) {
		uint64_t rss;

		if (sc_proc_status_bytes(s->pid, "VmRSS", &rss) == 0)
			fprintf(s->f, "%s,%s,%.3f,%" PRIu64 ",%d\n", s->impl, s->way,
				sc_now_s() - s->t0, rss, atomic_load(&s->updating));
		sc_sleep_s(SAMPLE_S);
	}
	fflush(s->f);
	return NULL;
}

static void window_row(const struct sc_run *run, FILE *f, const char *impl, const char *way,
		       const char *window, unsigned updates, double rate, int ok,
		       const struct sc_load_row *r, char *why)
{
	const struct sc_config *c = run->cfg;

	sc_csv_clean(why);
	fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",%s,%u,%.1f,", impl, way, c->routes, c->carriers,
		window, updates, rate);
	if (ok)
		fprintf(f, "%.1f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.1f,%.1f,%.1f,"
			   "%.1f,%.1f,%.1f,", r->achieved_rate, r->requests, r->errors,
			r->mismatches, r->unsent, r->p50_us, r->p90_us, r->p99_us, r->p999_us,
			r->p9999_us, r->max_us);
	else
		fprintf(f, ",,,,,,,,,,,");
	fprintf(f, "%s,%s\n", !ok ? "failed" : r->mismatches ? "mismatch" : r->errors ? "errors"
									      : "ok", why);
	fflush(f);
	fprintf(stderr, "  %-12s %-8s %-8s %3u updates  offered %8.1f/s  p99 %8.1f us  p99.9 "
			"%8.1f us  errors %" PRIu64 "  mismatches %" PRIu64 "\n", impl, way, window,
		updates, rate, ok ? r->p99_us : 0, ok ? r->p999_us : 0, ok ? r->errors : 0,
		ok ? r->mismatches : 0);
}

/* One delta: reset the peak, post, read the peak; one update.csv row. 0, or -1 if it failed. */
static int post_update(const struct sc_run *run, struct states *st, struct sc_server *s,
			const char *impl, const char *way, unsigned k, double t0)
{
	const struct sc_config *c = run->cfg;
	int dir = (k % 2) ? 0 : 1, code = 0, rc;
	struct sc_http_req req = { s->port, "POST", "/carriers/1/routes", st->token, NULL,
				   st->body[dir], st->len[dir], 600 };
	uint64_t idle = 0, peak = 0;
	double t = sc_now_s(), post_ms, visible = -1, version = -1;
	char ans[1024] = "", why[WHY_MAX] = "";

	sc_proc_status_bytes(s->child.pid, "VmRSS", &idle);
	sc_proc_reset_hwm(s->child.pid);
	rc = sc_http(&req, &code, ans, sizeof(ans));
	post_ms = (sc_now_s() - t) * 1e3;
	sc_proc_status_bytes(s->child.pid, "VmHWM", &peak);
	if (rc != 0)
		snprintf(why, sizeof(why), "POST failed: %s", strerror(-rc));
	else if (code != 200)
		snprintf(why, sizeof(why), "HTTP %d: %.200s", code, ans);
	else if (sc_json_num(ans, "visible_ms", &visible) != 0 ||
		 sc_json_num(ans, "version", &version) != 0)
		snprintf(why, sizeof(why), "no version or visible_ms in: %.180s", ans);
	sc_csv_clean(why);
	fprintf(st->fu, "%s,%s,%" PRIu64 ",%" PRIu64 ",%u,%s,%zu,%.0f,%.3f,%.3f,%" PRIu64
			",%" PRIu64 ",%.3f,%d,%s,%s\n", impl, way, c->routes, c->carriers, k,
		dir ? "b_to_a" : "a_to_b", st->lines, version, visible, post_ms, idle, peak,
		t - t0, code, why[0] ? "failed" : "ok", why);
	fflush(st->fu);
	return why[0] ? -1 : 0;
}

/* versions[0] of the server's JSON answer for one number, or -1. */
static double probe_version(const struct states *st, int port)
{
	char target[96], ans[1024];
	struct sc_http_req req = { port, "GET", target, NULL, "application/json", NULL, 0, 10 };
	double v;
	int code;

	snprintf(target, sizeof(target), "/price?number=%%2B%s", st->probe);
	if (sc_http(&req, &code, ans, sizeof(ans)) != 0 || code != 200 ||
	    sc_json_version(ans, 0, &v) != 0)
		return -1;
	return v;
}

/* The closed-loop maximum of ops: from the api scenario if it ran, else measured now. */
static double max_rate(const struct sc_run *run, const struct route_table_ops *ops,
		       const struct sc_server *s, const char *check, const char *check_odd)
{
	const struct sc_config *c = run->cfg;
	char out[4200], log[4200], why[WHY_MAX];
	struct sc_load_args a = { s->url, run->numbers, 0, c->closed_s, c->connections, c->batch,
				  c->timeout_s, check, check_odd,
				  run->n_cpus == 2 ? run->cpus[1] : -1, out, log };
	struct sc_load_row r;
	struct sc_child ch;

	for (size_t i = 0; i < c->n_impls && c->api; i++)
		if (c->impls[i] == ops && run->max_rate[i] > 0)
			return run->max_rate[i];
	snprintf(out, sizeof(out), "%s/raw/load-update-%s-closed.csv", run->dir, ops->name);
	snprintf(log, sizeof(log), "%s/raw/load.log", run->dir);
	if (sc_load_start(&a, &ch) != 0 || sc_load_finish(&a, &ch, &r, why, sizeof(why)) != 0)
		return 0;
	return r.achieved_rate;
}

/* The quiet window, then the window with updates, for one server; 0 or -1 (a failed row). */
static int windows(const struct sc_run *run, struct states *st, struct sc_server *s,
		   const struct route_table_ops *ops, const char *way, const char *check,
		   const char *check_odd, struct sampler *sm)
{
	const struct sc_config *c = run->cfg;
	double rate = 0.5 * max_rate(run, ops, s, check, check_odd);
	char out[4200], log[4200], why[WHY_MAX] = "";
	struct sc_load_args a = { s->url, run->numbers, rate, c->window_s, c->connections,
				  c->batch, c->timeout_s, check, check_odd,
				  run->n_cpus == 2 ? run->cpus[1] : -1, out, log };
	struct sc_load_row r;
	struct sc_child ch;
	unsigned k = 0;
	int ok;

	snprintf(log, sizeof(log), "%s/raw/load.log", run->dir);
	if (rate <= 0) {
		snprintf(why, sizeof(why), "no closed-loop maximum");
		window_row(run, st->fw, ops->name, way, "quiet", 0, 0, 0, &r, why);
		return -1;
	}
	for (int w = 0; w < 2; w++) {
		snprintf(out, sizeof(out), "%s/raw/load-update-%s-%s-%s.csv", run->dir, ops->name,
			 way, w ? "updates" : "quiet");
		if (sc_load_start(&a, &ch) != 0)
			return -1;
		for (int failed = 0; w && !failed && !sc_child_poll(&ch);) {
			atomic_store(&sm->updating, 1);
			failed = post_update(run, st, s, ops->name, way, ++k, sm->t0) != 0;
			atomic_store(&sm->updating, 0);
		} /* after a failed update the window runs on without more */
		ok = sc_load_finish(&a, &ch, &r, why, sizeof(why)) == 0;
		window_row(run, st->fw, ops->name, way, w ? "updates" : "quiet", k, rate, ok, &r,
			   why);
	}
	return 0;
}

/* One server for one way of one implementation. */
static void update_way(const struct sc_run *run, struct states *st,
		       const struct route_table_ops *ops, const char *way)
{
	const struct sc_config *c = run->cfg;
	char log[4200], why[WHY_MAX] = "";
	struct sc_server_args sa = { ops->name, run->route_ptrs, c->carriers, c->threads, way, 0,
				     st->token_path, run->n_cpus >= 1 ? run->cpus[0] : -1,
				     c->mem_limit, c->start_timeout_s, log };
	struct sampler sm = { .f = st->fr, .impl = ops->name, .way = way };
	const char *even = run->answers, *odd = st->answers_b;
	struct sc_server s;
	struct sc_load_row none = { 0 };
	double v0;

	snprintf(log, sizeof(log), "%s/raw/serve-update-%s-%s.log", run->dir, ops->name, way);
	fprintf(stderr, "routebench bench: update %s --update %s: starting the server\n",
		ops->name, way);
	if (sc_server_start(&sa, &s, why, sizeof(why)) != 0) {
		window_row(run, st->fw, ops->name, way, "quiet", 0, 0, 0, &none, why);
		return;
	}
	v0 = probe_version(st, s.port);
	if (v0 < 0) {
		snprintf(why, sizeof(why), "no versions in the server's JSON answer");
		window_row(run, st->fw, ops->name, way, "quiet", 0, 0, 0, &none, why);
		sc_server_stop(&s);
		return;
	}
	if ((long long)v0 % 2) {
		even = st->answers_b;
		odd = run->answers;
	}
	sm.pid = s.child.pid;
	sm.t0 = sc_now_s();
	if (pthread_create(&sm.th, NULL, sample, &sm) == 0) {
		windows(run, st, &s, ops, way, even, odd, &sm);
		atomic_store(&sm.stop, 1);
		pthread_join(sm.th, NULL);
	}
	if (sc_server_stop(&s) != 0)
		fprintf(stderr, "  %s %s: the server did not drain and exit 0 on SIGTERM\n",
			ops->name, way);
}

/* Count the lines that differ between two answer files (-1 if one cannot be read). */
static long answers_differ(const char *a, const char *b)
{
	char *x = NULL, *y = NULL;
	size_t lx, ly;
	long n = -1;

	if (sc_read_file(a, &x, &lx) == 0 && sc_read_file(b, &y, &ly) == 0) {
		n = 0;
		for (const char *p = x, *q = y; *p && *q;) {
			size_t lp = strcspn(p, "\n"), lq = strcspn(q, "\n");

			n += lp != lq || memcmp(p, q, lp) != 0;
			p += lp + (p[lp] != '\0');
			q += lq + (q[lq] != '\0');
		}
	}
	free(x);
	free(y);
	return n;
}

/* The delta files, their bodies, B's answers, the token, the probe number. 0 or -1. */
static int prepare(struct sc_run *run, struct states *st)
{
	const struct sc_config *c = run->cfg;
	struct sc_delta_args d = { run->routes[0], c->fraction, c->seed };
	const char *routes_b[SC_MAX_CARRIERS];
	char tag[64];
	int fd;

	if (sc_delta_cached(&d, c->cache ? c->cache : ds_cache_dir(), &st->files) != 0 ||
	    sc_read_file(st->files.fwd, &st->body[0], &st->len[0]) != 0 ||
	    sc_read_file(st->files.back, &st->body[1], &st->len[1]) != 0) {
		fprintf(stderr, "routebench bench: cannot make the deltas of %s\n", run->routes[0]);
		return -1;
	}
	for (const char *p = st->body[0]; *p; p++)
		st->lines += *p == '\n';
	sc_note_dataset(run, "routes", c->routes, 0, st->files.b_routes);
	memcpy(routes_b, run->route_ptrs, sizeof(routes_b));
	routes_b[0] = st->files.b_routes;
	snprintf(tag, sizeof(tag), "-B-f%g-s%" PRIu64, c->fraction, c->seed);
	if (sc_answers(run, routes_b, c->carriers, tag, st->answers_b, sizeof(st->answers_b)))
		return -1;
	sc_note_dataset(run, "answers", c->queries, 0, st->answers_b);
	fprintf(stderr, "routebench bench: a delta is %zu lines; %ld of the %" PRIu64 " answers "
			"differ between A and B\n", st->lines, answers_differ(run->answers,
			st->answers_b), c->queries);
	snprintf(st->token, sizeof(st->token), "scenario-%ld-%ld", (long)getpid(),
		 (long)sc_now_s());
	snprintf(st->token_path, sizeof(st->token_path), "%s/raw/admin-token", run->dir);
	fd = open(st->token_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, st->token, strlen(st->token)) < 0 || write(fd, "\n", 1) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The first number of the numbers file, without its '+', into st->probe. */
static int first_number(const struct sc_run *run, struct states *st)
{
	char buf[64];
	FILE *f = fopen(run->numbers, "r");
	int ok = f && fgets(buf, sizeof(buf), f) && buf[0] == '+';

	if (f)
		fclose(f);
	if (ok) {
		buf[strcspn(buf, "\r\n \t")] = '\0';
		snprintf(st->probe, sizeof(st->probe), "%s", buf + 1);
	}
	return ok ? 0 : -1;
}

int sc_update(struct sc_run *run)
{
	const struct sc_config *c = run->cfg;
	struct states st = { 0 };
	int rc = -1;

	if (prepare(run, &st) != 0 || first_number(run, &st) != 0)
		goto out;
	bench_meta_write(run->dir, &run->meta);
	st.fu = sc_csv_open(run, "update.csv", update_header);
	st.fw = sc_csv_open(run, "update_windows.csv", window_header);
	st.fr = sc_csv_open(run, "update_rss.csv", rss_header);
	if (!st.fu || !st.fw || !st.fr)
		goto out;
	for (size_t i = 0; i < c->n_update_impls; i++) {
		update_way(run, &st, c->update_impls[i], "rebuild");
		if (rt_can_update(c->update_impls[i]))
			update_way(run, &st, c->update_impls[i], "inplace");
	}
	rc = 0;
out:
	if (st.fu)
		fclose(st.fu);
	if (st.fw)
		fclose(st.fw);
	if (st.fr)
		fclose(st.fr);
	free(st.body[0]);
	free(st.body[1]);
	return rc;
}
