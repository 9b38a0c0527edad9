/*
 * image.c - `routebench image build|info`: write a carrier's built table as a route image
 * (impls/image.h), and describe and check one. `price --image` opens them.
 *
 * build costs what a parse and a build cost, once; an image then opens in the time of a
 * checksum and a structural check. Output is atomic (outfile.c): a failed build leaves nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli.h"
#include "commands.h"
#include "image.h"
#include "load.h"
#include "outfile.h"
#include "registry.h"
#include "sysinfo.h"

static const char image_help[] =
	"usage: routebench image build --impl NAME --routes FILE -o FILE.rbi [--skip-invalid]\n"
	"       routebench image info FILE.rbi [--no-verify]\n"
	"\n"
	"build: parse one carrier's route file, build the table and write it as a route image: a\n"
	"       checksummed header and the structure's arrays, which 'routebench price --image'\n"
	"       then maps and uses in place, with no parse and no build. Implementations that can\n"
	"       write images: %s.\n"
	"info:  check an image (header, payload checksum, every index of the structure) and\n"
	"       print what it holds.\n"
	"\n"
	"  --impl NAME       the structure to build (see 'routebench list')\n"
	"  --routes FILE     the carrier's route list, lines '+DIGITS,COST'\n"
	"  -o, --output FILE write the image atomically (temp file + rename)\n"
	"  --skip-invalid    skip invalid route lines instead of failing\n"
	"  --no-verify       info: skip the payload checksum (the structure is still checked)\n"
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 success, 1 bad input, damaged image or I/O error, 2 usage error.\n";

/* The names of the implementations that write images, comma-separated, into buf. */
static const char *image_impls(char *buf, size_t cap)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < rt_registry_count && at < cap; i++)
		if (rt_registry[i]->image_write && rt_registry[i]->image_open)
			at += (size_t)snprintf(buf + at, cap - at, "%s%s", at ? ", " : "",
					       rt_registry[i]->name);
	return buf;
}

/* The source file's sha256 as 32 bytes; all zero (and a warning) if sha256sum fails. */
static void image_source_sha(const char *path, uint8_t sha[32])
{
	char hex[65];

	memset(sha, 0, 32);
	if (bench_sha256(path, hex) != 0) {
		fprintf(stderr, "routebench image: %s: cannot compute its sha256; recording none\n",
			path);
		return;
	}
	for (unsigned i = 0; i < 32; i++) {
		unsigned v;

		sscanf(hex + 2 * i, "%2x", &v);
		sha[i] = (uint8_t)v;
	}
}

/* Build the table of ops from path's routes and write it to out. 0 or 1 (error printed). */
static int image_write_file(const struct route_table_ops *ops, const char *path, int skip,
			    const char *out)
{
	struct ds_routes routes = { 0 };
	struct route_table *t = NULL;
	struct rb_outfile o;
	struct ds_error err;
	uint8_t sha[32];
	int rc;

	if (ds_load_routes(path, skip, &routes, &err) != 0) {
		ds_error_print(&err, stderr);
		ds_routes_free(&routes);
		return 1;
	}
	if (routes.n == 0) {
		fprintf(stderr, "%s: no routes in the file\n", path);
		ds_routes_free(&routes);
		return 1;
	}
	rc = pricing_build_table(ops, &routes, &t);
	ds_routes_free(&routes);
	if (rc != 0) {
		fprintf(stderr, "%s: cannot build the %s table: %s\n", path, ops->name,
			strerror(-rc));
		return 1;
	}
	image_source_sha(path, sha);
	if ((rc = rb_outfile_open(&o, out)) != 0) {
		fprintf(stderr, "%s: cannot create output: %s\n", out, strerror(-rc));
	} else if ((rc = rt_image_write(t, sha, o.f)) != 0) {
		rb_outfile_abort(&o);
		fprintf(stderr, "%s: cannot write the image: %s\n", out, strerror(-rc));
	} else if ((rc = rb_outfile_commit(&o)) != 0) {
		fprintf(stderr, "%s: cannot write the image: %s\n", out, strerror(-rc));
	}
	rt_destroy(t);
	return rc != 0;
}

