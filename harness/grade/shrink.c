/*
 * shrink.c - delta debugging: from a failing case to a minimal one that fails the same way.
 *
 * ddmin (Zeller) over the numbers, then the routes: remove one of k chunks, keep the removal
 * if the run still fails, else split finer; between them, whole carriers are dropped, then
 * single digits of each prefix and number, and the costs become cents in the same order,
 * until a round changes nothing. Cost: O(n log n) runs for n items in the usual case, one
 * child process each. Lesson: forty random routes are a failure; two routes and a number
 * are a bug report.
 */
#include <string.h>

#include "grade.h"

#define SHRINK_ROUNDS 8

/* What is shrunk: the current failing case and result, and the candidate being tried. */
struct shrinker {
	struct grade_subject *s;
	enum grade_verdict verdict;
	struct grade_case c, try;
	struct grade_result r, try_r;
};

/* Run k->try; when it fails with the same verdict it becomes the current case. 1 kept,
 * 0 not, or -errno. */
static int attempt(struct shrinker *k)
{
	int rc = grade_run(k->s, &k->try, &k->try_r);

	if (rc != 0)
		return rc;
	if (k->try_r.verdict != k->verdict)
		return 0;
	k->c = k->try;
	k->r = k->try_r;
	return 1;
}

enum part { PART_NUMBERS, PART_ROUTES };

static size_t part_size(const struct grade_case *c, enum part p)
{
	return p == PART_NUMBERS ? c->n_numbers : c->n_routes;
}

/* k->try = k->c without items [lo, hi) of part p. */
static void try_without(struct shrinker *k, enum part p, size_t lo, size_t hi)
{
	struct grade_case *t = &k->try;
	size_t after = part_size(&k->c, p) - hi;

	*t = k->c;
	if (p == PART_NUMBERS) {
		memmove(t->numbers + lo, t->numbers + hi, after * sizeof(t->numbers[0]));
		t->n_numbers -= hi - lo;
	} else {
		memmove(t->routes + lo, t->routes + hi, after * sizeof(t->routes[0]));
		t->n_routes -= hi - lo;
	}
}

/* ddmin over part p, keeping at least min_keep items. 0 or -errno. */
static int ddmin(struct shrinker *k, enum part p, size_t min_keep)
{
	size_t chunks = 2;

	while (part_size(&k->c, p) > min_keep) {
		size_t n = part_size(&k->c, p), size = (n + chunks - 1) / chunks;
		int kept = 0;

		for (size_t lo = 0; lo < n && !kept; lo += size) {
			size_t hi = lo + size < n ? lo + size : n;

			if (n - (hi - lo) < min_keep)
				continue;
			try_without(k, p, lo, hi);
			kept = attempt(k);
			if (kept < 0)
				return kept;
		}
		if (kept) {
			chunks = chunks > 2 ? chunks - 1 : 2;
			continue;
		}
		if (chunks >= n)
			break;
		chunks = chunks * 2 < n ? chunks * 2 : n;
	}
	return 0;
}

/* Drop whole carriers (the last first), renumbering the ones above. 1 if one went, or
 * -errno. */
static int drop_carriers(struct shrinker *k)
{
	int changed = 0;

	for (size_t d = k->c.n_carriers; d-- > 0 && k->c.n_carriers > 1;) {
		struct grade_case *t = &k->try;
		int rc;

		*t = k->c;
		t->n_routes = 0;
		for (size_t i = 0; i < k->c.n_routes; i++) {
			if (k->c.routes[i].carrier == d)
				continue;
			t->routes[t->n_routes] = k->c.routes[i];
			if (t->routes[t->n_routes].carrier > d)
				t->routes[t->n_routes].carrier--;
			t->n_routes++;
		}
		t->n_carriers--;
		rc = attempt(k);
		if (rc < 0)
			return rc;
		changed |= rc;
	}
	return changed;
}

/* Delete single digits of digits[0..*len) in the candidate while it keeps failing, down to
 * min_len. which: the route (>= 0) or number (~index) being cut. 1 if any went, or -errno. */
