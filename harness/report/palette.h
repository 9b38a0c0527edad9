/*
 * palette.h - one colour per implementation, from the registry's order, and the panel group
 * each belongs to, from its ops (the optimisation ladder's steps, the peers, the rest: the
 * course's baselines). Every chart reads them from DIR/palette.gp and the HTML report from
 * here, so an implementation has one colour everywhere. Cost: a walk of the registry.
 * Lesson: a colour is data; derived once, two charts cannot disagree about it.
 */
#ifndef ROUTEBENCH_REPORT_PALETTE_H
#define ROUTEBENCH_REPORT_PALETTE_H

#include <stddef.h>

enum report_group {
	REPORT_GROUP_BASE,   /* no ladder step, not a peer: the scan and the classic indexes */
	REPORT_GROUP_LADDER, /* .ladder > 0, in step order (rt_ladder) */
	REPORT_GROUP_PEER,   /* RT_F_PEER: another project's library */
	REPORT_N_GROUPS
};

/* The panel title of group g ("the optimisation ladder"). */
const char *report_group_title(enum report_group g);
/* The group of the implementation called impl; the stream strategy and unknown names: BASE. */
enum report_group report_group_of(const char *impl);
/* impl's colour as "#rrggbb": its registry place; the stream strategy black, unknown grey. */
const char *report_colour_of(const char *impl);
/* The same for a registered implementation or the stream strategy; NULL for any other name. */
const char *report_palette_colour(const char *name);

/*
 * The registered implementations in panel order (the groups in order, the ladder by step,
 * the others in registry order) into out[0..cap); how many.
 */
size_t report_palette_order(const char **out, size_t cap);

/* Write dir/palette.csv and dir/palette.gp atomically. 0, or -errno (printed). */
int report_palette_write(const char *dir);

#endif
