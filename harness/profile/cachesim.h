/*
 * cachesim.h - cache misses per lookup, simulated: the callgrind output parser (the events and
 * their totals, the simulated caches) and the child that runs one table's lookup pass between
 * callgrind client requests, warm-up outside collection.
 *
 * The parser is one pass over a buffer, O(bytes), never reading past it. Lesson: a simulator
 * counts the same misses every run, where a timer gives a different figure every time.
 */
#ifndef ROUTEBENCH_CACHESIM_H
#define ROUTEBENCH_CACHESIM_H

#include <stddef.h>
#include <stdint.h>

#include "load.h"
#include "membench.h"
#include "route_table.h"

/* Callgrind's events with --cache-sim=yes, in the order it writes them. */
enum {
	CS_IR,   /* instructions executed */
	CS_DR,   /* data reads */
	CS_DW,   /* data writes */
	CS_I1MR, /* L1 instruction misses */
	CS_D1MR, /* L1 data read misses */
	CS_D1MW, /* L1 data write misses */
	CS_ILMR, /* last-level instruction misses */
	CS_DLMR, /* last-level data read misses */
	CS_DLMW, /* last-level data write misses */
	CS_N_EVENTS
};

struct cachesim_counts {
	uint64_t ev[CS_N_EVENTS];  /* 0 for an event the file does not name */
	unsigned have;             /* bit e set: the file names event e */
	int from_summary;          /* the figures are the summary: line's (no totals: line) */
	unsigned parts;            /* summary (or totals) lines added up */
	/* The simulated caches, from its desc: lines (bytes 0: not stated). */
	struct membench_cache i1, d1, ll;
};

/* The event's name as callgrind writes it ("Ir", "D1mr", ...). */
const char *cachesim_event_name(int e);

/*
 * Parse callgrind output from buf[0..len) (name for messages) into *out: the `events:` line's
 * names, the `totals:` lines' figures (added up over parts; the `summary:` lines' where there
 * is no totals: with --collect-atstart=no callgrind 3.19 writes `summary: 0` and the collected
 * events only in totals:), and the `desc: I1/D1/LL cache:` lines. Cost lines are skipped. 0, or
 * -1 with
 * *err filled (`name:line: what: "text"`) and *out untouched: no events line, a figure line
 * before it or with more figures than events, a figure that is not a decimal count, events
 * that change between parts, or no summary/totals at all.
 */
int cachesim_parse(const char *buf, size_t len, const char *name, struct cachesim_counts *out,
		   struct ds_error *err);
/* The same from a file (read whole; at most 1 GiB). */
int cachesim_load(const char *path, struct cachesim_counts *out, struct ds_error *err);

/* libFuzzer entry: parse data[0..size); never crashes, always returns 0. */
int cachesim_fuzz_parse(const uint8_t *data, size_t size);

/* What the child measured natively, besides the counts callgrind collects. */
struct cachesim_child_out {
	uint64_t lookups;       /* in the collected pass */
	uint64_t answers;       /* a hash of the collected pass's answers, in order */
	uint64_t struct_bytes;  /* the table's own accounting (rt_stats) */
	size_t n_routes;
};

/* Whether this build has <valgrind/callgrind.h>'s client requests (else the build would be
 * simulated too). */
int cachesim_have_client_requests(void);

/*
 * The child's work: load the routes at routes_path and build ops's table (instrumentation
 * off: callgrind runs it at its plain speed), load the numbers (the first limit of them when
 * limit is not 0), then start instrumentation,
 * one warm-up pass over every number (cachesim_warm_pass, not collected), one collected pass
 * (cachesim_collected_pass: run callgrind with --collect-atstart=no
 * --toggle-collect=cachesim_collected_pass), stop. 0 with *out set, or -errno (a load failing
 * is -EINVAL with *err filled; err->what is "" otherwise; -EPROTO: the passes' answers differ).
 */
int cachesim_child_run(const struct route_table_ops *ops, const char *routes_path,
		       const char *numbers_path, size_t limit, struct cachesim_child_out *out,
		       struct ds_error *err);

/* The lookup loop: every number of q[0..n) looked up in t, the answers hashed. Not inlined. */
uint64_t cachesim_lookup_pass(const struct route_table *t, const struct ds_number *q, size_t n);
/* The same pass inside a function of its own: the warm-up's, and the one callgrind collects. */
uint64_t cachesim_warm_pass(const struct route_table *t, const struct ds_number *q, size_t n);
uint64_t cachesim_collected_pass(const struct route_table *t, const struct ds_number *q,
				 size_t n);

#endif
