/*
 * procfs.c - /proc/PID/status fields and /proc/PID/clear_refs. One small read or write per
 * call (a status file is about 1.5 KB), cheap enough to sample every 20 ms.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

int sc_proc_status_bytes(pid_t pid, const char *key, uint64_t *bytes)
{
	char path[64], buf[4096];
	size_t klen = strlen(key);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	buf[n] = '\0';
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');

		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *end;
			unsigned long long kb = strtoull(line + klen + 1, &end, 10);

			if (end == line + klen + 1)
				return -ENODATA;
			*bytes = (uint64_t)kb * 1024;
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

int sc_proc_reset_hwm(pid_t pid)
{
	char path[64];
	int fd, rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, "5", 1) != 1)
		rc = -errno;
	close(fd);
	return rc;
}
