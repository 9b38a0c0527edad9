/*
 * answers.h - the expected answers for --check: a file in the `routebench price` output
 * format (NUMBER,COST per line, the same order as the numbers), held as its lines' text.
 *
 * Answers are compared as bytes, not as parsed costs: "0" (no route) and "0.00" (a free route)
 * are different answers, and a server that formats a cost differently is wrong too.
 */
#ifndef ROUTEBENCH_ANSWERS_H
#define ROUTEBENCH_ANSWERS_H

#include <stddef.h>
#include <stdint.h>

#include "load.h"

struct net_answers {
	char *text;      /* the file's bytes */
	size_t *off;     /* answer i is text[off[i]..off[i] + len[i]), trailing blanks cut */
	uint16_t *len;
	size_t n;
};

/*
 * Load path and check that its i-th answer is for numbers->v[i] and that there are as many
 * answers as numbers (blank lines are ignored, as in every input file). 0, or -1 with *err set
 * (path:line: what) and *out untouched.
 */
int net_answers_load(const char *path, const struct ds_numbers *numbers,
		     struct net_answers *out, struct ds_error *err);

/* Free what net_answers_load made; a zeroed struct is fine. */
void net_answers_free(struct net_answers *a);

#endif
