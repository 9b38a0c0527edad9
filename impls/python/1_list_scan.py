"""1_list_scan.py - step 1 of the Python ladder: every route in a list, scanned linearly.

Each lookup looks at every route and keeps the longest prefix of the number (the lowest cost
among equal prefixes). Cost: O(n) per lookup; one (prefix, cost) tuple, one str and one int
per route: 154 bytes per route (tracemalloc, CPython 3.11, 1M makeschool routes). Lesson:
the first solution is small and correct, and hopeless as soon as there are many numbers:
10,000 numbers against a million routes is ten billion comparisons.

usage: python3 1_list_scan.py NUMBERS ROUTES [ROUTES...]
"""

from routes import main


def build(routes):
    return list(routes)


def lookup(table, number):
    best_len, best = -1, None
    for prefix, cost in table:
        n = len(prefix)
        if n >= best_len and number.startswith(prefix):
            if n > best_len or cost < best:
                best_len, best = n, cost
    return best


if __name__ == "__main__":
    main(build, lookup)
