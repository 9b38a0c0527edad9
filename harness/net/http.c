/*
 * http.c - parse HTTP/1.1 responses incrementally, write the price requests.
 *
 * Lenient where RFC 9112 allows (a bare LF ends a line, header names in any case, optional
 * whitespace), strict where a wrong guess would misframe the next response on a kept-alive
 * connection (two different Content-Lengths, a coding other than chunked, a bad chunk size).
 */
#include "http.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { CH_SIZE, CH_DATA, CH_DATA_END, CH_TRAILER };

void http_resp_init(struct http_resp *r)
{
	memset(r, 0, sizeof(*r));
	r->length = -1;
}

/* The next line of buf[*pos..len), without its CRLF or LF; NULL when no full line is there. */
static const char *next_line(const char *buf, size_t len, size_t *pos, size_t *line_len)
{
	const char *start = buf + *pos;
	const char *nl = memchr(start, '\n', len - *pos);
	size_t n;

	if (!nl)
		return NULL;
	n = (size_t)(nl - start);
	*pos += n + 1;
	if (n && start[n - 1] == '\r')
		n--;
	*line_len = n;
	return start;
}

static int has_token(const char *v, size_t n, const char *token)
{
	size_t t = strlen(token);

	for (size_t i = 0; i + t <= n; i++) {
		if (strncasecmp(v + i, token, t) == 0 && (i == 0 || v[i - 1] == ',' ||
		    v[i - 1] == ' ') && (i + t == n || v[i + t] == ',' || v[i + t] == ' '))
			return 1;
	}
	return 0;
}

/* One header line: note what framing needs. 0, or -EBADMSG. */
static int parse_header(struct http_resp *r, const char *s, size_t n, int *keep_alive)
{
	const char *colon = memchr(s, ':', n);
	size_t name, v;

	if (!colon || colon == s)
		return -EBADMSG;
	name = (size_t)(colon - s);
	v = name + 1;
	while (v < n && (s[v] == ' ' || s[v] == '\t'))
		v++;
	while (n > v && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (name == 14 && strncasecmp(s, "content-length", 14) == 0) {
		int64_t len = 0;

		if (v == n || n - v > 15)
			return -EBADMSG;
		for (size_t i = v; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -EBADMSG;
			len = len * 10 + (s[i] - '0');
		}
		if (r->length >= 0 && r->length != len)
			return -EBADMSG;
		r->length = len;
	} else if (name == 17 && strncasecmp(s, "transfer-encoding", 17) == 0) {
		if (n - v != 7 || strncasecmp(s + v, "chunked", 7) != 0)
			return -EBADMSG;
		r->chunked = 1;
	} else if (name == 10 && strncasecmp(s, "connection", 10) == 0) {
		if (has_token(s + v, n - v, "close"))
			r->close = 1;
		if (has_token(s + v, n - v, "keep-alive"))
			*keep_alive = 1;
	}
	return 0;
}

/* Status line and headers. HTTP_MORE, HTTP_DONE (r->head set), or -EBADMSG. */
static int parse_head(struct http_resp *r, const char *buf, size_t len)
{
	size_t pos = 0, n;
	const char *s = next_line(buf, len, &pos, &n);
	int minor, keep_alive = 0;

	if (!s)
		return len > HTTP_MAX_HEAD ? -EBADMSG : HTTP_MORE;
	if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') ||
	    s[8] != ' ' || s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' ||
	    s[11] < '0' || s[11] > '9' || (n > 12 && s[12] != ' '))
		return -EBADMSG;
	minor = s[7] - '0';
	r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	for (;;) {
		s = next_line(buf, len, &pos, &n);
		if (!s)
			return pos > HTTP_MAX_HEAD || len > HTTP_MAX_HEAD ? -EBADMSG : HTTP_MORE;
		if (pos > HTTP_MAX_HEAD)
			return -EBADMSG;
		if (n == 0)
			break;
		if (parse_header(r, s, n, &keep_alive) != 0)
			return -EBADMSG;
	}
	if (r->status < 200)
		return -EBADMSG; /* no request of ours asks for an interim response */
	if (minor == 0 && !keep_alive)
		r->close = 1;
	if (r->chunked && r->length >= 0)
		r->close = 1; /* RFC 9112 6.3: chunked wins, and the connection is suspect */
	if (!r->chunked && r->length < 0 && r->status != 204 && r->status != 304)
		r->close = 1; /* the body runs to the end of the connection */
	r->head = pos;
	r->pos = pos;
	return HTTP_DONE;
}

