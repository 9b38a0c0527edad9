/*
 * serve.c - `routebench serve`: price numbers over HTTP, from tables that change while they
 * serve (deltas and reloads, published through RCU). Loads and checks every route file as
 * `price` does before it listens; SIGTERM drains and exits 0, SIGHUP reloads every file.
 * The server never writes a route file, so a kill -9 at any moment loses nothing on disk.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allocator.h"
#include "carriers.h"
#include "cli.h"
#include "commands.h"
#include "http.h"
#include "registry.h"

static const char serve_help[] =
	"usage: routebench serve [--impl NAME] --routes FILE [--routes FILE ...] [--bind ADDR]\n"
	"                        [--port N] [--threads N] [--update rebuild|inplace]\n"
	"                        [--admin-token-file FILE] [--max-body SIZE] [--conn-memory SIZE]\n"
	"                        [--timeout S] [--max-connections N] [--drain S] [--no-lookup]\n"
	"                        [--trim]\n"
	"\n"
	"Serve prices over HTTP/1.1. Each --routes file is one carrier, loaded and checked as\n"
	"'routebench price' does before the server listens; then it prints\n"
	"'listening on http://ADDR:PORT' on stdout.\n"
	"\n"
	"  GET  /price?number=%%2B14152345678   '+14152345678,0.03' (the 'price' line format);\n"
	"                                      JSON with 'Accept: application/json'\n"
	"  POST /price                         a body of numbers, one per line: one answer each\n"
	"  POST /carriers/K/routes             a delta, lines '+DIGITS,COST' (set) or '-DIGITS'\n"
	"                                      (remove), applied atomically as K's next version\n"
	"  POST /carriers/K/reload             re-read carrier K's file (K counts from 1)\n"
	"  GET  /healthz, GET /stats           liveness; versions, sizes and update timings\n"
	"The /carriers endpoints need 'Authorization: Bearer TOKEN'.\n"
	"\n"
	"  --impl NAME          lookup structure (default %s; see 'routebench list')\n"
	"  --routes FILE        a carrier's route list (repeat per carrier, at most %d)\n"
	"  --bind ADDR          address to listen on (default 127.0.0.1)\n"
	"  --port N             port (default 8080; 0 picks a free one and prints it)\n"
	"  --threads N          HTTP threads, one epoll loop each (default: online CPUs)\n"
	"  --update MODE        inplace: deltas copy on write inside the table (where the\n"
	"                       implementation can; the default there); rebuild: merge and\n"
	"                       build a new table beside the old one (every implementation)\n"
	"  --admin-token-file F the token the /carriers endpoints require (first line of F);\n"
	"                       without it every update is refused (403)\n"
	"  --max-body SIZE      largest request body, e.g. 64M (default), 413 beyond\n"
	"  --conn-memory SIZE   per-connection memory for headers and buffers (default 64K)\n"
	"  --timeout S          close a connection idle for S seconds (default 30)\n"
	"  --max-connections N  connections at once (default 1024)\n"
	"  --drain S            on SIGTERM, wait at most S seconds for requests (default 10)\n"
	"  --no-lookup          GET /price answers 'NUMBER,0' (text, whatever Accept says)\n"
	"                       without touching a table: a benchmark's baseline, what HTTP\n"
	"                       alone costs (routes are still loaded; POST /price as usual)\n"
	"  --trim               after a rebuild or reload, give the freed table's pages back\n"
	"                       to the kernel (glibc malloc_trim: about 1 s per GB freed, on\n"
	"                       the update thread); without it RSS stays at two to three\n"
	"                       tables after rebuilds, ready for the next one\n"
	"  -h, --help           this help\n"
	"\n"
	"Signals: SIGTERM or SIGINT drains and exits 0; SIGHUP reloads every carrier's file.\n"
	"Exit status: 0 stopped by a signal, 1 bad input or cannot listen, 2 usage error.\n";

struct serve_args {
	const struct route_table_ops *ops;
	const char **routes;
	size_t n_routes;
	const char *update; /* NULL: the default for the implementation */
	const char *token_file;
	int trim;
	struct serve_http_config http;
	unsigned drain_s;
};

