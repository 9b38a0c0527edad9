/*
 * loadgen.c - the load generator's event loop: a timerfd wakes it at each request's due time,
 * the oldest idle connection takes the request, epoll reports answers. A connection lives in
 * one of four states (down, connecting, idle, busy); idle ones wait in a FIFO list, so load is
 * spread and "was any connection free when this request was due" is one comparison.
 */
#include "loadgen.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "http.h"

const char *const net_err_names[NET_ERR_KINDS] = {
	"connect", "timeout", "closed", "http_4xx", "http_5xx", "malformed",
};

#define NS 1000000000ULL
#define RETRY_NS (50 * 1000000ULL) /* wait after a failed reconnect */
#define HOUSEKEEP_NS 1000000ULL    /* timeouts and reconnects are looked at each ms */
#define NO_CONN UINT32_MAX
#define TIMER_TAG UINT32_MAX

enum conn_state { C_DOWN, C_CONNECTING, C_IDLE, C_BUSY };

struct conn {
	int fd;
	enum conn_state state;
	uint32_t prev, next;   /* the idle list */
	uint32_t events;       /* what epoll watches */
	uint64_t retry_at;     /* C_DOWN: when to reconnect */
	uint64_t idle_since;
	uint64_t req;          /* C_BUSY: the request's index */
	uint64_t start;        /* its latency runs from here */
	uint64_t deadline;     /* it times out here */
	size_t out_len, out_off;
	size_t in_len, in_cap;
	char *out, *in;
	struct http_resp resp;
};

struct run {
	const struct net_load_config *c;
	struct net_load_result *r;
	struct conn *conns;
	uint32_t idle_head, idle_tail, idle_n;
	int ep, tfd;
	int open;              /* open loop */
	int draining;
	uint64_t t0, t_end, hard_end, drain_at, last_response, housekeep_at;
	uint64_t armed;        /* the timerfd's expiry, 0 when disarmed */
	uint64_t next;         /* index of the next request to send */
	uint64_t scheduled;    /* open loop: requests due in the run */
	unsigned in_flight;
	size_t out_cap, in_max;
	const char **digits;   /* a batch's numbers, for http_price_request */
	uint8_t *lens;
	struct net_hist tick;  /* this second's latencies, merged into r->latency_us each second */
	uint64_t tick_responses;
	unsigned second;
};

static uint64_t due_time(const struct run *g, uint64_t i)
{
	return g->t0 + (uint64_t)((double)i * 1e9 / g->c->rate);
}

/* --- the idle list: oldest first ------------------------------------------------------------ */

static void idle_push(struct run *g, uint32_t k, uint64_t now)
{
	struct conn *c = &g->conns[k];

	c->state = C_IDLE;
	c->idle_since = now;
	c->next = NO_CONN;
	c->prev = g->idle_tail;
	if (g->idle_tail != NO_CONN)
		g->conns[g->idle_tail].next = k;
	else
		g->idle_head = k;
	g->idle_tail = k;
	g->idle_n++;
}

static void idle_remove(struct run *g, uint32_t k)
{
	struct conn *c = &g->conns[k];

	if (c->prev != NO_CONN)
		g->conns[c->prev].next = c->next;
	else
		g->idle_head = c->next;
	if (c->next != NO_CONN)
		g->conns[c->next].prev = c->prev;
	else
		g->idle_tail = c->prev;
	g->idle_n--;
}

/* --- connections ------------------------------------------------------------------------- */

