/*
 * test_http.c - the load generator's HTTP/1.1 pieces: the response parser, its two requests,
 * and the URLs it accepts (literal loopback addresses only, unless told otherwise).
 *
 * Every response is also fed one byte at a time (the worst a socket can do), because a parser
 * that only works when a response arrives in one read works only on loopback.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"
#include "url.h"

/* Feed text whole, then byte by byte; both must give rc, and (when done) body and size. */
static void expect(const char *text, int eof, int rc, const char *body, int close)
{
	size_t len = strlen(text);
	char whole[4096], bytes[4096];
	struct http_resp r, s;
	int got = HTTP_MORE;

	assert_true(len < sizeof(whole));
	memcpy(whole, text, len);
	http_resp_init(&r);
	assert_int_equal(http_resp_parse(&r, whole, len, eof), rc);
	http_resp_init(&s);
	for (size_t n = 1; n <= len && got == HTTP_MORE; n++) {
		bytes[n - 1] = text[n - 1];
		got = http_resp_parse(&s, bytes, n, eof && n == len);
	}
	if (len == 0)
		got = http_resp_parse(&s, bytes, 0, eof);
	assert_int_equal(got, rc);
	if (rc != HTTP_DONE)
		return;
	assert_int_equal(r.body, strlen(body));
	assert_memory_equal(whole + r.head, body, r.body);
	assert_int_equal(s.body, r.body);
	assert_memory_equal(bytes + s.head, body, s.body);
	assert_int_equal(s.pos, r.pos);
	assert_int_equal(r.close, close);
}

static void test_content_length(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nContent-Length: 18\r\n\r\n+14152345678,0.03\n", 0, HTTP_DONE,
	       "+14152345678,0.03\n", 0);
	expect("HTTP/1.1 200 OK\r\ncontent-length:  3 \r\nX-A: b\r\n\r\nabc", 0, HTTP_DONE, "abc",
	       0);
	expect("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 0, HTTP_DONE, "ok", 0); /* bare LF */
	expect("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 0, HTTP_DONE, "", 0);
	expect("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", 0, HTTP_MORE, NULL, 0);
	expect("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", 1, -EPIPE, NULL, 0);
	expect("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", 0,
	       HTTP_DONE, "ok", 0);
}

static void test_size_of_response(void **state)
{
	const char *two = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1";
	char buf[64];
	struct http_resp r;

	(void)state;
	memcpy(buf, two, strlen(two));
	http_resp_init(&r);
	assert_int_equal(http_resp_parse(&r, buf, strlen(two), 0), HTTP_DONE);
	assert_int_equal(r.pos, strlen(two) - strlen("HTTP/1.1")); /* the rest is not ours */
	assert_int_equal(r.status, 200);
}

static void test_chunked(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	       "7\r\n+1415,0\r\n3;ext=1\r\n.03\r\n1\r\n\n\r\n0\r\n\r\n", 0, HTTP_DONE,
	       "+1415,0.03\n", 0);
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
	       "A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n", 0, HTTP_DONE, "0123456789", 0);
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, HTTP_DONE,
	       "", 0);
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 1, -EPIPE, NULL, 0);
	/* chunked wins over a Content-Length, and such a connection is not reused */
	expect("HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n"
	       "2\r\nok\r\n0\r\n\r\n", 0, HTTP_DONE, "ok", 1);
}

static void test_connection_close(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 0, HTTP_DONE,
	       "ok", 1);
	expect("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 2\r\n\r\nok",
	       0, HTTP_DONE, "ok", 1);
	expect("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 0, HTTP_DONE, "ok", 1);
	expect("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", 0,
	       HTTP_DONE, "ok", 0);
	expect("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 2\r\n\r\nok", 0,
	       HTTP_DONE, "ok", 0); /* a token, not a substring */
	/* no framing: the body runs to the close */
	expect("HTTP/1.1 200 OK\r\n\r\nuntil the end", 0, HTTP_MORE, NULL, 0);
	expect("HTTP/1.1 200 OK\r\n\r\nuntil the end", 1, HTTP_DONE, "until the end", 1);
	expect("HTTP/1.1 204 No Content\r\n\r\n", 0, HTTP_DONE, "", 0);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"HTTX/1.1 200 OK\r\n\r\n",
		"HTTP/2.0 200 OK\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 200OK\r\n\r\n",
		"HTTP/1.1 700 Huh\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n",
		"<html>hello</html>\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect(bad[i], 0, -EBADMSG, NULL, 0);
	expect("", 1, -EPIPE, NULL, 0);
	expect("HTTP/1.1 200 OK\r\nContent-Le", 1, -EPIPE, NULL, 0);
}

