/*
 * http.c - libmicrohttpd glue: route each request, collect its body within the limit, answer
 * (answer.c builds the bytes), and suspend an update's connection while the writer thread
 * works on it. Every refusal is a 4xx with a one-line reason. Cost per request: one small
 * allocation for its state, plus its body.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "clock.h"
#include "worker.h"

/*
 * A body over --max-body but at most this many times it is read and dropped before the 413:
 * a 413 sent before the body is read races the client's upload (the close with unread bytes
 * is a TCP reset, and the reset can destroy the answer before the client reads it: curl saw
 * "no response" that way on a loaded machine). A larger Content-Length is refused at once.
 */
#define HTTP_DRAIN_FACTOR 16

struct serve_http {
	struct MHD_Daemon *d;
	struct serve_state *s;
	struct serve_http_config cfg;
	size_t token_len;
	struct serve_worker *w;
	atomic_long inflight; /* requests begun and not yet completed */
	atomic_int draining;
};

enum route { R_PRICE_GET, R_PRICE_POST, R_DELTA, R_RELOAD, R_HEALTH, R_STATS };

/* One request's state (MHD's con_cls), from its first callback to its completion. */
struct req {
	struct serve_http *h;
	struct MHD_Connection *conn;
	enum route route;
	size_t carrier;
	int json;
	char *body;
	size_t len, cap;
	int too_big;
	int job_state; /* 0 none, 1 with the writer (connection suspended), 2 done */
	struct serve_job job;
};

/* Queue r (its body handed to MHD) with an optional extra header. */
static enum MHD_Result send_reply(struct req *q, struct serve_reply *r, const char *hname,
				  const char *hval)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->len)
		resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(r->body);
		return MHD_NO;
	}
	if (!r->len)
		free(r->body);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->json ? "application/json" : "text/plain; charset=utf-8");
	if (hname)
		MHD_add_response_header(resp, hname, hval);
	if (atomic_load(&q->h->draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(q->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result refuse(struct req *q, unsigned status, const char *hname,
			      const char *hval, const char *why)
{
	struct serve_reply r = { 0 };

	serve_reply_error(&r, status, "%s", why);
	return send_reply(q, &r, hname, hval);
}

/* "/carriers/K/routes" or "/carriers/K/reload": 1 with *route and *k (0-based) set. */
static int parse_carrier_url(const char *url, size_t n, enum route *route, size_t *k)
{
	const char *p = url + strlen("/carriers/");
	size_t v = 0;

	if (strncmp(url, "/carriers/", strlen("/carriers/")) != 0 || *p < '1' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (size_t)(*p - '0')) > n)
			return 0;
	if (v == 0 || v > n)
		return 0;
	if (strcmp(p, "/routes") == 0)
		*route = R_DELTA;
	else if (strcmp(p, "/reload") == 0)
		*route = R_RELOAD;
	else
		return 0;
	*k = v - 1;
	return 1;
}

/* Constant time in the token's length: no early exit on the first differing byte. */
static int token_matches(const char *got, const char *want, size_t want_len)
{
	size_t got_len = strlen(got);
	unsigned char diff = got_len != want_len;

	for (size_t i = 0; i < want_len; i++)
		diff |= (unsigned char)want[i] ^ (unsigned char)(i < got_len ? got[i] : 0);
	return diff == 0;
}

/*
 * Route a new request into q->route. 0 to go on, or 1 when a refusal was queued (*ret).
 */
static int route_request(struct req *q, const char *url, const char *method,
			 enum MHD_Result *ret)
{
	struct serve_http *h = q->h;
	int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	const char *auth, *cl;

	if (strcmp(url, "/price") == 0) {
		if (!get && !post)
			return *ret = refuse(q, 405, "Allow", "GET, POST",
					     "method not allowed: /price takes GET or POST"), 1;
		q->route = get ? R_PRICE_GET : R_PRICE_POST;
	} else if (strcmp(url, "/healthz") == 0 || strcmp(url, "/stats") == 0) {
		if (!get)
			return *ret = refuse(q, 405, "Allow", "GET",
					     "method not allowed: this path takes GET"), 1;
		q->route = strcmp(url, "/stats") == 0 ? R_STATS : R_HEALTH;
	} else if (parse_carrier_url(url, h->s->n, &q->route, &q->carrier)) {
		if (!post)
			return *ret = refuse(q, 405, "Allow", "POST",
					     "method not allowed: updates take POST"), 1;
		if (!h->cfg.token)
			return *ret = refuse(q, 403, NULL, NULL, "updates are disabled: the "
					     "server was started without --admin-token-file"), 1;
		auth = MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND,
						   MHD_HTTP_HEADER_AUTHORIZATION);
		if (!auth || strncmp(auth, "Bearer ", 7) != 0 ||
		    !token_matches(auth + 7, h->cfg.token, h->token_len))
			return *ret = refuse(q, 401, "WWW-Authenticate", "Bearer",
					     auth ? "wrong admin token" :
						    "missing Authorization: Bearer TOKEN"), 1;
	} else {
		return *ret = refuse(q, 404, NULL, NULL, "no such path (try /price?number=%2B1..., "
				     "/healthz or /stats)"), 1;
	}
	cl = MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) / HTTP_DRAIN_FACTOR > h->cfg.max_body)
		return *ret = refuse(q, 413, NULL, NULL, "body too large (see --max-body)"), 1;
	q->too_big = cl && strtoull(cl, NULL, 10) > h->cfg.max_body; /* read, dropped, 413 */
	return 0;
}

