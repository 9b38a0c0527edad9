/*
 * case.c - the grader's cases: the hand-made conformance cases, the random ones, and how a
 * case is printed for a student to paste into a test.
 *
 * Random cases are drawn to make the rules matter: a small digit alphabet so prefixes nest
 * and collide, routes extended from earlier ones (of any carrier), duplicates with another
 * cost, the catch-all now and then, costs with 0 to 6 decimals, numbers that extend a route.
 * Cost: O(routes x 15) per case, nothing allocated.
 */
#include <stdio.h>
#include <string.h>

#include "grade.h"
#include "rng.h"

#define RANDOM_MAX_ROUTES 40 /* per carrier */
#define RANDOM_MAX_NUMBERS 24

/* A conformance case as text: route lines per carrier (NULL ends the list, "" is a carrier
 * with no routes), then number lines. */
struct conformance_spec {
	const char *name;
	const char *carriers[4];
	const char *numbers;
};

static const struct conformance_spec conformance[] = {
	{ "the README example",
	  { "+1512,0.04\n+1415,0.02\n+1415234,0.03\n+1415246,0.01\n" },
	  "+15124156620\n+14152345678\n+19876543210\n" },
	{ "nested prefixes: the longest wins, even when it costs more",
	  { "+1,0.10\n+14,0.90\n+141,0.05\n+1415,0.60\n+14152,0.02\n" },
	  "+1\n+14\n+149\n+1419\n+141599\n+14152999\n+2\n" },
	{ "a route equal to the number",
	  { "+14155550123,0.07\n+1415,0.02\n" },
	  "+14155550123\n+1415555012\n+141555501234\n" },
	{ "numbers shorter than every prefix",
	  { "+14155,0.05\n+44207,0.03\n" },
	  "+1\n+14\n+1415\n+4420\n" },
	{ "the catch-all route +",
	  { "+,0.50\n+44,0.20\n" },
	  "+1\n+4420\n+9\n+4\n" },
	{ "a prefix listed twice keeps its lowest cost",
	  { "+1415,0.09\n+1415,0.01\n+1415,0.05\n+,2\n+,1.5\n+44,0.30\n+44,0.30\n" },
	  "+14151\n+9\n+44\n+1415\n" },
	{ "15-digit keys and the largest cost",
	  { "+123456789012345,0.15\n+12345678901234,0.14\n"
	    "+999999999999999,999999999999.999999\n" },
	  "+123456789012345\n+123456789012346\n+999999999999999\n+99999999999999\n" },
	{ "an empty table", { "" }, "+1\n+14152345678\n" },
	{ "several carriers: the cheapest of each carrier's longest match",
	  { "+1,0.10\n+1415,0.08\n", "+14,0.05\n+141523,0.09\n", "+2,0.01\n+1,0.10\n" },
	  "+14152\n+141523\n+2\n+3\n+1\n" },
};

size_t grade_conformance_count(void)
{
	return sizeof(conformance) / sizeof(conformance[0]);
}

/* Append the route or number lines of text to c (constant, valid data). */
static void add_lines(struct grade_case *c, const char *text, int carrier)
{
	while (*text) {
		const char *end = strchr(text, '\n'), *comma = strchr(text, ',');
		size_t len = (size_t)(comma && comma < end ? comma : end) - (size_t)text - 1;
		const char *why;

		if (carrier < 0) {
			struct ds_number *n = &c->numbers[c->n_numbers++];

			n->len = (uint8_t)len;
			memcpy(n->digits, text + 1, len);
		} else {
			struct grade_route *r = &c->routes[c->n_routes++];

			r->carrier = (uint8_t)carrier;
			r->r.len = (uint8_t)len;
			memcpy(r->r.digits, text + 1, len);
			ds_parse_cost(comma + 1, (size_t)(end - comma - 1), &r->r.cost, &why);
		}
		text = end + 1;
	}
}

void grade_conformance_case(size_t i, struct grade_case *out)
{
	const struct conformance_spec *spec = &conformance[i];

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", spec->name);
	for (size_t k = 0; k < 4 && spec->carriers[k]; k++) {
		add_lines(out, spec->carriers[k], (int)k);
		out->n_carriers = k + 1;
	}
	add_lines(out, spec->numbers, -1);
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return rb_splitmix64(s) % n;
}

/* Costs as people write them: cents mostly, then tenths of a cent, whole units, micro-units,
 * zero and, rarely, the largest kind. */
static uint64_t random_cost(uint64_t *s)
{
	switch (below(s, 12)) {
	case 0: return 0;
	case 1: return below(s, RT_COST_MAX + 1);
	case 2: return below(s, 1000000);
	case 3: return below(s, 10) * RT_COST_SCALE;
	case 4: case 5: return below(s, 1000) * 1000;
	default: return (1 + below(s, 120)) * 10000;
	}
}

static void extend(uint64_t *s, char *digits, uint8_t *len, unsigned to, const char *alphabet)
{
	size_t a = strlen(alphabet);

	while (*len < to && *len < RT_MAX_DIGITS)
		digits[(*len)++] = alphabet[below(s, a)];
}

