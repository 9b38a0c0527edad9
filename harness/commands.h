/*
 * commands.h - the subcommands of `routebench`, one function each, dispatched by main.c.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the subcommand) and returns
 * the process exit status: 0 success, 1 failure (bad input, I/O), 2 usage error.
 */
#ifndef ROUTEBENCH_COMMANDS_H
#define ROUTEBENCH_COMMANDS_H

int cmd_list(int argc, char **argv);    /* harness/main.c */
int cmd_price(int argc, char **argv);   /* harness/price.c */
int cmd_gen(int argc, char **argv);     /* datasets/gen_cmd.c */
int cmd_bench(int argc, char **argv);   /* harness/bench.c */
int cmd_measure(int argc, char **argv); /* harness/measure.c */
int cmd_breakdown(int argc, char **argv); /* harness/breakdown_cmd.c */
int cmd_massif(int argc, char **argv);    /* harness/massif_cmd.c */
int cmd_report(int argc, char **argv);    /* harness/report_md.c */

#endif