/* Parse a whole number in [lo, hi] (K/M/G suffixes; binary for sizes). 0 or -1. */
static int parse_bounded(const char *s, int binary, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v;

	if (cli_parse_u64(s, binary, &v) != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* The numeric options; 0 or a usage error (2). */
static int parse_number_opt(int c, const char *v, struct serve_args *a)
{
	static const struct { int c; const char *name; int binary; uint64_t lo, hi; } lim[] = {
		{ 'p', "--port", 0, 0, 65535 },
		{ 't', "--threads", 0, 1, 256 },
		{ 'B', "--max-body", 1, 1, 1ULL << 32 },
		{ 'M', "--conn-memory", 1, 4096, 1ULL << 30 },
		{ 'T', "--timeout", 0, 1, 86400 },
		{ 'C', "--max-connections", 0, 1, 1000000 },
		{ 'D', "--drain", 0, 0, 3600 },
	};
	uint64_t x;

	for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		if (lim[i].c != c)
			continue;
		if (parse_bounded(v, lim[i].binary, lim[i].lo, lim[i].hi, &x) != 0)
			return cli_usage_error("serve", "%s takes a number from %llu to %llu, not '%s'",
					       lim[i].name, (unsigned long long)lim[i].lo,
					       (unsigned long long)lim[i].hi, v);
		switch (c) {
		case 'p': a->http.port = (unsigned)x; break;
		case 't': a->http.threads = (unsigned)x; break;
		case 'B': a->http.max_body = (size_t)x; break;
		case 'M': a->http.conn_memory = (size_t)x; break;
		case 'T': a->http.timeout_s = (unsigned)x; break;
		case 'C': a->http.max_conns = (unsigned)x; break;
		default: a->drain_s = (unsigned)x; break;
		}
	}
	return 0;
}

/* Whether the implementation and --update agree; sets http.update_mode. 0 or 2. */
static int check_update_mode(struct serve_args *a)
{
	int can = rt_can_update(a->ops);

	if (!a->update)
		a->update = can ? "inplace" : "rebuild";
	if (strcmp(a->update, "rebuild") != 0 && strcmp(a->update, "inplace") != 0)
		return cli_usage_error("serve", "--update is rebuild or inplace, not '%s'",
				       a->update);
	if (strcmp(a->update, "inplace") == 0 && !can)
		return cli_usage_error("serve", "--update inplace: %s has no in-place update "
				       "(update/retire ops); use --update rebuild", a->ops->name);
	a->http.update_mode = a->update;
	return 0;
}

static int bind_is_address(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* What the options fill: the arguments, and the --impl name (the default until one is given). */
struct serve_parse {
	struct serve_args *a;
	const char *impl;
};

/* One option's value into *ctx, a struct serve_parse. 0, -1 after --help, or CLI_USAGE. */
static int serve_option(const struct cli_parser *p, int id, void *ctx)
{
	struct serve_parse *s = ctx;
	struct serve_args *a = s->a;
	const char *arg = p->arg;

	switch (id) {
	case 'i': s->impl = arg; break;
	case 'r':
		if (a->n_routes == SERVE_MAX_CARRIERS)
			return cli_usage_error("serve", "at most %d --routes files",
					       SERVE_MAX_CARRIERS);
		a->routes[a->n_routes++] = arg;
		break;
	case 'b': a->http.bind = arg; break;
	case 'u': a->update = arg; break;
	case 'a': a->token_file = arg; break;
	case 'n': a->http.no_lookup = 1; break;
	case 'R': a->trim = 1; break;
	case 'h': printf(serve_help, s->impl, SERVE_MAX_CARRIERS); return CLI_HELP;
	default: return parse_number_opt(id, arg, a);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct serve_args *a)
{
	static const struct cli_option opts[] = {
		{ "impl", CLI_VALUE, 'i' },
		{ "routes", CLI_VALUE, 'r' },
		{ "bind", CLI_VALUE, 'b' },
		{ "port", CLI_VALUE, 'p' },
		{ "threads", CLI_VALUE, 't' },
		{ "update", CLI_VALUE, 'u' },
		{ "admin-token-file", CLI_VALUE, 'a' },
		{ "max-body", CLI_VALUE, 'B' },
		{ "conn-memory", CLI_VALUE, 'M' },
		{ "timeout", CLI_VALUE, 'T' },
		{ "max-connections", CLI_VALUE, 'C' },
		{ "drain", CLI_VALUE, 'D' },
		{ "no-lookup", CLI_NONE, 'n' },
		{ "trim", CLI_NONE, 'R' },
		{ "help", CLI_NONE, 'h' },
		{ "h", CLI_NONE, 'h' },
		{ NULL, 0, 0 },
	};

	struct serve_parse s = { a, rt_find_flag(RT_F_DEFAULT)->name };
	const char *impl;
	struct cli_parser p;
	int rc;

	cli_init(&p, "routebench serve", argc, argv, opts);
	rc = cli_parse_all(&p, NULL, serve_option, &s);
	if (rc != 0)
		return rc;
	impl = s.impl;
	if (a->n_routes == 0)
		return cli_usage_error("serve", "at least one --routes FILE is required");
	if (!bind_is_address(a->http.bind))
		return cli_usage_error("serve", "--bind takes an IPv4 or IPv6 address, not '%s'",
				       a->http.bind);
	a->ops = rt_find(impl);
	if (!a->ops)
		return cli_usage_error("serve", "no implementation named '%s' (see 'routebench list')",
				       impl);
	return check_update_mode(a);
}

/*
 * The admin token: the first line of path, trailing whitespace removed, 1 to 512 printable
 * bytes. 0 with *out (malloc'ed) set, or 1 after printing why.
 */
static int read_token(const char *path, char **out)
{
	char buf[1024];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	n = fgets(buf, sizeof(buf), f) ? strlen(buf) : 0;
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' ||
		     buf[n - 1] == '\t'))
		n--;
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (buf[i] < 0x21 || buf[i] > 0x7e) {
			fprintf(stderr, "%s:1: the admin token has a space or a non-printable "
					"byte\n", path);
			return 1;
		}
	if (n == 0 || n > 512) {
		fprintf(stderr, "%s:1: the admin token must be 1 to 512 bytes\n", path);
		return 1;
	}
	*out = strdup(buf);
	return *out ? 0 : 1;
}

/* Wait for signals until SIGTERM or SIGINT; SIGHUP reloads. */
static void signal_loop(struct serve_http *h, const sigset_t *set)
{
	for (;;) {
		int sig;

		if (sigwait(set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			fprintf(stderr, "serve: SIGHUP: reloading every carrier's file\n");
			serve_http_reload_all(h);
			continue;
		}
		fprintf(stderr, "serve: %s: draining\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
		return;
	}
}

/* Listen, say where, serve until a signal stops it. The exit status. */
static int run(struct serve_state *st, struct serve_args *a)
{
	struct serve_http *h;
	char why[256];
	unsigned port;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread started from here inherits it */
	signal(SIGPIPE, SIG_IGN);
	if (serve_http_start(st, &a->http, &h, &port, why, sizeof(why)) != 0) {
		fprintf(stderr, "routebench serve: %s\n", why);
		return 1;
	}
	if (strchr(a->http.bind, ':'))
		printf("listening on http://[%s]:%u\n", a->http.bind, port);
	else
		printf("listening on http://%s:%u\n", a->http.bind, port);
	fflush(stdout);
	signal_loop(h, &set);
	serve_http_stop(h, a->drain_s);
	fprintf(stderr, "serve: stopped\n");
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_args a = { 0 };
	struct serve_state st;
	struct ds_error err;
	char *token = NULL;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	a.routes = calloc(SERVE_MAX_CARRIERS, sizeof(*a.routes));
	if (!a.routes)
		return 1;
	a.http.bind = "127.0.0.1";
	a.http.port = 8080;
	a.http.threads = cpus > 0 && cpus <= 256 ? (unsigned)cpus : 2;
	a.http.max_body = 64u << 20;
	a.http.conn_memory = 64u << 10;
	a.http.timeout_s = 30;
	a.http.max_conns = 1024;
	a.http.log = stderr;
	a.drain_s = 10;
	rc = parse_args(argc, argv, &a);
	if (rc != 0) {
		free(a.routes);
		return rc < 0 ? 0 : rc;
	}
	if (a.token_file && read_token(a.token_file, &token) != 0) {
		free(a.routes);
		return 1;
	}
	a.http.token = token;
	rc = 1;
	if (serve_state_init(&st, a.ops, strcmp(a.update, "inplace") == 0, a.routes, a.n_routes,
			     stderr, &err) != 0) {
		ds_error_print(&err, stderr);
	} else {
		st.trim = a.trim;
		fprintf(stderr, "serve: %zu carrier%s, %s, --update %s\n", st.n,
			st.n == 1 ? "" : "s", a.ops->name, a.update);
		rc = run(&st, &a);
		/*
		 * Freeing the tables node by node at exit took seconds at 5 x 10M lazytrie routes
		 * (a stop past the scenario's 10 s grace); the kernel takes the pages back at
		 * once. Sanitizer builds free them, so their leak check still sees every table.
		 */
		if (BENCH_ASAN)
			serve_state_free(&st);
	}
	free(token);
	free(a.routes);
	return rc;
}
