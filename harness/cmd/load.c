/*
 * load.c - `routebench load`: drive a price server over HTTP at a constant arrival rate (open
 * loop) or flat out (closed loop), check its answers, and print the latency distribution.
 *
 * Only the command line lives here: the event loop is harness/net/loadgen.c. Loopback only
 * unless --allow-remote, and every run ends by itself after --duration plus one --timeout.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "answers.h"
#include "cli.h"
#include "commands.h"
#include "load.h"
#include "loadgen.h"
#include "url.h"

#define LOAD_EXIT_MISMATCH 3
#define LOAD_SHOW_MISMATCHES 5

static const char load_help[] =
	"usage: routebench load --url URL --numbers FILE [--rate R] [--duration S]\n"
	"                       [--connections C] [--batch N] [--check ANSWERS] [--csv]\n"
	"                       [--requests N] [--timeout S] [--quiet] [--allow-remote]\n"
	"                       [--check-odd ANSWERS]\n"
	"\n"
	"Send price requests to a `routebench serve` at URL and measure the answers' latency.\n"
	"Open loop (--rate R > 0): request i is due at i/R seconds whether or not the server\n"
	"kept up, and its latency counts from that due time, so a stall shows in every request\n"
	"that queued behind it. --rate 0 is closed loop: each connection sends its next request\n"
	"as soon as the last is answered, latency from the actual send; use it to find the\n"
	"maximum throughput, never to quote latency.\n"
	"\n"
	"  --url URL          http://HOST[:PORT][/PREFIX], HOST a literal IPv4 address, [IPv6] or\n"
	"                     localhost (never resolved); requests go to PREFIX/price\n"
	"  --numbers FILE     phone numbers, '+DIGITS' per line, asked round-robin\n"
	"  --rate R           requests per second (default 1000); 0: closed loop, full speed\n"
	"  --duration S       seconds of sending (default 10)\n"
	"  --connections C    keep-alive connections, one request in flight each (default 8)\n"
	"  --batch N          numbers per request: 1 is GET /price?number=, more is one POST\n"
	"                     /price of N lines (default 1); latency is per request\n"
	"  --check ANSWERS    compare every answer with ANSWERS (the `routebench price` output\n"
	"                     for --numbers, same order); mismatches are counted, the first %d\n"
	"                     printed\n"
	"  --check-odd ANSWERS with --check and --batch 1: ask for JSON (Accept:\n"
	"                     application/json) and check each answer against ANSWERS when the\n"
	"                     first carrier's version in its \"versions\" is odd, against\n"
	"                     --check's when even: a server whose deltas alternate between two\n"
	"                     route states is checked by the version that answered\n"
	"  --csv              print a CSV header and one row instead of the summary\n"
	"  --requests N       stop after N requests even if --duration has not passed\n"
	"  --timeout S        a request unanswered after S seconds is a timeout; the drain after\n"
	"                     the last send lasts at most S too (default 2)\n"
	"  --quiet            no progress line each second on stderr (--csv implies it)\n"
	"  --allow-remote     allow a non-loopback address (refused by default)\n"
	"  -h, --help         this help\n"
	"\n"
	"Errors are counted by kind: connect (a failed reconnect), timeout (no answer in time, or\n"
	"never sent because every connection stayed busy), closed (the server dropped the\n"
	"connection mid-request), http_4xx, http_5xx, malformed (not HTTP, or not one\n"
	"'+NUMBER,COST' line per number asked). Ctrl-C ends the run early and still reports.\n"
	"\n"
	"Exit status: 0 the run completed (errors, if any, are in the report), 1 it could not run\n"
	"(bad file, server unreachable at the start), 2 usage error, 3 --check found a wrong\n"
	"answer.\n";

struct load_args {
	const char *url, *numbers, *check, *check_odd;
	double rate, duration, timeout;
	uint64_t connections, batch, requests;
	int csv, quiet, allow_remote;
};

struct load_state {
	uint64_t shown; /* mismatches seen (the first LOAD_SHOW_MISMATCHES are printed) */
};

static volatile sig_atomic_t load_stop;

static void on_sigint(int sig)
{
	(void)sig;
	load_stop = 1;
}

static int parse_number_opt(const char *name, const char *v, double *d, uint64_t *u)
{
	if (d ? cli_parse_double(v, d) == 0 : cli_parse_u64(v, 0, u) == 0)
		return 0;
	return cli_usage_error("load", "%s needs a non-negative number, not '%s'", name, v);
}

