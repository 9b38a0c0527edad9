/*
 * cmdwords.h - a solver's command line, the one way `check --solver` and `bench --solver`
 * read it: split into words without a shell ('...' and "..." group, no escapes), then each
 * run's argv with {routes} (a word repeated once per carrier file), {numbers} and {out}
 * replaced. Cost: one copy of the command. Lesson: no shell means no quoting surprises and the
 * solver is the direct child, so wait4() measures it and nothing else.
 */
#ifndef ROUTEBENCH_CMDWORDS_H
#define ROUTEBENCH_CMDWORDS_H

#include <stddef.h>

#include "proc.h"

#define RB_CMD_MAX_WORDS 64

struct rb_cmd {
	char *words[RB_CMD_MAX_WORDS];
	size_t n_words;
	int to_out; /* some word has {out}: the answers are read from that file, not stdout */
	char *buf;  /* the words live here (rb_cmd_free) */
};

/*
 * Split cmd into c->words. 0, or -EINVAL with *why set ("empty command", "unterminated '",
 * "more than 64 words"), or -ENOMEM. c is freed with rb_cmd_free either way.
 */
int rb_cmd_split(const char *cmd, struct rb_cmd *c, const char **why);
void rb_cmd_free(struct rb_cmd *c);

/*
 * One run's argv into *a (initialised here): every word with {numbers} and {out} replaced,
 * a word with {routes} pushed once per routes[i]. 0, or -E2BIG when it does not fit.
 */
int rb_cmd_argv(const struct rb_cmd *c, const char *const *routes, size_t n_routes,
		const char *numbers, const char *out, struct rb_argv *a);

#endif
