"""2_dict_strip.py - step 2 of the Python ladder: a dict from prefix to cost, and a lookup
that strips digits off the end of the number until a prefix is found.

Cost: at most 16 dict probes per lookup (one per prefix length, the longest first); one
dict slot, one str and one int per distinct prefix: 116 bytes per route (CPython 3.11, 1M
routes), the smallest step of the ladder. Lesson: a hash table turns "which
prefix?" into "is this prefix there?", the cheapest big win of the ladder; what it pays is a
whole string per prefix, even where prefixes share all but their last digit.

usage: python3 2_dict_strip.py NUMBERS ROUTES [ROUTES...]
"""

from routes import main


def build(routes):
    table = {}
    for prefix, cost in routes:
        old = table.get(prefix)
        if old is None or cost < old:
            table[prefix] = cost
    return table


def lookup(table, number):
    for n in range(len(number), -1, -1):
        cost = table.get(number[:n])
        if cost is not None:
            return cost
    return None


if __name__ == "__main__":
    main(build, lookup)
