/*
 * plugin_arg.h - the --plugin FILE.so option, one way for every command that takes --impl:
 * load the plugin (impls/plugin.h), say what is wrong with it, and give its registry name.
 */
#ifndef ROUTEBENCH_PLUGIN_ARG_H
#define ROUTEBENCH_PLUGIN_ARG_H

/*
 * Load and register the plugin at path for command cmd; *name is then its implementation
 * name, found by rt_find from here on. 0, or 1 (the exit status of bad input) after printing
 * "routebench CMD: PATH: what is wrong".
 */
int cmd_plugin_arg(const char *cmd, const char *path, const char **name);

#endif
