/*
 * outfile.h - output files that appear whole or not at all.
 *
 * Output goes to a temporary file beside the target and is renamed over it only on success, so
 * a failed or interrupted run never leaves a half-written file or clobbers an old one. SIGINT,
 * SIGTERM and SIGHUP remove the temporary file before the process dies.
 */
#ifndef ROUTEBENCH_OUTFILE_H
#define ROUTEBENCH_OUTFILE_H

#include <stdio.h>

struct rb_outfile {
	FILE *f;             /* write here */
	char path[4096];     /* the final path ("" for stdout) */
	char tmp[4096];      /* the temporary path while open */
};

/* Open a temporary file beside path (path NULL or "-": stdout). 0 or -errno. */
int rb_outfile_open(struct rb_outfile *o, const char *path);
/* Flush, fsync and rename into place (stdout: flush). 0 or -errno; on error the temp is gone. */
int rb_outfile_commit(struct rb_outfile *o);
/* Close and remove the temporary file; the target is untouched. */
void rb_outfile_abort(struct rb_outfile *o);

/* mkdir -p: create path and any missing parents (mode 0777 & ~umask). 0 or -errno. */
int rb_mkdir_p(const char *path);

#endif
