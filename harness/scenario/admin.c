/*
 * admin.c - one HTTP/1.1 request over a fresh loopback TCP connection, answer read to EOF
 * (the request says Connection: close), plus two tiny lookups in the flat JSON the server
 * answers with. O(request + answer); a timeout bounds every read and write.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "admin.h"

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int connect_to(int port, double timeout_s)
{
	struct sockaddr_in sa = { 0 };
	struct timeval tv = { (time_t)timeout_s, (suseconds_t)((timeout_s - (time_t)timeout_s) *
							      1e6) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

/* Read to EOF into a growing buffer; *out must be freed. 0 or -errno. */
static int read_all(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {
			char *v = realloc(buf, cap * 2);

			if (!v) {
				free(buf);
				return -ENOMEM;
			}
			buf = v;
			cap *= 2;
		}
		r = recv(fd, buf + n, cap - 1 - n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int rc = errno == EAGAIN ? -ETIMEDOUT : -errno;

			free(buf);
			return rc;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int sc_http(const struct sc_http_req *r, int *status, char *body, size_t cap)
{
	char head[1024], *ans = NULL, *sep;
	size_t len = 0;
	int fd = connect_to(r->port, r->timeout_s), rc, code;
	int n;

	if (fd < 0)
		return fd;
	n = snprintf(head, sizeof(head), "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
		     "Connection: close\r\nContent-Length: %zu\r\n%s%s%s%s%s%s\r\n", r->method,
		     r->target, r->port, r->body ? r->body_len : 0, r->token ? "Authorization: "
		     "Bearer " : "", r->token ? r->token : "", r->token ? "\r\n" : "",
		     r->accept ? "Accept: " : "", r->accept ? r->accept : "",
		     r->accept ? "\r\n" : "");
	rc = n < 0 || (size_t)n >= sizeof(head) ? -EINVAL : send_all(fd, head, (size_t)n);
	if (rc == 0 && r->body && r->body_len)
		rc = send_all(fd, r->body, r->body_len);
	if (rc == 0)
		rc = read_all(fd, &ans, &len);
	close(fd);
	if (rc != 0)
		return rc;
	sep = strstr(ans, "\r\n\r\n");
	if (strncmp(ans, "HTTP/1.", 7) != 0 || len < 12 || !sep ||
	    sscanf(ans + 9, "%3d", &code) != 1) {
		free(ans);
		return -EPROTO;
	}
	snprintf(body, cap, "%s", sep + 4);
	*status = code;
	free(ans);
	return 0;
}

int sc_json_num(const char *json, const char *key, double *out)
{
	char pat[64];
	const char *p;
	char *end;
	double v;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(json, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	while (*p == ' ' || *p == ':')
		p++;
	v = strtod(p, &end);
	if (end == p)
		return -1;
	*out = v;
	return 0;
}

int sc_json_version(const char *json, unsigned i, double *out)
{
	const char *p = strstr(json, "\"versions\"");
	char *end;
	double v;

	if (!p || !(p = strchr(p, '[')))
		return -1;
	p++;
	for (unsigned k = 0; k < i; k++) {
		p = strchr(p, ',');
		if (!p)
			return -1;
		p++;
	}
	v = strtod(p, &end);
	if (end == p)
		return -1;
	*out = v;
	return 0;
}
