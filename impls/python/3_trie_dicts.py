"""3_trie_dicts.py - step 3 of the Python ladder: a trie of nested dicts, one dict per node,
keyed by digit, the cost of a route stored in its node under the key "$".

Cost: O(L) dict lookups per number of L digits; one dict per node, and a route of k digits
adds up to k nodes (1.8 nodes per route at 1M makeschool routes): 372 bytes per route
(CPython 3.11). Lesson: sharing prefixes saves the repeated strings, but a dict is a large
object (64 bytes empty, 184 with a key or more) paid at every node, not per route: the trie
is three times the dict of step 2.

usage: python3 3_trie_dicts.py NUMBERS ROUTES [ROUTES...]
"""

from routes import main

COST = "$"


def build(routes):
    root = {}
    for prefix, cost in routes:
        node = root
        for digit in prefix:
            child = node.get(digit)
            if child is None:
                child = node[digit] = {}
            node = child
        old = node.get(COST)
        if old is None or cost < old:
            node[COST] = cost
    return root


def lookup(root, number):
    node, best = root, root.get(COST)
    for digit in number:
        node = node.get(digit)
        if node is None:
            break
        cost = node.get(COST)
        if cost is not None:
            best = cost
    return best


if __name__ == "__main__":
    main(build, lookup)
