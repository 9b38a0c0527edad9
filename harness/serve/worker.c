/*
 * worker.c - the writer thread: pop a job, apply it (serve_apply_delta or serve_reload, each
 * taking the update lock), report through the job's done callback. FIFO, so updates apply
 * in the order their requests completed. Cost: one thread, idle on a condition variable.
 */
#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct serve_worker {
	struct serve_state *s;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct serve_job *head, *tail;
	int stopping;
};

static void run_job(struct serve_state *s, struct serve_job *j)
{
	if (j->kind == SERVE_JOB_DELTA)
		j->rc = serve_apply_delta(s, j->carrier, j->body, j->len, j->t_received, &j->res,
					  &j->line_err);
	else
		j->rc = serve_reload(s, j->carrier, j->t_received, &j->res, &j->load_err);
	j->done(j);
}

static void *worker_main(void *arg)
{
	struct serve_worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct serve_job *j;

		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		j = w->head;
		if (!j)
			break;
		w->head = j->next;
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		run_job(w->s, j);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int serve_worker_start(struct serve_state *s, struct serve_worker **out)
{
	struct serve_worker *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return -ENOMEM;
	w->s = s;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	if (rc != 0) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return -rc;
	}
	*out = w;
	return 0;
}

int serve_worker_submit(struct serve_worker *w, struct serve_job *job)
{
	int rc = 0;

	job->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		rc = -ESHUTDOWN;
	} else {
		if (w->tail)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void serve_worker_stop(struct serve_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
