/*
 * server.c - argv for `routebench serve` and `routebench load`, the wait for the listening
 * line (the log polled every 10 ms), and the load generator's CSV row read by header name, so
 * a column added to it later breaks nothing here. O(log size) per poll.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server.h"
#include "states.h"

#define MAX_ARGS 64

void sc_last_line(const char *path, char *buf, size_t cap)
{
	char *text = NULL, *end;
	size_t len = 0;

	buf[0] = '\0';
	if (sc_read_file(path, &text, &len) != 0)
		return;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		text[--len] = '\0';
	end = strrchr(text, '\n');
	snprintf(buf, cap, "%s", end ? end + 1 : text);
	free(text);
}

static void truncate_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd >= 0)
		close(fd);
}

/* The port of the first "listening on http://ADDR:PORT" line in the log, or 0. */
static int listening_port(const char *log)
{
	char *text = NULL, *p, *colon;
	size_t len;
	long port = 0;

	if (sc_read_file(log, &text, &len) != 0)
		return 0;
	p = strstr(text, "listening on http://");
	if (p) {
		p += strlen("listening on http://");
		colon = p + strcspn(p, "/ \r\n");
		while (colon > p && colon[-1] != ':')
			colon--;
		if (colon > p)
			port = strtol(colon, NULL, 10);
	}
	free(text);
	return port > 0 && port < 65536 ? (int)port : 0;
}

static size_t serve_argv(const struct sc_server_args *a, char **argv, char *num, size_t cap)
{
	size_t n = 0;

	argv[n++] = "routebench";
	argv[n++] = "serve";
	if (a->impl) {
		argv[n++] = "--impl";
		argv[n++] = (char *)a->impl;
	}
	for (size_t i = 0; i < a->n_routes && n + 12 < MAX_ARGS; i++) {
		argv[n++] = "--routes";
		argv[n++] = (char *)a->routes[i];
	}
	argv[n++] = "--bind";
	argv[n++] = "127.0.0.1";
	argv[n++] = "--port";
	argv[n++] = "0";
	if (a->threads) {
		snprintf(num, cap, "%u", a->threads);
		argv[n++] = "--threads";
		argv[n++] = num;
	}
	if (a->update) {
		argv[n++] = "--update";
		argv[n++] = (char *)a->update;
	}
	if (a->no_lookup)
		argv[n++] = "--no-lookup";
	if (a->token_file) {
		argv[n++] = "--admin-token-file";
		argv[n++] = (char *)a->token_file;
	}
	argv[n] = NULL;
	return n;
}

int sc_server_start(const struct sc_server_args *a, struct sc_server *s, char *why, size_t cap)
{
	char *argv[MAX_ARGS], num[16];
	struct sc_spawn sp = { argv, a->cpu, a->log_path, NULL, a->mem_limit };
	double deadline = sc_now_s() + a->start_timeout_s;
	int rc;

	serve_argv(a, argv, num, sizeof(num));
	truncate_file(a->log_path);
	memset(s, 0, sizeof(*s));
	rc = sc_child_start(&sp, &s->child);
	if (rc != 0) {
		snprintf(why, cap, "cannot start the server: %s", strerror(-rc));
		return -1;
	}
	while ((s->port = listening_port(a->log_path)) == 0) {
		if (sc_child_poll(&s->child) || sc_now_s() > deadline) {
			int died = s->child.pid == 0;

			sc_child_stop(&s->child, 2);
			sc_last_line(a->log_path, why, cap);
			if (!died || !*why)
				snprintf(why, cap, died ? "the server exited before listening"
							: "no listening line within %g s",
					 a->start_timeout_s);
			return -1;
		}
		sc_sleep_s(0.01);
	}
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
	return 0;
}

int sc_server_stop(struct sc_server *s)
{
	int clean = sc_child_stop(&s->child, 10);

	return clean && WIFEXITED(s->child.status) && WEXITSTATUS(s->child.status) == 0 ? 0 : -1;
}