static void watch(struct run *g, uint32_t k, uint32_t events)
{
	struct conn *c = &g->conns[k];
	struct epoll_event ev = { .events = events, .data.u32 = k };

	if (c->events != events && epoll_ctl(g->ep, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = events;
}

/* Close k (leaving the idle list if it is there); it reconnects at retry_at. */
static void conn_down(struct run *g, uint32_t k, uint64_t retry_at)
{
	struct conn *c = &g->conns[k];

	if (c->state == C_IDLE)
		idle_remove(g, k);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = C_DOWN;
	c->retry_at = retry_at;
}

/* Start a non-blocking connect on k. 0 (connected or connecting), or -errno (k is down). */
static int conn_start(struct run *g, uint32_t k, uint64_t now)
{
	struct conn *c = &g->conns[k];
	struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = k };
	int one = 1, rc;

	c->fd = socket(g->c->addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	rc = connect(c->fd, (const struct sockaddr *)g->c->addr, g->c->addrlen);
	if (rc != 0 && errno != EINPROGRESS) {
		rc = -errno;
		conn_down(g, k, now + RETRY_NS);
		return rc;
	}
	if (epoll_ctl(g->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		rc = -errno;
		conn_down(g, k, now + RETRY_NS);
		return rc;
	}
	c->events = EPOLLOUT;
	c->state = C_CONNECTING;
	return 0;
}

/* The connect on k finished (writable, or an error). */
static void conn_connected(struct run *g, uint32_t k, uint64_t now)
{
	struct conn *c = &g->conns[k];
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
		g->r->errors[NET_ERR_CONNECT]++;
		conn_down(g, k, now + RETRY_NS);
		return;
	}
	watch(g, k, EPOLLIN | EPOLLRDHUP);
	idle_push(g, k, now);
}

/* The request on k ended without an answer: count why, drop the connection, reconnect. */
static void request_failed(struct run *g, uint32_t k, enum net_err why, uint64_t now)
{
	g->r->errors[why]++;
	g->in_flight--;
	conn_down(g, k, now);
}

/* --- requests ---------------------------------------------------------------------------- */

/* Write what is left of k's request; watch for writability if the socket is full. */
static void conn_flush(struct run *g, uint32_t k, uint64_t now)
{
	struct conn *c = &g->conns[k];

	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			watch(g, k, EPOLLIN | EPOLLRDHUP | EPOLLOUT);
			return;
		}
		if (n < 0) {
			request_failed(g, k, NET_ERR_CLOSED, now);
			return;
		}
		c->out_off += (size_t)n;
	}
	watch(g, k, EPOLLIN | EPOLLRDHUP);
}

/* Send request i on idle connection k; its latency runs from start. */
static void request_send(struct run *g, uint32_t k, uint64_t i, uint64_t start, uint64_t now)
{
	const struct ds_numbers *nums = g->c->numbers;
	struct conn *c = &g->conns[k];
	uint64_t first = i * g->c->batch;

	for (unsigned j = 0; j < g->c->batch; j++) {
		const struct ds_number *num = &nums->v[(first + j) % nums->n];

		g->digits[j] = num->digits;
		g->lens[j] = num->len;
	}
	idle_remove(g, k);
	c->out_len = http_price_request(c->out, g->out_cap, g->c->host, g->c->prefix, g->digits,
					g->lens, g->c->batch);
	c->out_off = 0;
	c->in_len = 0;
	http_resp_init(&c->resp);
	c->state = C_BUSY;
	c->req = i;
	c->start = start;
	c->deadline = now + (uint64_t)(g->c->timeout_s * 1e9);
	g->in_flight++;
	g->r->sent++;
	conn_flush(g, k, now);
}

/* Send every request that is due, while a connection is free. */
static void dispatch(struct run *g, uint64_t now)
{
	while (g->idle_n && !g->draining) {
		uint64_t i = g->next, due = now;
		uint32_t k = g->idle_head;

		if (g->open) {
			if (i >= g->scheduled)
				return;
			due = due_time(g, i);
			if (due > now)
				return;
			if (g->conns[k].idle_since > due)
				g->r->queued++;
			if ((int64_t)((now - due) / 1000) > g->r->max_send_lag_us)
				g->r->max_send_lag_us = (int64_t)((now - due) / 1000);
		} else if (g->c->max_requests && i >= g->c->max_requests) {
			return;
		}
		g->next++;
		request_send(g, k, i, due, now);
	}
}

/* --- answers ----------------------------------------------------------------------------- */

/* Lines in body, the last one with or without its '\n'. */
static size_t count_lines(const char *b, size_t n)
{
	size_t lines = 0;

	for (size_t i = 0; i < n; i++)
		lines += b[i] == '\n';
	return lines + (n && b[n - 1] != '\n');
}

/* "+DIGITS,COST" for this number, COST a cost the loaders accept. */
static int answer_shape_ok(const char *s, size_t n, const struct ds_number *num)
{
	uint64_t micros;
	const char *why;

	if (n < (size_t)num->len + 3 || s[0] != '+' || memcmp(s + 1, num->digits, num->len) ||
	    s[1 + num->len] != ',')
		return 0;
	return ds_parse_cost(s + 2 + num->len, n - 2 - num->len, &micros, &why) == 0;
}

