/*
 * plugin.c - load an implementation from a shared object (plugin.h): dlopen, dlsym, check
 * the ops table against route_table.h's contract, register a copy.
 *
 * RTLD_NOW makes a missing symbol an error at load time, not a crash at the first call;
 * routebench exports its own symbols, so a plugin may call the rt_* helpers. Lesson: check a
 * contract where code enters, once, and say which field is wrong.
 */
#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry.h"

static struct route_table_ops loaded[RT_PLUGIN_MAX];
static char summaries[RT_PLUGIN_MAX][160];
static size_t n_loaded;

static int fail(char *why, size_t cap, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *why, size_t cap, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
	return rc;
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && !strchr("-_", *s))
			return 0;
	return 1;
}

/* NULL when ops keeps the contract plugin.h lists, else what breaks it. */
static const char *contract_error(const struct route_table_ops *ops)
{
	if (!ops->name)
		return "name is NULL";
	if (!valid_name(ops->name))
		return "name is not lowercase letters, digits, '-' and '_'";
	if (!ops->create)
		return "create is NULL";
	if (!ops->insert)
		return "insert is NULL";
	if (!ops->lookup)
		return "lookup is NULL";
	if (!ops->stats)
		return "stats is NULL";
	if (!ops->destroy)
		return "destroy is NULL";
	if (!ops->update != !ops->retire)
		return "update and retire must both be set, or neither";
	return NULL;
}

int rt_plugin_load(const char *path, const struct route_table_ops **out, char *why, size_t cap)
{
	char file[4096];
	const struct route_table_ops *ops;
	struct route_table_ops *copy;
	const char *bad;
	void *h;
	int rc;

	if (n_loaded == RT_PLUGIN_MAX)
		return fail(why, cap, -ENOSPC, "at most %d plugins", RT_PLUGIN_MAX);
	if ((size_t)snprintf(file, sizeof(file), "%s%s", strchr(path, '/') ? "" : "./", path) >=
	    sizeof(file))
		return fail(why, cap, -ENAMETOOLONG, "path too long");
	h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return fail(why, cap, -ENOENT, "cannot load: %s", dlerror());
	ops = dlsym(h, RT_PLUGIN_SYMBOL);
	if (!ops) {
		rc = fail(why, cap, -EINVAL, "no symbol " RT_PLUGIN_SYMBOL " (export "
			  "'const struct route_table_ops " RT_PLUGIN_SYMBOL "')");
		goto out_close;
	}
	bad = contract_error(ops);
	if (bad) {
		rc = fail(why, cap, -EINVAL, RT_PLUGIN_SYMBOL ": %s", bad);
		goto out_close;
	}
	if (rt_find(ops->name)) {
		rc = fail(why, cap, -EEXIST, "an implementation is already called '%s'", ops->name);
		goto out_close;
	}
	copy = &loaded[n_loaded];
	*copy = *ops;
	copy->flags &= RT_F_PEER | RT_F_NODE_HEAVY;
	copy->ladder = 0;
	snprintf(summaries[n_loaded], sizeof(summaries[0]), "plugin %s", path);
	if (!copy->summary)
		copy->summary = summaries[n_loaded];
	if (!copy->complexity)
		copy->complexity = "not stated";
	rc = rt_register(copy);
	if (rc != 0) {
		fail(why, cap, rc, "cannot register '%s': %s", ops->name, strerror(-rc));
		goto out_close;
	}
	n_loaded++;
	*out = copy;
	return 0;
out_close:
	dlclose(h);
	return rc;
}