static void test_huge_head(void **state)
{
	static char buf[HTTP_MAX_HEAD + 64];
	struct http_resp r;
	size_t n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nX: ");

	(void)state;
	memset(buf + n, 'a', sizeof(buf) - n);
	http_resp_init(&r);
	assert_int_equal(http_resp_parse(&r, buf, sizeof(buf), 0), -EBADMSG);
}

static void test_requests(void **state)
{
	const char *digits[] = { "14152345678", "1512" };
	const uint8_t lens[] = { 11, 4 };
	char out[256];
	size_t n;

	(void)state;
	n = http_price_request(out, sizeof(out), "127.0.0.1:8080", "", digits, lens, 1);
	assert_true(n > 0);
	out[n] = '\0';
	assert_string_equal(out, "GET /price?number=%2B14152345678 HTTP/1.1\r\n"
				 "Host: 127.0.0.1:8080\r\n\r\n");
	n = http_price_request(out, sizeof(out), "[::1]:9", "/api", digits, lens, 2);
	assert_true(n > 0);
	out[n] = '\0';
	assert_string_equal(out, "POST /api/price HTTP/1.1\r\nHost: [::1]:9\r\n"
				 "Content-Type: text/plain\r\nContent-Length: 19\r\n\r\n"
				 "+14152345678\n+1512\n");
	assert_int_equal(http_price_request(out, 40, "127.0.0.1:8080", "", digits, lens, 1), 0);
	assert_int_equal(http_price_request(out, 90, "h", "", digits, lens, 2), 0);
}

static void test_urls(void **state)
{
	static const struct {
		const char *url, *addr, *host, *prefix;
		int loopback;
	} good[] = {
		{ "http://127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1:8080", "", 1 },
		{ "http://127.0.0.1", "127.0.0.1:80", "127.0.0.1", "", 1 },
		{ "http://127.1.2.3:9/api/", "127.1.2.3:9", "127.1.2.3:9", "/api", 1 },
		{ "http://localhost:81/", "127.0.0.1:81", "localhost:81", "", 1 },
		{ "http://[::1]:8080/v1", "[::1]:8080", "[::1]:8080", "/v1", 1 },
		{ "http://[::ffff:127.0.0.1]:1", "[::ffff:127.0.0.1]:1", "[::ffff:127.0.0.1]:1", "",
		  1 },
		{ "http://10.0.0.1:80", "10.0.0.1:80", "10.0.0.1:80", "", 0 },
		{ "http://[2001:db8::1]:80", "[2001:db8::1]:80", "[2001:db8::1]:80", "", 0 },
		{ "http://128.0.0.1:80", "128.0.0.1:80", "128.0.0.1:80", "", 0 },
	};
	static const char *const bad[] = {
		"https://127.0.0.1", "127.0.0.1:80", "ftp://127.0.0.1", "http://", "http://:80",
		"http://example.com", "http://localhost.example.com", "http://127.0.0.1:0",
		"http://127.0.0.1:65536", "http://127.0.0.1:8x", "http://[::1", "http://[zz]:1",
		"http://user@127.0.0.1", "http://127.0.0.1/p?q=1", "http://127.0.0.1/a b",
		"http://127.0.0.1:80#f", "http://0x7f.0.0.1",
	};
	struct net_url u;
	const char *why;
	char buf[80];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (net_url_parse(good[i].url, &u, &why) != 0)
			fail_msg("%s: %s", good[i].url, why);
		net_addr_format(&u.addr, buf, sizeof(buf));
		assert_string_equal(buf, good[i].addr);
		assert_string_equal(u.host, good[i].host);
		assert_string_equal(u.prefix, good[i].prefix);
		assert_int_equal(u.loopback, good[i].loopback);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (net_url_parse(bad[i], &u, &why) == 0)
			fail_msg("%s was accepted", bad[i]);
		assert_non_null(why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_size_of_response),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_connection_close),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_huge_head),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
