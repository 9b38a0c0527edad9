/*
 * massif.h - read valgrind massif output (massif.out.PID): the header and every snapshot's
 * time, mem_heap_B, mem_heap_extra_B and mem_stacks_B; heap trees are skipped.
 *
 * One pass over the text, O(lines), 40 bytes per snapshot. Lesson: the allocator's view over
 * time (the doubling spikes, the rehash, the plateau) is what a single peak number hides.
 */
#ifndef ROUTEBENCH_MASSIF_H
#define ROUTEBENCH_MASSIF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "load.h"

struct massif_snapshot {
	uint64_t time;     /* in the run's time_unit */
	uint64_t heap;     /* mem_heap_B: bytes the program asked for */
	uint64_t extra;    /* mem_heap_extra_B: allocator headers and alignment, as massif models */
	uint64_t stacks;   /* mem_stacks_B (0 unless --stacks=yes) */
	unsigned char kind; /* MASSIF_EMPTY, MASSIF_DETAILED or MASSIF_PEAK: its heap_tree= */
};

enum { MASSIF_EMPTY, MASSIF_DETAILED, MASSIF_PEAK };

struct massif_run {
	char cmd[1024];      /* the profiled command line (truncated) */
	char time_unit[8];   /* "i", "ms" or "B" */
	struct massif_snapshot *v;
	size_t n, cap;
	size_t peak;         /* index of the heap_tree=peak snapshot, else of the largest heap */
};

/*
 * Parse massif output from buf[0..len) (name for messages) into *out (zeroed first). 0, or -1
 * with *err filled (`name:line: what: "text"`) and *out empty. Snapshots must be numbered from 0
 * in order and carry all four values.
 */
int massif_parse(const char *buf, size_t len, const char *name, struct massif_run *out,
		 struct ds_error *err);
/* The same from a file. */
int massif_load(const char *path, struct massif_run *out, struct ds_error *err);
void massif_free(struct massif_run *r);

/*
 * Write `snapshot,time,time_frac,heap_bytes,extra_bytes,peak` rows with their header: time_frac
 * is time / the last snapshot's time (0..1, so runs of any length share an axis), peak is 1 on
 * the peak snapshot. 0 or -EIO.
 */
int massif_write_csv(const struct massif_run *r, FILE *f);

#endif