static int image_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "impl", required_argument, NULL, 'i' },
		{ "routes", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "skip-invalid", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *impl = NULL, *routes = NULL, *out = NULL;
	const struct route_table_ops *ops;
	char names[256];
	int c, skip = 0;

	while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		switch (c) {
		case 'i': impl = optarg; break;
		case 'r':
			if (routes)
				return cli_usage_error("image", "one --routes FILE per image");
			routes = optarg;
			break;
		case 'o': out = optarg; break;
		case 's': skip = 1; break;
		case ':': return cli_usage_error("image", "%s needs a value", argv[optind - 1]);
		default: return cli_usage_error("image", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("image", "unexpected argument '%s'", argv[optind]);
	if (!impl || !routes || !out)
		return cli_usage_error("image", "build needs --impl NAME, --routes FILE and -o FILE");
	if (!(ops = rt_find(impl)))
		return cli_usage_error("image", "no implementation named '%s' (see 'routebench list')",
				       impl);
	if (!ops->image_write || !ops->image_open)
		return cli_usage_error("image", "'%s' cannot write images (those that can: %s)",
				       impl, image_impls(names, sizeof(names)));
	return image_write_file(ops, routes, skip, out);
}

static void image_print(const char *path, const struct rt_image_header *h, int verified)
{
	printf("image       %s\nimpl        %s\nversion     %u\nprefixes    %llu\nbytes       %llu\n",
	       path, h->impl, h->version, (unsigned long long)h->prefixes,
	       (unsigned long long)h->file_size);
	printf("source      sha256 ");
	for (unsigned i = 0; i < 32; i++)
		printf("%02x", h->source_sha256[i]);
	printf("\nsections   ");
	for (uint32_t i = 0; i < h->n_sections; i++)
		printf(" %llu", (unsigned long long)h->section[i].size);
	printf(" bytes\nchecksum    %s\nstructure   ok\n",
	       verified ? "ok (header and payload)" : "header ok, payload not verified");
}

static int image_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-verify", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct rt_image_map m;
	struct rt_image_header h;
	struct rt_image_error err;
	struct route_table *t;
	unsigned flags = 0;
	char why[160];
	int c, rc;

	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 'n')
			return cli_usage_error("image", "unknown option '%s'", argv[optind - 1]);
		flags |= RT_IMAGE_NO_VERIFY;
	}
	if (optind + 1 != argc)
		return cli_usage_error("image", "info takes one image FILE");
	if ((rc = rt_image_map_file(argv[optind], flags, &m)) != 0) {
		fprintf(stderr, "%s: %s\n", argv[optind], strerror(-rc));
		return 1;
	}
	rc = rt_image_check(m.base, m.size, flags, &h, &err) != 0 ||
	     rt_image_open(m.base, m.size, flags | RT_IMAGE_NO_VERIFY, &t, &err) != 0;
	if (rc)
		fprintf(stderr, "%s: %s\n", argv[optind], rt_image_strerror(&err, why, sizeof(why)));
	else {
		image_print(argv[optind], &h, !(flags & RT_IMAGE_NO_VERIFY));
		rt_destroy(t);
	}
	rt_image_unmap(&m);
	return rc;
}

int cmd_image(int argc, char **argv)
{
	char names[256];

	optind = 1;
	opterr = 0;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf(image_help, image_impls(names, sizeof(names)));
		return 0;
	}
	if (argc < 2)
		return cli_usage_error("image", "which: 'image build' or 'image info'");
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(image_help, image_impls(names, sizeof(names)));
			return 0;
		}
	if (strcmp(argv[1], "build") == 0)
		return image_build(argc - 1, argv + 1);
	if (strcmp(argv[1], "info") == 0)
		return image_info(argc - 1, argv + 1);
	return cli_usage_error("image", "unknown subcommand '%s' (build or info)", argv[1]);
}