static int check_ranges(const struct load_args *a)
{
	if (!a->url)
		return cli_usage_error("load", "--url URL is required");
	if (!a->numbers)
		return cli_usage_error("load", "--numbers FILE is required");
	if (a->duration <= 0 || a->duration > 86400)
		return cli_usage_error("load", "--duration is more than 0 and at most 86400 s");
	if (a->timeout <= 0 || a->timeout > 3600)
		return cli_usage_error("load", "--timeout is more than 0 and at most 3600 s");
	if (a->rate > 10000000)
		return cli_usage_error("load", "--rate is at most 10000000 per second");
	if (a->connections < 1 || a->connections > NET_MAX_CONNECTIONS)
		return cli_usage_error("load", "--connections is 1 to %d", NET_MAX_CONNECTIONS);
	if (a->batch < 1 || a->batch > NET_MAX_BATCH)
		return cli_usage_error("load", "--batch is 1 to %d", NET_MAX_BATCH);
	if (a->check_odd && (!a->check || a->batch != 1))
		return cli_usage_error("load", "--check-odd needs --check and --batch 1");
	return 0;
}

/* One option's value into *ctx, a struct load_args. 0, -1 after --help, or CLI_USAGE. */
static int load_option(const struct cli_parser *p, int id, void *ctx)
{
	struct load_args *a = ctx;
	const char *arg = p->arg;
	int rc = 0;

	switch (id) {
	case 'u': a->url = arg; break;
	case 'n': a->numbers = arg; break;
	case 'r': rc = parse_number_opt("--rate", arg, &a->rate, NULL); break;
	case 'd': rc = parse_number_opt("--duration", arg, &a->duration, NULL); break;
	case 'c': rc = parse_number_opt("--connections", arg, NULL, &a->connections); break;
	case 'b': rc = parse_number_opt("--batch", arg, NULL, &a->batch); break;
	case 'k': a->check = arg; break;
	case 'K': a->check_odd = arg; break;
	case 'C': a->csv = 1; break;
	case 'N': rc = parse_number_opt("--requests", arg, NULL, &a->requests); break;
	case 't': rc = parse_number_opt("--timeout", arg, &a->timeout, NULL); break;
	case 'q': a->quiet = 1; break;
	case 'R': a->allow_remote = 1; break;
	case 'h': printf(load_help, LOAD_SHOW_MISMATCHES); return CLI_HELP;
	}
	return rc;
}

static int parse_args(int argc, char **argv, struct load_args *a)
{
	static const struct cli_option opts[] = {
		{ "url", CLI_VALUE, 'u' },
		{ "numbers", CLI_VALUE, 'n' },
		{ "rate", CLI_VALUE, 'r' },
		{ "duration", CLI_VALUE, 'd' },
		{ "connections", CLI_VALUE, 'c' },
		{ "batch", CLI_VALUE, 'b' },
		{ "check", CLI_VALUE, 'k' },
		{ "check-odd", CLI_VALUE, 'K' },
		{ "csv", CLI_NONE, 'C' },
		{ "requests", CLI_VALUE, 'N' },
		{ "timeout", CLI_VALUE, 't' },
		{ "quiet", CLI_NONE, 'q' },
		{ "allow-remote", CLI_NONE, 'R' },
		{ "help", CLI_NONE, 'h' },
		{ "h", CLI_NONE, 'h' },
		{ NULL, 0, 0 },
	};

	struct cli_parser p;
	int rc;

	cli_init(&p, "routebench load", argc, argv, opts);
	rc = cli_parse_all(&p, NULL, load_option, a);
	if (rc != 0)
		return rc;
	return check_ranges(a);
}

/* A latency for people: "152 us", "1.20 ms", "1.234 s". */
static const char *human_us(int64_t us, char *buf, size_t cap)
{
	if (us < 1000)
		snprintf(buf, cap, "%" PRId64 " us", us);
	else if (us < 1000000)
		snprintf(buf, cap, "%.2f ms", (double)us / 1e3);
	else
		snprintf(buf, cap, "%.3f s", (double)us / 1e6);
	return buf;
}

