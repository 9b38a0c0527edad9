/*
 * fig.c - the report's figures as text (fig.h). Pure formatting: every function writes into
 * the struct it returns, so two figures of one sentence can never share a buffer.
 */
#include "fig.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* s with its leading run of digits grouped by thousands: "4237.0" -> "4,237.0". */
static struct fig grouped(const char *s)
{
	struct fig out;
	size_t lead = 0, o = 0, i = 0, cap = sizeof(out.s);

	if (*s == '-' || *s == '+')
		out.s[o++] = s[i++];
	while (s[i + lead] >= '0' && s[i + lead] <= '9')
		lead++;
	for (size_t k = 0; k < lead && o + 2 < cap; k++) {
		out.s[o++] = s[i + k];
		if ((lead - k - 1) % 3 == 0 && k + 1 < lead)
			out.s[o++] = ',';
	}
	snprintf(out.s + o, cap - o, "%s", s + i + lead);
	return out;
}

struct fig fig_count(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return grouped(buf);
}

struct fig fig_fix(double v, int decimals)
{
	char buf[64];

	if (!isfinite(v))
		return (struct fig){ "-" };
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return grouped(buf);
}

struct fig fig_time(double s)
{
	static const char *const units[] = { "s", "ms", "µs", "ns" };
	struct fig out;
	int u = 0;

	if (!isfinite(s))
		return (struct fig){ "-" };
	while (u < 3 && fabs(s) < 1 && s != 0) {
		s *= 1000;
		u++;
	}
	snprintf(out.s, sizeof(out.s),
		 fabs(s) >= 100 ? "%.0f %s" : fabs(s) >= 10 ? "%.1f %s" : "%.2f %s", s, units[u]);
	return out;
}

struct fig fig_ns(double ns)
{
	struct fig out = fig_fix(ns, 1);
	size_t len = strlen(out.s);

	if (isfinite(ns))
		snprintf(out.s + len, sizeof(out.s) - len, " ns");
	return out;
}

struct fig fig_ratio(double r)
{
	return fig_fix(r, r < 10 ? 2 : r < 100 ? 1 : 0);
}

struct fig fig_gib(uint64_t b)
{
	struct fig out;

	snprintf(out.s, sizeof(out.s), "%.1f GiB", (double)b / (1024.0 * 1024 * 1024));
	return out;
}
