/*
 * plugin.h - implementations from outside the tree: a shared object built against
 * route_table.h that exports `const struct route_table_ops routebench_plugin_ops`, loaded
 * with dlopen and checked against the contract before anything calls it.
 *
 * A loaded plugin is registered (rt_register): rt_find finds it by its name, so every
 * command that takes --impl NAME can take --plugin FILE.so. Cost: one dlopen; the object is
 * never unloaded. Lesson: the vtable is the whole contract, so a student's structure, built
 * without this tree's sources, is measured and graded exactly like ours.
 */
#ifndef ROUTEBENCH_PLUGIN_H
#define ROUTEBENCH_PLUGIN_H

#include <stddef.h>

#include "route_table.h"

#define RT_PLUGIN_SYMBOL "routebench_plugin_ops"
#define RT_PLUGIN_MAX 8 /* plugins one process may load */

/*
 * Load the plugin at path (a path without '/' is taken relative to the current directory,
 * not searched for), check its ops table and register it. Checked: the symbol exists; name
 * is a valid registry key (lowercase letters, digits, '-', '_') that no implementation has
 * yet; create, insert, lookup, stats and destroy are set; update and retire are both set or
 * neither. The registered table is a copy whose flags keep only RT_F_PEER and
 * RT_F_NODE_HEAVY (a plugin is never the scan baseline or the default), ladder is 0, and a
 * missing summary or complexity reads "plugin PATH" / "not stated".
 * 0 with *out set, or -errno with why[0..cap) saying what is wrong (the object unloaded).
 */
int rt_plugin_load(const char *path, const struct route_table_ops **out, char *why, size_t cap);

#endif
