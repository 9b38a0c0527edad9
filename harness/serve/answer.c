/*
 * answer.c - the bytes of every `serve` answer. Prices come from one RCU snapshot per
 * request, so a batch never mixes two versions of a carrier; the line format is built by
 * hand (the hot path), JSON with jansson. Cost: O(numbers) per request, one allocation.
 */
#include "answer.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysinfo.h"

#define LINE_MAX_BYTES (1 + RT_MAX_DIGITS + 1 + 32 + 1) /* "+DIGITS,COST\n" */

void serve_reply_error(struct serve_reply *r, unsigned status, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	r->status = status;
	r->json = 0;
	r->body = malloc((size_t)n);
	r->len = r->body ? (size_t)n : 0;
	if (r->body)
		memcpy(r->body, line, (size_t)n);
}

/* "+DIGITS,COST\n" into buf (LINE_MAX_BYTES); returns its length. */
static size_t price_line(const struct ds_number *num, uint64_t cost, char *buf)
{
	size_t n = 0;

	buf[n++] = '+';
	memcpy(buf + n, num->digits, num->len);
	n += num->len;
	buf[n++] = ',';
	n += ds_format_cost(cost, buf + n);
	buf[n++] = '\n';
	return n;
}

/* Hand a jansson value over as the reply (it is freed here). */
static void reply_json(struct serve_reply *r, unsigned status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
	size_t n;

	json_decref(j);
	if (!text) {
		serve_reply_error(r, 500, "out of memory");
		return;
	}
	n = strlen(text);
	r->body = malloc(n + 1);
	if (r->body) {
		memcpy(r->body, text, n);
		r->body[n] = '\n';
	}
	free(text);
	if (!r->body) {
		serve_reply_error(r, 500, "out of memory");
		return;
	}
	r->len = n + 1;
	r->status = status;
	r->json = 1;
}

static json_t *versions_json(const struct serve_version *const *vs, size_t n)
{
	json_t *a = json_array();

	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, json_integer((json_int_t)vs[k]->version));
	return a;
}

/* {"number","cost","carrier"} for one answer. */
static json_t *answer_json(const struct ds_number *num, uint64_t cost, size_t carrier)
{
	char buf[LINE_MAX_BYTES], costs[32];

	buf[0] = '+';
	memcpy(buf + 1, num->digits, num->len);
	buf[1 + num->len] = '\0';
	ds_format_cost(cost, costs);
	return json_pack("{s:s, s:s, s:o}", "number", buf, "cost", costs, "carrier",
			 carrier ? json_integer((json_int_t)carrier) : json_null());
}

void serve_answer_price_get(const struct serve_state *s, const char *number, int json,
			    struct serve_reply *r)
{
	const struct serve_version *vs[SERVE_MAX_CARRIERS];
	struct ds_number num;
	const char *why;
	uint64_t cost;
	size_t carrier;
	json_t *j;

	if (!number) {
		serve_reply_error(r, 400, "missing the number parameter: /price?number=%%2B1415...");
		return;
	}
	if (serve_parse_query_number(number, strlen(number), &num, &why) != 0) {
		serve_reply_error(r, 400, "%s", why);
		return;
	}
	serve_read_lock();
	serve_snapshot(s, vs);
	cost = serve_lookup(vs, s->n, num.digits, num.len, &carrier);
	if (!json) {
		serve_read_unlock();
		r->body = malloc(LINE_MAX_BYTES);
		if (!r->body) {
			serve_reply_error(r, 500, "out of memory");
			return;
		}
		r->len = price_line(&num, cost, r->body);
		r->status = 200;
		r->json = 0;
		return;
	}
	j = answer_json(&num, cost, carrier);
	json_object_set_new(j, "versions", versions_json(vs, s->n));
	serve_read_unlock();
	reply_json(r, 200, j);
}

void serve_answer_price_const(const char *number, struct serve_reply *r)
{
	struct ds_number num;
	const char *why;

	if (!number) {
		serve_reply_error(r, 400, "missing the number parameter: /price?number=%%2B1415...");
		return;
	}
	if (serve_parse_query_number(number, strlen(number), &num, &why) != 0) {
		serve_reply_error(r, 400, "%s", why);
		return;
	}
	r->body = malloc(LINE_MAX_BYTES);
	if (!r->body) {
		serve_reply_error(r, 500, "out of memory");
		return;
	}
	r->len = price_line(&num, RT_NO_ROUTE, r->body);
	r->status = 200;
	r->json = 0;
}

/* The JSON form of a batch: {"versions":[...],"answers":[...]}. */
static void price_post_json(const struct serve_state *s, const struct ds_numbers *nums,
			    struct serve_reply *r)
{
	const struct serve_version *vs[SERVE_MAX_CARRIERS];
	json_t *answers = json_array(), *j;