static void on_tick(void *arg, const struct net_load_tick *t)
{
	char p50[32], p99[32], max[32];

	(void)arg;
	fprintf(stderr, "load: %4u s  %8" PRIu64 " answered/s  p50 %s  p99 %s  max %s  %" PRIu64
		" errors  %u in flight\n", t->second, t->responses, human_us(t->p50_us, p50, 32),
		human_us(t->p99_us, p99, 32), human_us(t->max_us, max, 32), t->errors,
		t->in_flight);
}

/* A server's line, printable: control bytes as '?', cut at 100 bytes. */
static void print_line(FILE *f, const char *s, size_t n)
{
	fputc('\'', f);
	for (size_t i = 0; i < n && i < 100; i++)
		fputc(s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?', f);
	fputs(n > 100 ? "...'" : "'", f);
}

static void on_mismatch(void *arg, size_t idx, const char *want, size_t want_len,
			const char *got, size_t got_len)
{
	struct load_state *st = arg;

	if (st->shown++ >= LOAD_SHOW_MISMATCHES)
		return;
	fprintf(stderr, "routebench load: wrong answer for number %zu: expected ", idx + 1);
	print_line(stderr, want, want_len);
	fputs(", got ", stderr);
	print_line(stderr, got, got_len);
	fputc('\n', stderr);
}

static double achieved_rate(const struct net_load_result *r)
{
	return r->elapsed_s > 0 ? (double)r->responses / r->elapsed_s : 0;
}

static void print_csv(const struct load_args *a, const struct net_load_result *r)
{
	const struct net_hist *h = &r->latency_us;

	printf("offered_rate,achieved_rate,requests,errors,mismatches,p50_us,p90_us,p99_us,"
	       "p999_us,p9999_us,max_us,mean_us,responses,sent,unsent,queued,checked,connections,"
	       "batch,duration_s,elapsed_s,max_send_lag_us");
	for (int i = 0; i < NET_ERR_KINDS; i++)
		printf(",errors_%s", net_err_names[i]);
	printf("\n%g,%.1f,%" PRIu64 ",%" PRIu64 ",%" PRIu64, a->rate, achieved_rate(r),
	       r->scheduled, net_load_errors(r), r->mismatches);
	printf(",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%.1f",
	       net_hist_percentile(h, 50), net_hist_percentile(h, 90), net_hist_percentile(h, 99),
	       net_hist_percentile(h, 99.9), net_hist_percentile(h, 99.99), h->max,
	       net_hist_mean(h));
	printf(",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
	       ",%g,%.3f,%" PRId64, r->responses, r->sent, r->unsent, r->queued, r->checked,
	       a->connections, a->batch, a->duration, r->elapsed_s, r->max_send_lag_us);
	for (int i = 0; i < NET_ERR_KINDS; i++)
		printf(",%" PRIu64, r->errors[i]);
	printf("\n");
}

static void print_summary(const struct load_args *a, const struct net_load_result *r)
{
	const struct net_hist *h = &r->latency_us;
	static const double ps[] = { 50, 90, 99, 99.9, 99.99 };
	static const char *const pn[] = { "p50", "p90", "p99", "p99.9", "p99.99" };
	char buf[32];

	printf("requests  %" PRIu64 " due, %" PRIu64 " sent, %" PRIu64 " answered in %.2f s: "
	       "%.1f/s", r->scheduled, r->sent, r->responses, r->elapsed_s, achieved_rate(r));
	if (a->rate > 0)
		printf(" (offered %g/s)\n", a->rate);
	else
		printf(" (closed loop, %" PRIu64 " connection%s)\n", a->connections,
		       a->connections == 1 ? "" : "s");
	printf("errors    %" PRIu64, net_load_errors(r));
	for (int i = 0; i < NET_ERR_KINDS; i++)
		printf("%s%s %" PRIu64, i ? ", " : " (", net_err_names[i], r->errors[i]);
	printf(")\n");
	if (r->unsent)
		printf("          %" PRIu64 " of the timeouts were never sent: every connection "
		       "stayed busy\n", r->unsent);
	if (a->check)
		printf("check     %" PRIu64 " answers compared with %s: %" PRIu64 " wrong\n",
		       r->checked, a->check, r->mismatches);
	if (a->rate > 0)
		printf("queued    %" PRIu64 " requests found every connection busy when due (max "
		       "send lag %s)\n", r->queued, human_us(r->max_send_lag_us, buf, sizeof(buf)));
	printf("latency  ");
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
		printf(" %s %s,", pn[i], human_us(net_hist_percentile(h, ps[i]), buf, sizeof(buf)));
	printf(" max %s (%s)\n", human_us(h->max, buf, sizeof(buf)),
	       a->rate > 0 ? "from the due time" : "from the actual send");
}

/* Load --numbers and --check. 0, or 1 after printing the file:line error. */
static int load_inputs(const struct load_args *a, struct ds_numbers *numbers,
		       struct net_answers *check, struct net_answers *check_odd)
{
	struct ds_error err;

	if (ds_load_numbers(a->numbers, 0, numbers, &err) != 0) {
		ds_error_print(&err, stderr);
		return 1;
	}
	if (numbers->n == 0) {
		fprintf(stderr, "%s: no numbers in the file\n", a->numbers);
		return 1;
	}
	if ((a->check && net_answers_load(a->check, numbers, check, &err) != 0) ||
	    (a->check_odd && net_answers_load(a->check_odd, numbers, check_odd, &err) != 0)) {
		ds_error_print(&err, stderr);
		return 1;
	}
	return 0;
}

/* Run the load with SIGINT ending it early. The exit status. */
static int run(const struct load_args *a, const struct net_url *u,
	       const struct ds_numbers *numbers, const struct net_answers *check,
	       const struct net_answers *check_odd)
{
	struct load_state st = { 0 };
	struct net_load_config c = {
		.addr = &u->addr, .addrlen = u->addrlen, .host = u->host, .prefix = u->prefix,
		.numbers = numbers, .check = a->check ? check : NULL,
		.check_odd = a->check_odd ? check_odd : NULL, .rate = a->rate,
		.duration_s = a->duration, .timeout_s = a->timeout, .max_requests = a->requests,
		.connections = (unsigned)a->connections, .batch = (unsigned)a->batch,
		.stop = &load_stop, .on_tick = a->csv || a->quiet ? NULL : on_tick,
		.on_mismatch = on_mismatch, .arg = &st,
	};
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	struct net_load_result r;
	char where[80];
	int rc;

	net_addr_format(&u->addr, where, sizeof(where));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	rc = net_load_run(&c, &r);
	sigaction(SIGINT, &old, NULL);
	if (rc != 0) {
		fprintf(stderr, "routebench load: cannot run against %s: %s\n", where,
			strerror(-rc));
		net_load_result_free(&r);
		return 1;
	}
	if (st.shown > LOAD_SHOW_MISMATCHES)
		fprintf(stderr, "routebench load: ... and %" PRIu64 " more wrong answers\n",
			st.shown - LOAD_SHOW_MISMATCHES);
	if (a->csv) {
		print_csv(a, &r);
	} else {
		printf("target    %s (%s), ", a->url, where);
		if (a->rate > 0)
			printf("open loop at %g/s", a->rate);
		else
			printf("closed loop at full speed");
		printf(" for %g s", a->duration);
		if (a->requests)
			printf(" or %" PRIu64 " requests", a->requests);
		printf(", %" PRIu64 " connection%s, %" PRIu64 " number%s per request\n",
		       a->connections, a->connections == 1 ? "" : "s", a->batch,
		       a->batch == 1 ? "" : "s");
		print_summary(a, &r);
	}
	rc = r.mismatches ? LOAD_EXIT_MISMATCH : 0;
	net_load_result_free(&r);
	return rc;
}

int cmd_load(int argc, char **argv)
{
	struct load_args a = { .rate = 1000, .duration = 10, .timeout = 2, .connections = 8,
			       .batch = 1 };
	struct ds_numbers numbers = { 0 };
	struct net_answers check = { 0 }, check_odd = { 0 };
	struct net_url u;
	const char *why;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (net_url_parse(a.url, &u, &why) != 0)
		return cli_usage_error("load", "bad --url '%s': %s", a.url, why);
	if (!u.loopback && !a.allow_remote)
		return cli_usage_error("load", "%s is not a loopback address; this tool stays on "
				       "the machine unless --allow-remote is given", u.host);
	rc = load_inputs(&a, &numbers, &check, &check_odd);
	if (rc == 0)
		rc = run(&a, &u, &numbers, &check, &check_odd);
	net_answers_free(&check);
	net_answers_free(&check_odd);
	ds_numbers_free(&numbers);
	return rc;
}