/* One more route for carrier k of c, drawn against the routes so far. */
static void random_route(uint64_t *s, struct grade_case *c, unsigned k, const char *alphabet)
{
	struct grade_route *r = &c->routes[c->n_routes];
	unsigned kind = (unsigned)below(s, 20);

	memset(r, 0, sizeof(*r));
	r->carrier = (uint8_t)k;
	r->r.cost = random_cost(s);
	if (kind == 0)
		goto done; /* the catch-all */
	if (c->n_routes > 0 && kind <= 10) {
		const struct ds_route *from = &c->routes[below(s, c->n_routes)].r;

		r->r.len = from->len;
		memcpy(r->r.digits, from->digits, from->len);
		if (kind > 3) /* else: a duplicate of that prefix, at another cost */
			extend(s, r->r.digits, &r->r.len, from->len + 1 + (unsigned)below(s, 4),
			       alphabet);
		goto done;
	}
	extend(s, r->r.digits, &r->r.len,
	       1 + (unsigned)(below(s, 8) ? below(s, 6) : below(s, RT_MAX_DIGITS)), alphabet);
done:
	c->n_routes++;
}

/* One more number: mostly a route extended (or cut short), else random digits. */
static void random_number(uint64_t *s, struct grade_case *c, const char *alphabet)
{
	struct ds_number *n = &c->numbers[c->n_numbers++];
	unsigned kind = (unsigned)below(s, 8);

	n->len = 0;
	if (c->n_routes > 0 && kind < 6) {
		const struct ds_route *from = &c->routes[below(s, c->n_routes)].r;

		memcpy(n->digits, from->digits, from->len);
		n->len = from->len;
		if (kind == 0 && n->len > 1)
			n->len = (uint8_t)(1 + below(s, n->len));
		else if (kind > 1)
			extend(s, n->digits, &n->len, n->len + (unsigned)below(s, 7), alphabet);
	}
	if (n->len == 0)
		extend(s, n->digits, &n->len, 1 + (unsigned)below(s, RT_MAX_DIGITS), alphabet);
}

void grade_random_case(uint64_t seed, uint64_t index, struct grade_case *out)
{
	static const char *const alphabets[] = { "12", "123", "0123456789", "1" };
	uint64_t s = seed * 0x2545f4914f6cdd1dULL ^ (index + 1) * 0x9e3779b97f4a7c15ULL;
	const char *alphabet;
	size_t n_numbers;

	rb_splitmix64(&s);
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "random case %llu (seed %llu)",
		 (unsigned long long)index + 1, (unsigned long long)seed);
	alphabet = alphabets[below(&s, 4) ? below(&s, 3) : 3];
	out->n_carriers = 1 + (size_t)below(&s, 3);
	for (unsigned k = 0; k < out->n_carriers; k++) {
		size_t n = below(&s, 10) ? 1 + (size_t)below(&s, RANDOM_MAX_ROUTES) : 0;

		for (size_t i = 0; i < n; i++)
			random_route(&s, out, k, alphabet);
	}
	n_numbers = 1 + (size_t)below(&s, RANDOM_MAX_NUMBERS);
	for (size_t i = 0; i < n_numbers; i++)
		random_number(&s, out, alphabet);
}

static void print_route(FILE *f, const struct ds_route *r, const char *end)
{
	char cost[32];

	ds_format_cost(r->cost, cost);
	fprintf(f, "+%.*s,%s%s", (int)r->len, r->digits, cost, end);
}

/* The subject's lines beside the expected ones, each wrong line marked. */
static void print_got(FILE *f, const struct grade_result *r)
{
	size_t n = r->got.n > r->expected.n ? r->got.n : r->expected.n;

	fprintf(f, "your answers:\n");
	for (size_t i = 0; i < n; i++) {
		const char *got = i < r->got.n ? r->got.line[i] : "(no line)";
		const char *mark = i >= r->expected.n		      ? "<- one line too many"
				   : strcmp(got, r->expected.line[i]) ? "<- wrong"
								      : "";

		if (*mark)
			fprintf(f, "%-31s %s\n", got, mark);
		else
			fprintf(f, "%s\n", got);
	}
}

void grade_print(FILE *f, const struct grade_case *c, const struct grade_result *r)
{
	for (size_t k = 0; k < c->n_carriers; k++) {
		fprintf(f, "carrier-%zu.txt:\n", k + 1);
		for (size_t i = 0; i < c->n_routes; i++)
			if (c->routes[i].carrier == k)
				print_route(f, &c->routes[i].r, "\n");
	}
	fprintf(f, "numbers.txt:\n");
	for (size_t i = 0; i < c->n_numbers; i++)
		fprintf(f, "+%.*s\n", (int)c->numbers[i].len, c->numbers[i].digits);
	fprintf(f, "expected answers:\n");
	for (size_t i = 0; i < r->expected.n; i++)
		fprintf(f, "%s\n", r->expected.line[i]);
	if (r->verdict == GRADE_WRONG)
		print_got(f, r);
	else
		fprintf(f, "your run: %s\n", r->detail);
	fprintf(f, "to recreate the files:\n");
	for (size_t k = 0; k < c->n_carriers; k++) {
		fprintf(f, "printf '");
		for (size_t i = 0; i < c->n_routes; i++)
			if (c->routes[i].carrier == k)
				print_route(f, &c->routes[i].r, "\\n");
		fprintf(f, "' > carrier-%zu.txt; ", k + 1);
	}
	fprintf(f, "printf '");
	for (size_t i = 0; i < c->n_numbers; i++)
		fprintf(f, "+%.*s\\n", (int)c->numbers[i].len, c->numbers[i].digits);
	fprintf(f, "' > numbers.txt\n");
}