/* A chunk-size line: hex digits, then optional extensions. 0 with *size, or -EBADMSG. */
static int chunk_size(const char *s, size_t n, uint64_t *size)
{
	uint64_t v = 0;
	size_t i = 0;

	for (; i < n; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
			s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 :
			s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;

		if (d < 0)
			break;
		if (i >= 15)
			return -EBADMSG;
		v = v * 16 + (uint64_t)d;
	}
	if (i == 0 || (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t'))
		return -EBADMSG;
	*size = v;
	return 0;
}

/* Decode what has arrived of a chunked body. HTTP_MORE, HTTP_DONE or -EBADMSG. */
static int parse_chunked(struct http_resp *r, char *buf, size_t len)
{
	for (;;) {
		size_t n, take;
		const char *s;

		switch (r->cstate) {
		case CH_SIZE:
		case CH_DATA_END:
		case CH_TRAILER:
			s = next_line(buf, len, &r->pos, &n);
			if (!s)
				return len - r->pos > 1024 ? -EBADMSG : HTTP_MORE;
			if (r->cstate == CH_DATA_END) {
				if (n != 0)
					return -EBADMSG;
				r->cstate = CH_SIZE;
			} else if (r->cstate == CH_TRAILER) {
				if (n == 0)
					return HTTP_DONE;
			} else {
				if (chunk_size(s, n, &r->chunk_left) != 0)
					return -EBADMSG;
				r->cstate = r->chunk_left ? CH_DATA : CH_TRAILER;
			}
			break;
		case CH_DATA:
			take = len - r->pos;
			if (take > r->chunk_left)
				take = (size_t)r->chunk_left;
			memmove(buf + r->head + r->body, buf + r->pos, take);
			r->body += take;
			r->pos += take;
			r->chunk_left -= take;
			if (r->chunk_left)
				return HTTP_MORE;
			r->cstate = CH_DATA_END;
			break;
		default:
			return -EBADMSG;
		}
	}
}

int http_resp_parse(struct http_resp *r, char *buf, size_t len, int eof)
{
	int rc;

	if (!r->head) {
		rc = parse_head(r, buf, len);
		if (rc != HTTP_DONE)
			return rc == HTTP_MORE && eof ? -EPIPE : rc;
	}
	if (r->chunked) {
		rc = parse_chunked(r, buf, len);
		return rc == HTTP_MORE && eof ? -EPIPE : rc;
	}
	if (r->status == 204 || r->status == 304) {
		r->body = 0;
		return HTTP_DONE;
	}
	if (r->length >= 0) {
		if (len - r->head >= (uint64_t)r->length) {
			r->body = (size_t)r->length;
			r->pos = r->head + r->body;
			return HTTP_DONE;
		}
		return eof ? -EPIPE : HTTP_MORE;
	}
	r->body = len - r->head; /* no framing: the body is whatever came before the close */
	r->pos = len;
	return eof ? HTTP_DONE : HTTP_MORE;
}

size_t http_price_request(char *out, size_t cap, const char *host, const char *prefix,
			  const char *const *digits, const uint8_t *lens, size_t n)
{
	size_t body = 0, len;
	int w;

	if (n == 1) {
		w = snprintf(out, cap, "GET %s/price?number=%%2B%.*s HTTP/1.1\r\nHost: %s\r\n\r\n",
			     prefix, (int)lens[0], digits[0], host);
		return w > 0 && (size_t)w < cap ? (size_t)w : 0;
	}
	for (size_t i = 0; i < n; i++)
		body += (size_t)lens[i] + 2;
	w = snprintf(out, cap, "POST %s/price HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\n"
		     "Content-Length: %zu\r\n\r\n", prefix, host, body);
	if (w <= 0 || (size_t)w + body >= cap)
		return 0;
	len = (size_t)w;
	for (size_t i = 0; i < n; i++) {
		out[len++] = '+';
		memcpy(out + len, digits[i], lens[i]);
		len += lens[i];
		out[len++] = '\n';
	}
	return len;
}
