/*
 * outfile.c - write to a temporary file, rename into place on success.
 *
 * rename(2) within one directory is atomic, so readers see the old file or the whole new one.
 * The process's signal handler (signals.c) removes the temporary file of the one open output if
 * the process dies of a signal.
 * rb_mkdir_p makes the folders such files go into.
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signals.h"

int rb_outfile_open(struct rb_outfile *o, const char *path)
{
	mode_t mask;
	int fd, n;

	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	n = snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(o->tmp))
		return -ENAMETOOLONG;
	snprintf(o->path, sizeof(o->path), "%s", path);
	rb_signals_install();
	fd = mkstemp(o->tmp);
	if (fd < 0)
		return -errno;
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;

		close(fd);
		unlink(o->tmp);
		return -e;
	}
	rb_signals_set_tmp(o->tmp);
	return 0;
}

int rb_outfile_commit(struct rb_outfile *o)
{
	int rc = 0;

	errno = 0;
	if (!o->path[0])
		return fflush(o->f) == 0 && !ferror(o->f) ? 0 : -EIO;
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
		rc = errno ? -errno : -EIO;
	if (fclose(o->f) != 0 && rc == 0)
		rc = -errno;
	o->f = NULL;
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(o->tmp);
	rb_signals_set_tmp(NULL);
	return rc;
}

void rb_outfile_abort(struct rb_outfile *o)
{
	if (!o->path[0] || !o->f)
		return;
	fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
	rb_signals_set_tmp(NULL);
}

int rb_mkdir_p(const char *path)
{
	char p[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, path, len + 1);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, 0777) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}
