/*
 * cli.c - usage errors and number parsing shared by every subcommand.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage_error(const char *prog, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return CLI_USAGE;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char prog[64];
	va_list ap;
	int rc;

	snprintf(prog, sizeof(prog), "routebench %s", cmd);
	va_start(ap, fmt);
	rc = usage_error(prog, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_usage_error_prog(const char *prog, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = usage_error(prog, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_parse_u64(const char *s, int binary, uint64_t *out)
{
	char *end;
	uint64_t mult = 1, base = binary ? 1024 : 1000;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = base; end++; break;
	case 'm': case 'M': mult = base * base; end++; break;
	case 'g': case 'G': mult = base * base * base; end++; break;
	default: break;
	}
	if (*end != '\0' || (v && mult > UINT64_MAX / v))
		return -1;
	*out = v * mult;
	return 0;
}

int cli_parse_u64_list(const char *s, uint64_t *out, size_t cap)
{
	char buf[1024];
	size_t n = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		if (n == cap || cli_parse_u64(tok, 0, &out[n]) != 0)
			return -1;
		n++;
	}
	return n ? (int)n : -1;
}

int cli_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end != '\0' || !(v >= 0))
		return -1;
	*out = v;
	return 0;
}