/* Check the answer lines of k's 2xx response. 0, or -1 when it is malformed. */
static int answers_check(struct run *g, struct conn *c)
{
	const struct ds_numbers *nums = g->c->numbers;
	const struct net_answers *want = g->c->check;
	const char *b = c->in + c->resp.head;
	size_t n = c->resp.body, pos = 0;
	uint64_t first = c->req * g->c->batch;

	if (count_lines(b, n) != g->c->batch)
		return -1;
	for (unsigned j = 0; j < g->c->batch; j++) {
		const char *line = b + pos, *nl = memchr(line, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - line) : n - pos;
		size_t idx = (size_t)((first + j) % nums->n);

		pos += len + (nl != NULL);
		if (len && line[len - 1] == '\r')
			len--;
		if (!want) {
			if (!answer_shape_ok(line, len, &nums->v[idx]))
				return -1;
			continue;
		}
		g->r->checked++;
		if (len != want->len[idx] || memcmp(line, want->text + want->off[idx], len) != 0) {
			g->r->mismatches++;
			if (g->c->on_mismatch)
				g->c->on_mismatch(g->c->arg, idx, want->text + want->off[idx],
						  want->len[idx], line, len);
		}
	}
	return 0;
}

/* k's response is complete: time it, judge it, and free or drop the connection. */
static void response_done(struct run *g, uint32_t k, uint64_t now)
{
	struct conn *c = &g->conns[k];
	int status = c->resp.status;
	int keep = !c->resp.close && c->in_len == c->resp.pos && c->out_off == c->out_len;

	net_hist_record(&g->tick, (int64_t)((now - c->start + 500) / 1000));
	g->r->responses++;
	g->tick_responses++;
	g->last_response = now;
	g->in_flight--;
	if (status >= 500)
		g->r->errors[NET_ERR_HTTP5XX]++;
	else if (status >= 400)
		g->r->errors[NET_ERR_HTTP4XX]++;
	else if (status >= 300 || c->in_len != c->resp.pos || answers_check(g, c) != 0)
		g->r->errors[NET_ERR_MALFORMED]++;
	if (keep && !g->draining)
		idle_push(g, k, now);
	else
		conn_down(g, k, now); /* answered before it had all our request, or closing */
}

/* Read what k has for us and parse it. */
static void conn_read(struct run *g, uint32_t k, uint64_t now)
{
	struct conn *c = &g->conns[k];
	ssize_t n;
	int rc;

	if (c->in_len == c->in_cap) {
		size_t cap = c->in_cap * 2 > g->in_max ? g->in_max : c->in_cap * 2;
		char *in = cap > c->in_cap ? realloc(c->in, cap) : NULL;

		if (!in) {
			request_failed(g, k, NET_ERR_MALFORMED, now); /* bigger than any answer */
			return;
		}
		c->in = in;
		c->in_cap = cap;
	}
	n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n < 0) {
		request_failed(g, k, NET_ERR_CLOSED, now);
		return;
	}
	c->in_len += (size_t)n;
	rc = http_resp_parse(&c->resp, c->in, c->in_len, n == 0);
	if (rc == HTTP_DONE)
		response_done(g, k, now);
	else if (rc == -EPIPE)
		request_failed(g, k, NET_ERR_CLOSED, now);
	else if (rc < 0)
		request_failed(g, k, NET_ERR_MALFORMED, now);
}

