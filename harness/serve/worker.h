/*
 * worker.h - the one writer thread: every delta and reload, in arrival order, off the HTTP
 * threads, so a rebuild of millions of routes stalls no connection (the request that asked
 * is suspended until its job is done). A queue under a mutex; jobs are the caller's memory.
 */
#ifndef ROUTEBENCH_SERVE_WORKER_H
#define ROUTEBENCH_SERVE_WORKER_H

#include <stddef.h>

#include "carriers.h"

enum serve_job_kind { SERVE_JOB_DELTA, SERVE_JOB_RELOAD };

struct serve_job {
	enum serve_job_kind kind;
	size_t carrier;         /* 0-based */
	const char *body;       /* SERVE_JOB_DELTA: the delta, owned by the caller */
	size_t len;
	double t_received;      /* rb_now_ms() when the request was complete */
	/* Called on the worker thread when the job is done; the job is not touched after. */
	void (*done)(struct serve_job *job);
	void *arg;              /* the caller's */
	/* Results, set before done is called. */
	int rc;                 /* 0, or -errno / -1 */
	struct serve_update_result res;
	struct serve_line_error line_err; /* delta: the bad line */
	struct ds_error load_err;         /* reload: FILE:LINE */
	struct serve_job *next;
};

struct serve_worker;

/* Start the writer thread over s. 0 with *out set, or -errno. */
int serve_worker_start(struct serve_state *s, struct serve_worker **out);
/* Queue job (its kind, carrier, body, t_received and done set). -ESHUTDOWN once stopping. */
int serve_worker_submit(struct serve_worker *w, struct serve_job *job);
/* Run every queued job, then stop and join the thread, and free w. NULL is a no-op. */
void serve_worker_stop(struct serve_worker *w);

#endif
