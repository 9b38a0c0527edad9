/*
 * fig.h - the report's figures as text: counts grouped by thousands, fixed decimals, times in
 * the unit that keeps three significant digits, ratios, GiB. Each function returns its text by
 * value in a struct fig, so the storage is the caller's: no static buffer shared between calls.
 * Lesson: a formatter that owns no memory can be called any number of times in one printf.
 */
#ifndef ROUTEBENCH_REPORT_FIG_H
#define ROUTEBENCH_REPORT_FIG_H

#include <stdint.h>

/*
 * A formatted figure. Use it as an argument, fig_count(n).s: the struct is a temporary of the
 * calling expression and lives until that full expression ends (C11 6.2.4p8), which covers the
 * printf-style call it is passed to. To keep the text longer, keep the struct.
 */
struct fig {
	char s[64];
};

/* 4237 -> "4,237". */
struct fig fig_count(uint64_t v);
/* v with decimals digits, its integer part grouped: "4,237.0"; "-" when not finite. */
struct fig fig_fix(double v, int decimals);
/* Seconds in the unit that keeps 3 significant digits: "2.57 ms", "33.6 µs", "322 ms". */
struct fig fig_time(double s);
/* Nanoseconds with one decimal: "30,000.0 ns"; "-" when not finite. */
struct fig fig_ns(double ns);
/* A ratio: "2.81", "12.9", "153". */
struct fig fig_ratio(double r);
/* Bytes as GiB with one decimal: "16.0 GiB". */
struct fig fig_gib(uint64_t b);

#endif