/* Append a body chunk, or mark the body too large (the rest is read and dropped). */
static void take_body(struct req *q, const char *data, size_t size)
{
	size_t max = q->h->cfg.max_body;

	if (q->too_big || size > max - q->len) {
		q->too_big = 1;
		return;
	}
	if (q->len + size > q->cap) {
		size_t ncap = q->cap ? q->cap * 2 : 65536;
		char *nb;

		while (ncap < q->len + size)
			ncap *= 2;
		if (ncap > max)
			ncap = max;
		nb = realloc(q->body, ncap);
		if (!nb) {
			q->too_big = 1;
			return;
		}
		q->body = nb;
		q->cap = ncap;
	}
	memcpy(q->body + q->len, data, size);
	q->len += size;
}

static void job_done(struct serve_job *j)
{
	struct req *q = j->arg;

	q->job_state = 2;
	MHD_resume_connection(q->conn);
}

/* Hand an update to the writer thread and suspend the connection until it is done. */
static enum MHD_Result start_job(struct req *q)
{
	struct serve_job *j = &q->job;

	memset(j, 0, sizeof(*j));
	j->kind = q->route == R_DELTA ? SERVE_JOB_DELTA : SERVE_JOB_RELOAD;
	j->carrier = q->carrier;
	j->body = q->body ? q->body : "";
	j->len = q->len;
	j->t_received = rb_now_ms();
	j->done = job_done;
	j->arg = q;
	q->job_state = 1;
	MHD_suspend_connection(q->conn);
	if (serve_worker_submit(q->h->w, j) != 0) {
		q->job_state = 0;
		MHD_resume_connection(q->conn);
		return refuse(q, 503, NULL, NULL, "the server is shutting down");
	}
	return MHD_YES;
}

/* The request is complete (headers and body): answer it. */
static enum MHD_Result answer(struct req *q)
{
	struct serve_http *h = q->h;
	struct serve_reply r = { 0 };
	const char *number;

	switch (q->route) {
	case R_PRICE_GET:
		number = MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, "number");
		if (h->cfg.no_lookup)
			serve_answer_price_const(number, &r);
		else
			serve_answer_price_get(h->s, number, q->json, &r);
		break;
	case R_PRICE_POST:
		serve_answer_price_post(h->s, q->body ? q->body : "", q->len, q->json, &r);
		break;
	case R_HEALTH:
		serve_reply_error(&r, 200, "ok");
		break;
	case R_STATS:
		serve_answer_stats(h->s, h->cfg.update_mode, h->cfg.threads, &r);
		break;
	case R_DELTA:
	case R_RELOAD:
		if (q->job_state == 0)
			return start_job(q);
		serve_answer_job(&q->job, &r);
		break;
	}
	return send_reply(q, &r, NULL, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct serve_http *h = cls;
	struct req *q = *con_cls;
	enum MHD_Result ret;
	const char *accept;

	(void)version;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q)
			return MHD_NO;
		q->h = h;
		q->conn = conn;
		atomic_fetch_add(&h->inflight, 1);
		*con_cls = q;
		accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
		q->json = accept && strstr(accept, "application/json") != NULL;
		if (route_request(q, url, method, &ret))
			return ret;
		/*
		 * Even a GET is answered on the next call, once MHD has the whole request: a
		 * response queued from the first call makes libmicrohttpd (0.9.75) close the
		 * connection after it ("Connection: close" on every answer), so every request paid
		 * a new TCP connection and a load generator measured connects, not lookups.
		 */
		return MHD_YES;
	}
	if (*upload_data_size) {
		take_body(q, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (q->too_big)
		return refuse(q, 413, NULL, NULL, "body too large (see --max-body)");
	return answer(q);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct serve_http *h = cls;
	struct req *q = *con_cls;

	(void)conn;
	(void)toe;
	if (!q)
		return;
	free(q->body);
	free(q);
	*con_cls = NULL;
	atomic_fetch_sub(&h->inflight, 1);
}

/* The listening address from cfg into *ss. 0, or -1 when bind is no address literal. */
static int make_addr(const struct serve_http_config *cfg, struct sockaddr_storage *ss,
		     int *ipv6)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	*ipv6 = strchr(cfg->bind, ':') != NULL;
	if (*ipv6) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)cfg->port);
		return inet_pton(AF_INET6, cfg->bind, &a6->sin6_addr) == 1 ? 0 : -1;
	}
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)cfg->port);
	return inet_pton(AF_INET, cfg->bind, &a4->sin_addr) == 1 ? 0 : -1;
}

