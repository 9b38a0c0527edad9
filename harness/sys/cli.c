/*
 * cli.c - the exact-match option parser, its value checkers and the usage errors (cli.h).
 * Matching is a linear scan of the table per argument: commands have a few dozen options.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

#define LIST_MAX 1024 /* the longest list value */

static int usage_error(const char *prog, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return CLI_USAGE;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char prog[64];
	va_list ap;
	int rc;

	snprintf(prog, sizeof(prog), "routebench %s", cmd);
	va_start(ap, fmt);
	rc = usage_error(prog, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_usage_error_prog(const char *prog, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = usage_error(prog, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_bad(const struct cli_parser *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", p->prog, p->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", p->prog);
	return CLI_USAGE;
}

void cli_init(struct cli_parser *p, const char *prog, int argc, char **argv,
	      const struct cli_option *opts)
{
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->argc = argc;
	p->argv = argv;
	p->opts = opts;
	p->i = 1;
}

/* The only option whose name starts with the len bytes of s, for "did you mean"; or NULL. */
static const char *only_completion(const struct cli_parser *p, const char *s, size_t len)
{
	const char *found = NULL;

	for (const struct cli_option *o = p->opts; o->name; o++) {
		if (strlen(o->name) < 2 || strncmp(o->name, s, len) != 0)
			continue;
		if (found)
			return NULL;
		found = o->name;
	}
	return found;
}

/* "--name" or "--name=value" (body: after the dashes): the matching option, or NULL. */
static const struct cli_option *find_long(const struct cli_parser *p, const char *body,
					  size_t len)
{
	for (const struct cli_option *o = p->opts; o->name; o++) {
		size_t n = strlen(o->name);

		if (n < 2)
			continue;
		if (o->arg == CLI_PASS ? strncmp(body, o->name, n) == 0
				       : n == len && memcmp(body, o->name, n) == 0)
			return o;
	}
	return NULL;
}

static const struct cli_option *find_short(const struct cli_parser *p, char c)
{
	for (const struct cli_option *o = p->opts; o->name; o++)
		if (o->name[0] == c && o->name[1] == '\0')
			return o;
	return NULL;
}

/* The value of an option that takes one: after '=' (inline), or the next argument. */
static int take_value(struct cli_parser *p, const struct cli_option *o, const char *inline_v)
{
	if (o->arg == CLI_NONE && inline_v) {
		cli_usage_error_prog(p->prog, "%s takes no value", p->name);
		return CLI_FAIL;
	}
	if (o->arg != CLI_NONE && !inline_v && p->i >= p->argc) {
		cli_usage_error_prog(p->prog, "%s needs a value", p->name);
		return CLI_FAIL;
	}
	if (o->arg == CLI_NONE)
		p->arg = NULL;
	else
		p->arg = inline_v ? inline_v : p->argv[p->i++];
	return o->id;
}

static int next_long(struct cli_parser *p, const char *a)
{
	const char *body = a + 2, *eq = strchr(body, '=');
	size_t len = eq ? (size_t)(eq - body) : strlen(body);
	const struct cli_option *o = find_long(p, body, len);
	const char *guess;

	snprintf(p->name, sizeof(p->name), "--%.*s", (int)len, body);
	if (o && o->arg == CLI_PASS) {
		p->arg = a;
		return o->id;
	}
	if (o)
		return take_value(p, o, eq ? eq + 1 : NULL);
	guess = only_completion(p, body, len);
	if (guess)
		cli_usage_error_prog(p->prog, "unknown option '%s' (did you mean '--%s'?)", p->name,
				     guess);
	else
		cli_usage_error_prog(p->prog, "unknown option '%s'", p->name);
	return CLI_FAIL;
}

int cli_next(struct cli_parser *p)
{
	const char *a;
	const struct cli_option *o;

	if (p->i >= p->argc)
		return CLI_DONE;
	a = p->argv[p->i++];
	if (p->operands_only || a[0] != '-' || a[1] == '\0') {
		p->arg = a;
		return CLI_OPERAND;
	}
	if (strcmp(a, "--") == 0) {
		p->operands_only = 1;
		return cli_next(p);
	}
	if (a[1] == '-')
		return next_long(p, a);
	snprintf(p->name, sizeof(p->name), "-%c", a[1]);
	o = find_short(p, a[1]);
	if (!o) {
		cli_usage_error_prog(p->prog, "unknown option '%s'", a);
		return CLI_FAIL;
	}
	return take_value(p, o, a[2] ? a + 2 : NULL);
}

/* The id of the option named "help" in p's table, or 0 (no option has id 0). */
static int help_id(const struct cli_parser *p)
{
	for (const struct cli_option *o = p->opts; o->name; o++)
		if (strcmp(o->name, "help") == 0)
			return o->id;
	return 0;
}

int cli_parse_all(struct cli_parser *p, const char *help, cli_option_fn option, void *ctx)
{
	int help_opt = help ? help_id(p) : 0, id, rc = 0;

	while (rc == 0 && (id = cli_next(p)) != CLI_DONE) {
		if (id == CLI_FAIL)
			return CLI_USAGE;
		if (id == CLI_OPERAND && !p->operands)
			return cli_usage_error_prog(p->prog, "unexpected argument '%s'", p->arg);
		if (help_opt && id == help_opt) {
			fputs(help, stdout);
			return CLI_HELP;
		}
		rc = option(p, id, ctx);
	}
	return rc;
}

int cli_parse_u64(const char *s, int binary, uint64_t *out)
{
	char *end;
	uint64_t mult = 1, base = binary ? 1024 : 1000;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = base; end++; break;
	case 'm': case 'M': mult = base * base; end++; break;
	case 'g': case 'G': mult = base * base * base; end++; break;
	default: break;
	}
	if (*end != '\0' || (v && mult > UINT64_MAX / v))
		return -1;
	*out = v * mult;
	return 0;
}

int cli_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end != '\0' || !(v >= 0))
		return -1;
	*out = v;
	return 0;
}