/* One epoll event on connection k. */
static void conn_event(struct run *g, uint32_t k, uint32_t events, uint64_t now)
{
	struct conn *c = &g->conns[k];

	switch (c->state) {
	case C_CONNECTING:
		conn_connected(g, k, now);
		break;
	case C_IDLE:
		/* the server closed a kept-alive connection (or spoke out of turn): start over */
		conn_down(g, k, now);
		break;
	case C_BUSY:
		if ((events & EPOLLOUT) && c->out_off < c->out_len)
			conn_flush(g, k, now);
		if (c->state == C_BUSY && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
			conn_read(g, k, now);
		break;
	case C_DOWN:
		break;
	}
}

/* --- the loop ---------------------------------------------------------------------------- */

/* Time out overdue requests and reconnect connections whose wait is over. */
static void housekeep(struct run *g, uint64_t now)
{
	for (uint32_t k = 0; k < g->c->connections; k++) {
		struct conn *c = &g->conns[k];

		if (c->state == C_BUSY && now >= c->deadline)
			request_failed(g, k, NET_ERR_TIMEOUT, now);
		if (c->state == C_DOWN && now >= c->retry_at && !g->draining &&
		    conn_start(g, k, now) != 0)
			g->r->errors[NET_ERR_CONNECT]++;
	}
	g->housekeep_at = now + HOUSEKEEP_NS;
}

/* Once a second: report the second just gone and fold its latencies into the total. */
static void tick(struct run *g, uint64_t now)
{
	struct net_load_tick t;

	if (now < g->t0 + (uint64_t)(g->second + 1) * NS)
		return;
	g->second++;
	t.second = g->second;
	t.responses = g->tick_responses;
	t.p50_us = net_hist_percentile(&g->tick, 50);
	t.p99_us = net_hist_percentile(&g->tick, 99);
	t.max_us = g->tick.max;
	t.errors = net_load_errors(g->r);
	t.in_flight = g->in_flight;
	net_hist_merge(&g->r->latency_us, &g->tick);
	net_hist_reset(&g->tick);
	g->tick_responses = 0;
	if (g->c->on_tick)
		g->c->on_tick(g->c->arg, &t);
}

/* Stop sending: what was due and never sent is a timeout; in-flight requests get a timeout. */
static void drain_begin(struct run *g, uint64_t now)
{
	g->draining = 1;
	/* the sending window: to the next due time when all were sent, so N at R/s is N/R s */
	g->drain_at = g->open && g->next >= g->scheduled ? due_time(g, g->scheduled) : now;
	g->hard_end = now + (uint64_t)(g->c->timeout_s * 1e9);
	if (g->open) {
		/* stopped early: only the requests due by now were the run's */
		uint64_t due = (uint64_t)((double)(now - g->t0) / 1e9 * g->c->rate) + 1;

		if (due < g->scheduled)
			g->scheduled = due > g->next ? due : g->next;
		g->r->scheduled = g->scheduled;
		g->r->unsent = g->scheduled - g->next;
		g->r->errors[NET_ERR_TIMEOUT] += g->r->unsent;
	} else {
		g->r->scheduled = g->next;
	}
}

/* Wake the loop at the next request's due time, when a connection will be free to take it. */
static void arm_timer(struct run *g, uint64_t now)
{
	uint64_t want = 0;
	struct itimerspec its = { 0 };

	if (g->open && !g->draining && g->idle_n && g->next < g->scheduled) {
		want = due_time(g, g->next);
		if (want <= now)
			want = 0;
	}
	if (want == g->armed)
		return;
	its.it_value.tv_sec = (time_t)(want / NS);
	its.it_value.tv_nsec = (long)(want % NS);
	if (timerfd_settime(g->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		g->armed = want;
}

static int wait_ms(const struct run *g, uint64_t now)
{
	uint64_t until = g->housekeep_at;

	if (!g->draining && g->t_end < until)
		until = g->t_end;
	return until > now ? (int)((until - now + 999999) / 1000000) : 0;
}

static int should_drain(const struct run *g, uint64_t now)
{
	if (now >= g->t_end || (g->c->stop && *g->c->stop))
		return 1;
	if (g->open)
		return g->next >= g->scheduled;
	return g->c->max_requests && g->next >= g->c->max_requests;
}

static int run_loop(struct run *g)
{
	struct epoll_event ev[64];

	for (;;) {
		uint64_t now = rb_now_ns();
		int n;

		if (!g->draining && should_drain(g, now)) {
			dispatch(g, now); /* a late wake-up must not turn due requests into errors */
			drain_begin(g, now);
		}
		if (g->draining && (g->in_flight == 0 || now >= g->hard_end))
			return 0;
		if (now >= g->housekeep_at)
			housekeep(g, now);
		dispatch(g, now);
		tick(g, now);
		arm_timer(g, now);
		n = epoll_wait(g->ep, ev, 64, wait_ms(g, now));
		if (n < 0 && errno != EINTR)
			return -errno;
		now = rb_now_ns();
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u32 == TIMER_TAG) {
				uint64_t expirations;

				if (read(g->tfd, &expirations, sizeof(expirations)) < 0)
					continue;
				g->armed = 0;
			} else {
				conn_event(g, ev[i].data.u32, ev[i].events, now);
			}
		}
	}
}

/* --- setup and teardown ------------------------------------------------------------------ */

/* Open connection k before the run starts, waiting for it. 0, or -errno. */
static int conn_open_first(struct run *g, uint32_t k)
{
	struct conn *c = &g->conns[k];
	struct pollfd p;
	int rc = conn_start(g, k, rb_now_ns()), err = 0;
	socklen_t len = sizeof(err);

	if (rc != 0)
		return rc;
	p.fd = c->fd;
	p.events = POLLOUT;
	rc = poll(&p, 1, (int)(g->c->timeout_s * 1000) + 1);
	if (rc == 0)
		err = ETIMEDOUT;
	else if (rc < 0 || getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err) {
		conn_down(g, k, 0);
		return -err;
	}
	watch(g, k, EPOLLIN | EPOLLRDHUP);
	idle_push(g, k, rb_now_ns());
	return 0;
}

static int check_config(const struct net_load_config *c)
{
	if (!c->numbers || c->numbers->n == 0 || c->connections < 1 ||
	    c->connections > NET_MAX_CONNECTIONS || c->batch < 1 || c->batch > NET_MAX_BATCH ||
	    !(c->rate >= 0) || !(c->duration_s > 0) || !(c->timeout_s > 0) ||
	    c->duration_s + c->timeout_s > NET_LATENCY_MAX_US / 1e6)
		return -EINVAL;
	return 0;
}

/* Everything but the connections themselves. 0 or -errno. */
static int run_setup(struct run *g)
{
	const struct net_load_config *c = g->c;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = TIMER_TAG };
	int rc;

	g->idle_head = g->idle_tail = NO_CONN;
	g->ep = epoll_create1(EPOLL_CLOEXEC);
	g->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (g->ep < 0 || g->tfd < 0 || epoll_ctl(g->ep, EPOLL_CTL_ADD, g->tfd, &ev) != 0)
		return -errno;
	rc = net_hist_init(&g->tick, 1, NET_LATENCY_MAX_US, 3);
	if (rc != 0)
		return rc;
	g->out_cap = 512 + strlen(c->host) + strlen(c->prefix) + (size_t)c->batch * 18;
	g->in_max = 65536 + (size_t)c->batch * 64;
	g->digits = calloc(c->batch, sizeof(*g->digits));
	g->lens = calloc(c->batch, sizeof(*g->lens));
	g->conns = calloc(c->connections, sizeof(*g->conns));
	if (!g->digits || !g->lens || !g->conns)
		return -ENOMEM;
	for (uint32_t k = 0; k < c->connections; k++) {
		struct conn *cn = &g->conns[k];

		cn->fd = -1;
		cn->in_cap = 4096;
		cn->out = malloc(g->out_cap);
		cn->in = malloc(cn->in_cap);
		if (!cn->out || !cn->in)
			return -ENOMEM;
	}
	return 0;
}

