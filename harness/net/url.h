/*
 * url.h - the one kind of URL the load generator accepts: http:// to a literal IPv4 or
 * bracketed IPv6 address, or localhost, with an optional port and path prefix.
 *
 * No name is ever resolved (no DNS, no /etc/hosts), so what the URL says is where the load
 * goes; the caller refuses a non-loopback address unless asked, so a typo cannot aim a load
 * test off the machine.
 */
#ifndef ROUTEBENCH_URL_H
#define ROUTEBENCH_URL_H

#include <sys/socket.h>

struct net_url {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char host[80];     /* host[:port] as written: the Host header */
	char prefix[256];  /* path prefix without a trailing '/': "" or "/api" */
	int loopback;      /* 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104 */
};

/* Parse s into *u. 0, or -EINVAL with *why set to a static reason (*u untouched). */
int net_url_parse(const char *s, struct net_url *u, const char **why);

/* Write the address as "127.0.0.1:8080" or "[::1]:8080" into buf. */
void net_addr_format(const struct sockaddr_storage *a, char *buf, size_t cap);

#endif