	serve_read_lock();
	serve_snapshot(s, vs);
	for (size_t i = 0; i < nums->n; i++) {
		size_t carrier;
		uint64_t cost = serve_lookup(vs, s->n, nums->v[i].digits, nums->v[i].len, &carrier);

		json_array_append_new(answers, answer_json(&nums->v[i], cost, carrier));
	}
	j = json_pack("{s:o, s:o}", "versions", versions_json(vs, s->n), "answers", answers);
	serve_read_unlock();
	reply_json(r, 200, j);
}

void serve_answer_price_post(const struct serve_state *s, const char *body, size_t len,
			     int json, struct serve_reply *r)
{
	const struct serve_version *vs[SERVE_MAX_CARRIERS];
	struct ds_numbers nums = { 0 };
	struct serve_line_error err;
	char msg[256];
	size_t n = 0;
	int rc = serve_parse_numbers(body, len, &nums, &err);

	if (rc != 0) {
		serve_line_error_format(&err, msg, sizeof(msg));
		serve_reply_error(r, rc == -EINVAL ? 400 : 500, "%s", msg);
	} else if (json) {
		price_post_json(s, &nums, r);
	} else if (!(r->body = malloc(nums.n * LINE_MAX_BYTES + 1))) {
		serve_reply_error(r, 500, "out of memory");
	} else {
		serve_read_lock();
		serve_snapshot(s, vs);
		for (size_t i = 0; i < nums.n; i++) {
			size_t carrier;
			uint64_t cost = serve_lookup(vs, s->n, nums.v[i].digits, nums.v[i].len,
						     &carrier);

			n += price_line(&nums.v[i], cost, r->body + n);
		}
		serve_read_unlock();
		r->len = n;
		r->status = 200;
		r->json = 0;
	}
	ds_numbers_free(&nums);
}

static json_t *timings_json(const struct serve_timings *t)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:f}", "parse_ms", t->parse_ms, "build_ms",
			 t->build_ms, "publish_ms", t->publish_ms, "grace_ms", t->grace_ms,
			 "total_ms", t->total_ms);
}

void serve_answer_stats(struct serve_state *s, const char *update_mode, unsigned threads,
			struct serve_reply *r)
{
	const struct serve_version *vp[SERVE_MAX_CARRIERS];
	struct serve_version vs[SERVE_MAX_CARRIERS];
	json_t *carriers = json_array();
	uint64_t rss = 0, hwm = 0;

	serve_read_lock();
	serve_snapshot(s, vp);
	for (size_t k = 0; k < s->n; k++)
		vs[k] = *vp[k];
	serve_read_unlock();
	for (size_t k = 0; k < s->n; k++) {
		struct serve_timings last;
		uint64_t updates;
		int has = serve_last_update(s, k, &updates, &last);

		json_array_append_new(carriers, json_pack(
			"{s:I, s:s, s:I, s:I, s:I, s:I, s:o}", "carrier", (json_int_t)(k + 1),
			"path", s->c[k].path, "version", (json_int_t)vs[k].version, "routes",
			(json_int_t)vs[k].routes, "table_bytes", (json_int_t)vs[k].table_bytes,
			"updates_applied", (json_int_t)updates, "last_update",
			has ? timings_json(&last) : json_null()));
	}
	bench_self_rss(&rss, &hwm);
	reply_json(r, 200, json_pack("{s:s, s:s, s:I, s:I, s:I, s:o}", "impl", s->ops->name,
				     "update", update_mode, "threads", (json_int_t)threads,
				     "rss_bytes", (json_int_t)rss, "peak_rss_bytes",
				     (json_int_t)hwm, "carriers", carriers));
}

void serve_answer_job(const struct serve_job *j, struct serve_reply *r)
{
	char msg[700];

	if (j->kind == SERVE_JOB_DELTA && j->rc != 0) {
		serve_line_error_format(&j->line_err, msg, sizeof(msg));
		serve_reply_error(r, j->rc == -EINVAL ? 400 : 500, "%s", msg);
		return;
	}
	if (j->kind == SERVE_JOB_RELOAD && j->rc != 0) {
		const struct ds_error *e = &j->load_err;

		unsigned status = j->rc == -EINVAL ? 422 : 500;

		if (e->line)
			serve_reply_error(r, status, "%s:%zu: %s: \"%s\"", e->path, e->line,
					  e->what, e->text);
		else
			serve_reply_error(r, status, "%s: %s", e->path, e->what);
		return;
	}
	reply_json(r, 200, json_pack("{s:I, s:I, s:I, s:I, s:I, s:f, s:o}", "carrier",
				     (json_int_t)(j->carrier + 1), "version",
				     (json_int_t)j->res.version, "applied",
				     (json_int_t)j->res.applied, "absent",
				     (json_int_t)j->res.absent, "routes", (json_int_t)j->res.routes,
				     "visible_ms", j->res.visible_ms, "timings",
				     timings_json(&j->res.t)));
}
