/*
 * http.h - the client half of HTTP/1.1 the load generator needs: an incremental response
 * parser (status line, Content-Length, chunked transfer coding, Connection) and the two
 * requests it sends (GET /price?number=, POST /price).
 *
 * The parser works in place on the bytes received so far, resumes where it stopped, and
 * decodes chunked bodies by moving each chunk's data down over the framing, so a response
 * costs no allocation and O(its size) over all calls however it was split into reads.
 */
#ifndef ROUTEBENCH_HTTP_H
#define ROUTEBENCH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEAD 8192 /* a longer status line plus headers is malformed */

enum http_result {
	HTTP_MORE = 0,     /* incomplete: call again with more bytes */
	HTTP_DONE = 1,     /* complete */
};

struct http_resp {
	int status;          /* 100..599 once the head is parsed */
	int close;           /* the server closes after this response */
	int chunked;
	int64_t length;      /* Content-Length, -1 when absent */
	size_t head;         /* bytes of the head; 0 until it is parsed */
	size_t body;         /* body bytes decoded so far, at buf + head */
	size_t pos;          /* bytes of buf consumed so far; when done, the response's size */
	uint64_t chunk_left; /* chunked: data bytes left in the current chunk */
	int cstate;          /* chunked: where the decoder is */
};

/* Ready r for a new response. */
void http_resp_init(struct http_resp *r);

/*
 * Parse the response that starts at buf[0], of which len bytes have arrived; eof says the peer
 * has closed. Chunked data is moved down in buf, so pass the same buffer, grown, each time.
 * HTTP_MORE, HTTP_DONE (body at buf + r->head, r->body bytes; the response took r->pos bytes),
 * -EBADMSG when it is not HTTP, or -EPIPE when the peer closed before the end.
 */
int http_resp_parse(struct http_resp *r, char *buf, size_t len, int eof);

/*
 * Write a request for the numbers into out (cap bytes): one number is GET
 * {prefix}/price?number=%2B{digits}, several are POST {prefix}/price with one number per line.
 * digits[i] points at lens[i] digits. The length, or 0 when it does not fit.
 */
size_t http_price_request(char *out, size_t cap, const char *host, const char *prefix,
			  const char *const *digits, const uint8_t *lens, size_t n);

#endif