static void run_teardown(struct run *g)
{
	for (uint32_t k = 0; g->conns && k < g->c->connections; k++) {
		if (g->conns[k].fd >= 0)
			close(g->conns[k].fd);
		free(g->conns[k].out);
		free(g->conns[k].in);
	}
	free(g->conns);
	free(g->digits);
	free(g->lens);
	net_hist_free(&g->tick);
	if (g->tfd >= 0)
		close(g->tfd);
	if (g->ep >= 0)
		close(g->ep);
}

/* Start the clock: t0 now, the end of sending, and (open loop) how many requests are due. */
static void run_start(struct run *g)
{
	const struct net_load_config *c = g->c;

	g->open = c->rate > 0;
	g->t0 = rb_now_ns();
	g->t_end = g->t0 + (uint64_t)(c->duration_s * 1e9);
	g->housekeep_at = g->t0 + HOUSEKEEP_NS;
	if (g->open) {
		double due = c->duration_s * c->rate;

		g->scheduled = due >= 1e15 ? (uint64_t)1e15 : (uint64_t)due;
		if ((double)g->scheduled < due)
			g->scheduled++;
		if (c->max_requests && g->scheduled > c->max_requests)
			g->scheduled = c->max_requests;
		g->r->scheduled = g->scheduled;
	}
}

int net_load_run(const struct net_load_config *c, struct net_load_result *r)
{
	struct run g = { .c = c, .r = r, .ep = -1, .tfd = -1 };
	int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	int rc;

	memset(r, 0, sizeof(*r));
	rc = check_config(c);
	if (rc == 0)
		rc = net_hist_init(&r->latency_us, 1, NET_LATENCY_MAX_US, 3);
	if (rc == 0)
		rc = run_setup(&g);
	for (uint32_t k = 0; rc == 0 && k < c->connections; k++)
		rc = conn_open_first(&g, k);
	if (rc == 0) {
		prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* wake at the due time, not 50 us late */
		run_start(&g);
		rc = run_loop(&g);
		if (slack > 0)
			prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
	}
	if (rc == 0) {
		uint64_t end = g.last_response > g.drain_at ? g.last_response : g.drain_at;

		r->errors[NET_ERR_TIMEOUT] += g.in_flight; /* still unanswered after the drain */
		net_hist_merge(&r->latency_us, &g.tick);
		r->elapsed_s = (double)(end - g.t0) / 1e9;
	}
	run_teardown(&g);
	return rc;
}

void net_load_result_free(struct net_load_result *r)
{
	net_hist_free(&r->latency_us);
}

uint64_t net_load_errors(const struct net_load_result *r)
{
	uint64_t sum = 0;

	for (int i = 0; i < NET_ERR_KINDS; i++)
		sum += r->errors[i];
	return sum;
}
