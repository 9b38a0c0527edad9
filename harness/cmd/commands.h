/*
 * commands.h - the subcommands of `routebench`, one function each, dispatched by main.c.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the subcommand) and returns
 * the process exit status: 0 success, 1 failure (bad input, I/O), 2 usage error.
 */
#ifndef ROUTEBENCH_COMMANDS_H
#define ROUTEBENCH_COMMANDS_H

int cmd_list(int argc, char **argv);        /* harness/cmd/main.c */
int cmd_price(int argc, char **argv);       /* harness/cmd/price.c */
int cmd_gen(int argc, char **argv);         /* harness/cmd/gen.c */
int cmd_bench(int argc, char **argv);       /* harness/cmd/bench.c */
int cmd_measure(int argc, char **argv);     /* harness/cmd/measure.c */
int cmd_breakdown(int argc, char **argv);   /* harness/cmd/breakdown.c */
int cmd_massif(int argc, char **argv);      /* harness/cmd/massif.c */
int cmd_report(int argc, char **argv);      /* harness/cmd/report.c */
int cmd_serve(int argc, char **argv);       /* harness/cmd/serve.c */
int cmd_load(int argc, char **argv);        /* harness/cmd/load.c */
int cmd_check(int argc, char **argv);       /* harness/cmd/check.c */
int cmd_cachesim(int argc, char **argv);    /* harness/cmd/cachesim.c */
int cmd_machine(int argc, char **argv);     /* harness/cmd/machine.c */

#endif