const char *cli_format_count(uint64_t v, int binary, char buf[24])
{
	static const char suffix[] = "KMG";
	uint64_t base = binary ? 1024 : 1000, div = 1;
	int s = -1;

	while (s < 2 && v >= 10 * base && v % (div * base) == 0) {
		div *= base;
		s++;
	}
	if (s < 0)
		snprintf(buf, 24, "%llu", (unsigned long long)v);
	else
		snprintf(buf, 24, "%llu%c", (unsigned long long)(v / div), suffix[s]);
	return buf;
}

/* " from LO to HI", " of at least LO" when there is no upper bound, or "" for any. */
static const char *range(uint64_t lo, uint64_t hi, int binary, char buf[64])
{
	char a[24], b[24];

	if (lo == 0 && hi == UINT64_MAX)
		buf[0] = '\0';
	else if (hi == UINT64_MAX)
		snprintf(buf, 64, " of at least %s", cli_format_count(lo, binary, a));
	else
		snprintf(buf, 64, " from %s to %s", cli_format_count(lo, binary, a),
			 cli_format_count(hi, binary, b));
	return buf;
}

/* One count of a list (or the whole value): s within [lo, hi]. 0 or CLI_USAGE. */
static int count_in(const struct cli_parser *p, const char *s, int binary, uint64_t lo,
		    uint64_t hi, uint64_t *out)
{
	char r[64];
	uint64_t v;

	if (cli_parse_u64(s, binary, &v) != 0 || v < lo || v > hi)
		return cli_bad(p, "want a %s%s%s, not '%s'", binary ? "size" : "count",
			       range(lo, hi, binary, r), binary ? " (K, M, G: powers of 1024)" : "",
			       s);
	*out = v;
	return 0;
}

int cli_count(const struct cli_parser *p, uint64_t lo, uint64_t hi, uint64_t *out)
{
	return count_in(p, p->arg, 0, lo, hi, out);
}

int cli_bytes(const struct cli_parser *p, uint64_t lo, uint64_t hi, uint64_t *out)
{
	return count_in(p, p->arg, 1, lo, hi, out);
}

int cli_real(const struct cli_parser *p, double lo, double hi, double *out)
{
	double v;

	if (cli_parse_double(p->arg, &v) != 0 || !isfinite(v) || v < lo || v > hi) {
		if (hi == HUGE_VAL)
			return cli_bad(p, "want a number of at least %g, not '%s'", lo, p->arg);
		return cli_bad(p, "want a number from %g to %g, not '%s'", lo, hi, p->arg);
	}
	*out = v;
	return 0;
}

