"""wrong_solver.py - a solver that is wrong on purpose, for test_check: the dict of step 2
(impls/python/2_dict_strip.py) where a prefix listed twice keeps its last cost, not its
lowest (table[prefix] = cost: the classic slip). `routebench check --solver` must catch it
and shrink it to two listings of one prefix.

usage: python3 wrong_solver.py NUMBERS ROUTES [ROUTES...]
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "impls", "python"))

from routes import main  # noqa: E402


def build(routes):
    return {prefix: cost for prefix, cost in routes}


def lookup(table, number):
    for n in range(len(number), -1, -1):
        cost = table.get(number[:n])
        if cost is not None:
            return cost
    return None


if __name__ == "__main__":
    main(build, lookup)