static int cut_digits(struct shrinker *k, long which, unsigned min_len)
{
	int changed = 0;

	for (unsigned pos = 0;;) {
		struct grade_case *t = &k->try;
		char *digits;
		uint8_t *len;
		int rc;

		*t = k->c;
		digits = which >= 0 ? t->routes[which].r.digits : t->numbers[~which].digits;
		len = which >= 0 ? &t->routes[which].r.len : &t->numbers[~which].len;
		if (pos >= *len || *len <= min_len)
			return changed;
		memmove(digits + pos, digits + pos + 1, (size_t)(*len - pos - 1));
		(*len)--;
		rc = attempt(k);
		if (rc < 0)
			return rc;
		changed |= rc;
		pos += rc ? 0 : 1;
	}
}

/* Shorten every prefix (to one digit at least, if it had any) and every number. */
static int cut_all_digits(struct shrinker *k)
{
	int changed = 0, rc;

	for (size_t i = 0; i < k->c.n_routes; i++) {
		rc = cut_digits(k, (long)i, k->c.routes[i].r.len ? 1 : 0);
		if (rc < 0)
			return rc;
		changed |= rc;
	}
	for (size_t i = 0; i < k->c.n_numbers; i++) {
		rc = cut_digits(k, ~(long)i, 1);
		if (rc < 0)
			return rc;
		changed |= rc;
	}
	return changed;
}

/* Whether no route before j has route j's cost. */
static int first_of_cost(const struct grade_case *c, size_t j)
{
	for (size_t i = 0; i < j; i++)
		if (c->routes[i].r.cost == c->routes[j].r.cost)
			return 0;
	return 1;
}

/* Costs as cents in the same order (the k-th smallest distinct cost becomes 0.0k): all a
 * cost decides is how it compares. 1 if that still fails, 0 if not, or -errno. */
static int round_costs(struct shrinker *k)
{
	const struct grade_case *c = &k->c;
	int changed = 0;

	k->try = *c;
	for (size_t i = 0; i < c->n_routes; i++) {
		uint64_t rank = 1;

		for (size_t j = 0; j < c->n_routes; j++)
			rank += c->routes[j].r.cost < c->routes[i].r.cost && first_of_cost(c, j);
		k->try.routes[i].r.cost = rank * (RT_COST_SCALE / 100);
		changed |= k->try.routes[i].r.cost != c->routes[i].r.cost;
	}
	return changed ? attempt(k) : 0;
}

/* The numbers first: the first wrong one alone, if that still fails, else ddmin. */
static int shrink_numbers(struct shrinker *k)
{
	if (k->verdict == GRADE_WRONG && k->r.first_bad < k->c.n_numbers && k->c.n_numbers > 1) {
		int rc;

		k->try = k->c;
		k->try.numbers[0] = k->c.numbers[k->r.first_bad];
		k->try.n_numbers = 1;
		rc = attempt(k);
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
	return ddmin(k, PART_NUMBERS, 1);
}

int grade_shrink(struct grade_subject *s, struct grade_case *c, struct grade_result *r)
{
	static struct shrinker k; /* four cases and results: too big for a small stack */
	int rc, changed = 1;

	if (r->verdict == GRADE_OK || r->verdict == GRADE_TIMEOUT)
		return 0;
	k.s = s;
	k.verdict = r->verdict;
	k.c = *c;
	k.r = *r;
	rc = shrink_numbers(&k);
	for (int round = 0; rc == 0 && changed && round < SHRINK_ROUNDS; round++) {
		size_t routes = k.c.n_routes;

		changed = 0;
		if ((rc = drop_carriers(&k)) < 0)
			break;
		changed |= rc;
		if ((rc = ddmin(&k, PART_ROUTES, 0)) < 0)
			break;
		changed |= k.c.n_routes != routes;
		if ((rc = cut_all_digits(&k)) < 0)
			break;
		changed |= rc;
		if ((rc = round_costs(&k)) < 0)
			break;
		rc = 0;
	}
	*c = k.c;
	*r = k.r;
	return rc;
}
