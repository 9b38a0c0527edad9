/*
 * cmdwords.c - a solver's command split into words and expanded per run (cmdwords.h), shared
 * by `check --solver` and `bench --solver`. Cost: a copy of the command, one pass per run.
 * Lesson: one expander means the grader and the benchmark run the same command line.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdwords.h"

int rb_cmd_split(const char *cmd, struct rb_cmd *c, const char **why)
{
	char *out;
	const char *p = cmd;

	memset(c, 0, sizeof(*c));
	out = c->buf = malloc(strlen(cmd) + 1);
	if (!out)
		return -ENOMEM;
	while (*p) {
		char quote = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (c->n_words == RB_CMD_MAX_WORDS) {
			*why = "more than 64 words";
			return -EINVAL;
		}
		c->words[c->n_words++] = out;
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			if (!quote && (*p == '\'' || *p == '"'))
				quote = *p;
			else if (quote && *p == quote)
				quote = 0;
			else
				*out++ = *p;
		}
		if (quote) {
			*why = quote == '\'' ? "unterminated '" : "unterminated \"";
			return -EINVAL;
		}
		*out++ = '\0';
		c->to_out |= strstr(c->words[c->n_words - 1], "{out}") != NULL;
	}
	if (c->n_words == 0) {
		*why = "empty command";
		return -EINVAL;
	}
	return 0;
}

void rb_cmd_free(struct rb_cmd *c)
{
	free(c->buf);
	c->buf = NULL;
	c->n_words = 0;
}

/* word with every {numbers}, {out} and {routes} (route; NULL: none) replaced, pushed. */
static int expand(struct rb_argv *a, const char *word, const char *route, const char *numbers,
		  const char *out)
{
	static const char *const keys[] = { "{routes}", "{numbers}", "{out}" };
	const char *subs[] = { route ? route : "", numbers ? numbers : "", out ? out : "" };
	char buf[PATH_MAX * 2];
	size_t n = 0;

	while (*word) {
		size_t k = 0, klen = 0, slen;
		const char *sub;

		while (k < 3 && strncmp(word, keys[k], klen = strlen(keys[k])) != 0)
			k++;
		sub = k < 3 ? subs[k] : word;
		slen = k < 3 ? strlen(sub) : 1;
		klen = k < 3 ? klen : 1;
		if (n + slen >= sizeof(buf))
			return -E2BIG;
		memcpy(buf + n, sub, slen);
		n += slen;
		word += klen;
	}
	buf[n] = '\0';
	return rb_argv_pushf(a, "%s", buf);
}

int rb_cmd_argv(const struct rb_cmd *c, const char *const *routes, size_t n_routes,
		const char *numbers, const char *out, struct rb_argv *a)
{
	int rc = 0;

	rb_argv_init(a);
	for (size_t w = 0; w < c->n_words && rc == 0; w++) {
		if (!strstr(c->words[w], "{routes}")) {
			rc = expand(a, c->words[w], NULL, numbers, out);
			continue;
		}
		for (size_t k = 0; k < n_routes && rc == 0; k++)
			rc = expand(a, c->words[w], routes[k], numbers, out);
	}
	return rc;
}
