/*
 * plugin_arg.c - --plugin FILE.so for check, price, measure and bench (plugin_arg.h): the
 * one place a command turns a plugin that will not load into a message and an exit status.
 */
#include "plugin_arg.h"

#include <stdio.h>

#include "plugin.h"

int cmd_plugin_arg(const char *cmd, const char *path, const char **name)
{
	const struct route_table_ops *ops;
	char why[512];

	if (rt_plugin_load(path, &ops, why, sizeof(why)) != 0) {
		fprintf(stderr, "routebench %s: %s: %s\n", cmd, path, why);
		return 1;
	}
	*name = ops->name;
	return 0;
}