int cli_choice(const struct cli_parser *p, const char *const *names, size_t n, int *out)
{
	char want[256] = "";
	size_t used = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(p->arg, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	for (size_t i = 0; i < n && used < sizeof(want); i++)
		used += (size_t)snprintf(want + used, sizeof(want) - used, "%s%s",
					 i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	return cli_bad(p, "want %s, not '%s'", want, p->arg);
}

int cli_list(const struct cli_parser *p, char *buf, size_t cap, const char **items, size_t max,
	     size_t *n)
{
	size_t len = strlen(p->arg), k = 0;
	char *s = buf;

	if (len >= cap)
		return cli_bad(p, "list longer than %zu bytes", cap - 1);
	if (len == 0)
		return cli_bad(p, "empty list");
	memcpy(buf, p->arg, len + 1);
	for (;;) {
		char *comma = strchr(s, ',');

		if (comma)
			*comma = '\0';
		if (!*s)
			return cli_bad(p, "empty item in '%s'", p->arg);
		if (k == max)
			return cli_bad(p, "at most %zu items, not more in '%s'", max, p->arg);
		items[k++] = s;
		if (!comma)
			break;
		s = comma + 1;
	}
	*n = k;
	return 0;
}

int cli_words(const struct cli_parser *p, const char *const *names, size_t n, unsigned *set)
{
	const char *items[16];
	char buf[64];
	size_t k;
	unsigned bits = 0;
	int rc = cli_list(p, buf, sizeof(buf), items, 2 * n < 16 ? 2 * n : 16, &k), w;

	for (size_t i = 0; rc == 0 && i < k; i++) {
		struct cli_parser item = *p;

		item.arg = items[i];
		rc = cli_choice(&item, names, n, &w);
		bits |= rc == 0 ? 1u << w : 0;
	}
	if (rc == 0)
		*set = bits;
	return rc;
}

int cli_counts(const struct cli_parser *p, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
	       size_t *n)
{
	char buf[LIST_MAX];
	const char *items[256];
	size_t k;
	int rc = cli_list(p, buf, sizeof(buf), items, max < 256 ? max : 256, &k);

	for (size_t i = 0; rc == 0 && i < k; i++)
		rc = count_in(p, items[i], 0, lo, hi, &out[i]);
	if (rc == 0)
		*n = k;
	return rc;
}

/* The groups an --impls item may name instead of one implementation: a property of the ops. */
static const struct impl_group {
	const char *name;
	unsigned flag; /* RT_F_* bits; 0 with ladder: every ladder step; 0 alone: all */
	int ladder;
} impl_groups[] = {
	{ "all", 0, 0 },
	{ "ladder", 0, 1 },
	{ "peers", RT_F_PEER, 0 },
	{ "node-heavy", RT_F_NODE_HEAVY, 0 },
};

static int in_group(const struct impl_group *g, const struct route_table_ops *ops)
{
	if (g->ladder)
		return ops->ladder > 0;
	return g->flag == 0 || (ops->flags & g->flag);
}

/* Append ops to out[0..*n) unless it is there already. 0, or -1 when out is full. */
static int impls_add(const struct route_table_ops *ops, const struct route_table_ops **out,
		     size_t max, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == ops)
			return 0;
	if (*n >= max)
		return -1;
	out[(*n)++] = ops;
	return 0;
}

/* Add the implementations item names (one, or a group) to out. 0 or CLI_USAGE. */
static int impls_item(const struct cli_parser *p, const char *item,
		      const struct route_table_ops **out, size_t max, size_t *n)
{
	const struct route_table_ops *one = rt_find(item);

	if (one)
		return impls_add(one, out, max, n) == 0
			       ? 0 : cli_bad(p, "more than %zu implementations", max);
	for (size_t g = 0; g < sizeof(impl_groups) / sizeof(impl_groups[0]); g++) {
		if (strcmp(item, impl_groups[g].name) != 0)
			continue;
		for (size_t i = 0; i < rt_registry_count; i++)
			if (in_group(&impl_groups[g], rt_registry[i]) &&
			    impls_add(rt_registry[i], out, max, n) != 0)
				return cli_bad(p, "%s is more than %zu implementations", item, max);
		return 0;
	}
	return cli_bad(p, "no implementation named '%s' (see 'routebench list'; or a group: "
			  "all, ladder, peers, node-heavy)", item);
}

int cli_impls(const struct cli_parser *p, const struct route_table_ops **out, size_t max,
	      size_t *n)
{
	char buf[LIST_MAX];
	const char *items[256];
	size_t k = 0, got = 0;
	int rc;

	rc = cli_list(p, buf, sizeof(buf), items, 256, &k);
	for (size_t i = 0; rc == 0 && i < k; i++)
		rc = impls_item(p, items[i], out, max, &got);
	if (rc == 0)
		*n = got;
	return rc;
}

int cli_list_has(const char *list, const char *item)
{
	size_t len = strlen(item);

	for (const char *s = list; s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
		if (strncmp(s, item, len) == 0 && (s[len] == ',' || s[len] == '\0'))
			return 1;
	return 0;
}