int sc_load_start(const struct sc_load_args *a, struct sc_child *c)
{
	char *argv[MAX_ARGS], rate[32], dur[32], conns[16], batch[16], tmo[32];
	struct sc_spawn sp = { argv, a->cpu, a->out_path, a->log_path, 0 };
	size_t n = 0;

	snprintf(rate, sizeof(rate), "%.3f", a->rate);
	snprintf(dur, sizeof(dur), "%g", a->duration_s);
	snprintf(conns, sizeof(conns), "%u", a->connections);
	snprintf(batch, sizeof(batch), "%u", a->batch);
	snprintf(tmo, sizeof(tmo), "%g", a->timeout_s);
	argv[n++] = "routebench";
	argv[n++] = "load";
	argv[n++] = "--url";
	argv[n++] = (char *)a->url;
	argv[n++] = "--numbers";
	argv[n++] = (char *)a->numbers;
	argv[n++] = "--rate";
	argv[n++] = rate;
	argv[n++] = "--duration";
	argv[n++] = dur;
	if (a->connections) {
		argv[n++] = "--connections";
		argv[n++] = conns;
	}
	if (a->batch) {
		argv[n++] = "--batch";
		argv[n++] = batch;
	}
	if (a->timeout_s > 0) {
		argv[n++] = "--timeout";
		argv[n++] = tmo;
	}
	if (a->check) {
		argv[n++] = "--check";
		argv[n++] = (char *)a->check;
	}
	if (a->check_odd) {
		argv[n++] = "--check-odd";
		argv[n++] = (char *)a->check_odd;
	}
	argv[n++] = "--csv";
	argv[n] = NULL;
	truncate_file(a->out_path);
	return sc_child_start(&sp, c);
}

/* Split line at commas in place into f[0..cap); returns the count. */
static size_t split_csv(char *line, char **f, size_t cap)
{
	size_t n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; p && n < cap;) {
		char *comma = strchr(p, ',');

		f[n++] = p;
		if (comma)
			*comma = '\0';
		p = comma ? comma + 1 : NULL;
	}
	return n;
}

/* Fill *row from the header and data line; 0, or -1 naming the missing column in why. */
static int read_row(char *head, char *data, struct sc_load_row *row, char *why, size_t cap)
{
	static const char *const names[] = { "offered_rate", "achieved_rate", "requests",
		"errors", "mismatches", "p50_us", "p90_us", "p99_us", "p999_us", "p9999_us",
		"max_us" };
	double v[11];
	char *h[64], *d[64];
	size_t nh = split_csv(head, h, 64), nd = split_csv(data, d, 64);

	for (size_t k = 0; k < 11; k++) {
		size_t i = 0;

		while (i < nh && strcmp(h[i], names[k]) != 0)
			i++;
		if (i >= nh || i >= nd || !*d[i]) {
			snprintf(why, cap, "the load generator's CSV has no %s", names[k]);
			return -1;
		}
		v[k] = strtod(d[i], NULL);
	}
	*row = (struct sc_load_row){ v[0], v[1], (uint64_t)v[2], (uint64_t)v[3], (uint64_t)v[4], 0,
				     v[5], v[6], v[7], v[8], v[9], v[10] };
	for (size_t i = 0; i < nh && i < nd; i++)
		if (strcmp(h[i], "unsent") == 0)
			row->unsent = (uint64_t)strtod(d[i], NULL);
	row->errors -= row->unsent < row->errors ? row->unsent : row->errors;
	return 0;
}

int sc_load_finish(const struct sc_load_args *a, struct sc_child *c, struct sc_load_row *row,
		   char *why, size_t cap)
{
	char *text = NULL, *head, *data;
	size_t len;
	int rc = -1;

	if (!sc_child_wait(c, a->duration_s + a->timeout_s + 30))
		sc_child_stop(c, 2);
	if (sc_read_file(a->out_path, &text, &len) != 0) {
		snprintf(why, cap, "the load generator wrote no output");
		return -1;
	}
	head = strstr(text, "achieved_rate");
	while (head && head > text && head[-1] != '\n')
		head--;
	data = head ? strchr(head, '\n') : NULL;
	if (data && data[1]) {
		*data++ = '\0';
		rc = read_row(head, data, row, why, cap);
	} else {
		sc_last_line(a->log_path, why, cap);
		if (!*why)
			snprintf(why, cap, "the load generator printed no CSV row (wait status %d)",
				 c->status);
	}
	free(text);
	return rc;
}
