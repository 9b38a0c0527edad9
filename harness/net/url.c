/*
 * url.c - parse http://HOST[:PORT][/PREFIX] with HOST a literal address or localhost.
 */
#include "url.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_loopback(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)a;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (a->ss_family == AF_INET6) {
		const struct in6_addr *in6 = &((const struct sockaddr_in6 *)a)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(in6) || (IN6_IS_ADDR_V4MAPPED(in6) &&
						     in6->s6_addr[12] == 127);
	}
	return 0;
}

/* The host part (before any ':port' or '/') into *u. 0, or -EINVAL with *why. */
static int parse_host(const char *h, size_t n, struct net_url *u, const char **why)
{
	char buf[64];

	if (n == 0) {
		*why = "no host";
		return -EINVAL;
	}
	if (n >= sizeof(buf)) {
		*why = "host is too long";
		return -EINVAL;
	}
	memcpy(buf, h, n);
	buf[n] = '\0';
	if (buf[0] == '[') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&u->addr;

		if (n < 3 || buf[n - 1] != ']') {
			*why = "an IPv6 address needs its closing ']'";
			return -EINVAL;
		}
		buf[n - 1] = '\0';
		in6->sin6_family = AF_INET6;
		u->addrlen = sizeof(*in6);
		if (inet_pton(AF_INET6, buf + 1, &in6->sin6_addr) != 1) {
			*why = "not an IPv6 address";
			return -EINVAL;
		}
		return 0;
	}
	struct sockaddr_in *in = (struct sockaddr_in *)&u->addr;

	in->sin_family = AF_INET;
	u->addrlen = sizeof(*in);
	if (strcmp(buf, "localhost") == 0) {
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return 0;
	}
	if (inet_pton(AF_INET, buf, &in->sin_addr) != 1) {
		*why = "the host must be a literal IPv4 address, [IPv6] or localhost (names are "
		       "never resolved)";
		return -EINVAL;
	}
	return 0;
}

static int parse_port(const char *s, size_t n, unsigned *port, const char **why)
{
	unsigned v = 0;

	if (n == 0 || n > 5) {
		*why = "bad port";
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			*why = "bad port";
			return -EINVAL;
		}
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535) {
		*why = "port out of range (1 to 65535)";
		return -EINVAL;
	}
	*port = v;
	return 0;
}

static int parse_prefix(const char *p, struct net_url *u, const char **why)
{
	size_t n = strlen(p);

	if (n >= sizeof(u->prefix)) {
		*why = "path is too long";
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "/-._~%", p[i])) {
			*why = "the path may hold only letters, digits and / - . _ ~ % (no query)";
			return -EINVAL;
		}
	}
	while (n > 0 && p[n - 1] == '/')
		n--;
	memcpy(u->prefix, p, n);
	u->prefix[n] = '\0';
	return 0;
}

int net_url_parse(const char *s, struct net_url *u, const char **why)
{
	struct net_url t;
	const char *host, *end, *colon = NULL;
	unsigned port = 80;

	memset(&t, 0, sizeof(t));
	if (strncmp(s, "http://", 7) != 0) {
		*why = strstr(s, "://") ? "only http:// is supported" : "the URL must start with "
		       "http://";
		return -EINVAL;
	}
	host = s + 7;
	end = host + strcspn(host, "/");
	if (memchr(host, '@', (size_t)(end - host)) || memchr(host, '?', (size_t)(end - host))) {
		*why = "no user info or query in the URL";
		return -EINVAL;
	}
	if ((size_t)(end - host) >= sizeof(t.host)) {
		*why = "host is too long";
		return -EINVAL;
	}
	for (const char *c = end; c > host; c--) {
		if (c[-1] == ']')
			break;
		if (c[-1] == ':') {
			colon = c - 1;
			break;
		}
	}
	if (parse_host(host, (size_t)((colon ? colon : end) - host), &t, why) != 0)
		return -EINVAL;
	if (colon && parse_port(colon + 1, (size_t)(end - colon - 1), &port, why) != 0)
		return -EINVAL;
	if (parse_prefix(end, &t, why) != 0)
		return -EINVAL;
	if (t.addr.ss_family == AF_INET)
		((struct sockaddr_in *)&t.addr)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&t.addr)->sin6_port = htons((uint16_t)port);
	memcpy(t.host, host, (size_t)(end - host));
	t.loopback = is_loopback(&t.addr);
	*u = t;
	return 0;
}

void net_addr_format(const struct sockaddr_storage *a, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)a;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, cap, "[%s]:%u", ip, ntohs(in6->sin6_port));
	} else {
		const struct sockaddr_in *in = (const struct sockaddr_in *)a;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		snprintf(buf, cap, "%s:%u", ip, ntohs(in->sin_port));
	}
}