int serve_http_start(struct serve_state *s, const struct serve_http_config *cfg,
		     struct serve_http **out, unsigned *port, char *why, size_t cap)
{
	struct serve_http *h = calloc(1, sizeof(*h));
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	int ipv6, rc;

	if (!h) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	h->s = s;
	h->cfg = *cfg;
	h->token_len = cfg->token ? strlen(cfg->token) : 0;
	if (make_addr(cfg, &ss, &ipv6) != 0) {
		snprintf(why, cap, "--bind %s is not an IPv4 or IPv6 address", cfg->bind);
		free(h);
		return -1;
	}
	rc = serve_worker_start(s, &h->w);
	if (rc != 0) {
		snprintf(why, cap, "cannot start the writer thread: %s", strerror(-rc));
		free(h);
		return -1;
	}
	h->d = MHD_start_daemon(flags | (ipv6 ? MHD_USE_IPv6 : 0), (uint16_t)cfg->port, NULL,
				NULL, on_request, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
				MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
				MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_END);
	if (!h->d) {
		snprintf(why, cap, "cannot listen on %s port %u (in use, or not this machine's "
			 "address?)", cfg->bind, cfg->port);
		serve_worker_stop(h->w);
		free(h);
		return -1;
	}
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : cfg->port;
	*out = h;
	return 0;
}

static void reload_done(struct serve_job *j)
{
	struct serve_http *h = j->arg;

	if (h->cfg.log && j->rc == 0)
		fprintf(h->cfg.log, "serve: reload: carrier %zu: version %llu, %zu routes\n",
			j->carrier + 1, (unsigned long long)j->res.version, j->res.routes);
	else if (h->cfg.log && j->load_err.line)
		fprintf(h->cfg.log, "serve: reload: carrier %zu kept its version: %s:%zu: %s: "
			"\"%s\"\n", j->carrier + 1, j->load_err.path, j->load_err.line,
			j->load_err.what, j->load_err.text);
	else if (h->cfg.log)
		fprintf(h->cfg.log, "serve: reload: carrier %zu kept its version: %s: %s\n",
			j->carrier + 1, j->load_err.path, j->load_err.what);
	if (h->cfg.log)
		fflush(h->cfg.log);
	free(j);
}

void serve_http_reload_all(struct serve_http *h)
{
	for (size_t k = 0; k < h->s->n; k++) {
		struct serve_job *j = calloc(1, sizeof(*j));

		if (!j)
			return;
		j->kind = SERVE_JOB_RELOAD;
		j->carrier = k;
		j->t_received = rb_now_ms();
		j->done = reload_done;
		j->arg = h;
		if (serve_worker_submit(h->w, j) != 0)
			free(j);
	}
}

void serve_http_stop(struct serve_http *h, unsigned drain_s)
{
	double deadline = rb_now_ms() + drain_s * 1e3;
	MHD_socket fd;

	atomic_store(&h->draining, 1);
	fd = MHD_quiesce_daemon(h->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&h->inflight) > 0 && rb_now_ms() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	serve_worker_stop(h->w);
	MHD_stop_daemon(h->d);
	free(h);
}
