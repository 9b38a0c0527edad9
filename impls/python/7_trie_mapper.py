"""7_trie_mapper.py - step 7 of the Python ladder: the lazy __slots__ nodes of step 6 with a
mapper: children is a list of ten slots indexed by the digit's value instead of a dict.

Cost: O(L) per lookup, a list index per digit instead of a hash; per node a 48-byte object,
per inner node a 136-byte list (where a dict with a key or more takes 184 to 640): 264
bytes per route (CPython 3.11, 1M routes), 40% under step 4. Lesson: when the keys are ten
digits, a dict's hashing and spare room buy nothing; an array indexed by the digit is
smaller. The post says this took the trie from 3 GB to 1.5 GB.

usage: python3 7_trie_mapper.py NUMBERS ROUTES [ROUTES...]
"""

from routes import main

SLOTS = 10


class Node:
    __slots__ = ("children", "cost")

    def __init__(self):
        self.children = None
        self.cost = None


def build(routes):
    root = Node()
    for prefix, cost in routes:
        node = root
        for digit in prefix:
            if node.children is None:
                node.children = [None] * SLOTS
            i = ord(digit) - 48
            child = node.children[i]
            if child is None:
                child = node.children[i] = Node()
            node = child
        if node.cost is None or cost < node.cost:
            node.cost = cost
    return root


def lookup(root, number):
    node, best = root, root.cost
    for digit in number:
        if node.children is None:
            break
        node = node.children[ord(digit) - 48]
        if node is None:
            break
        if node.cost is not None:
            best = node.cost
    return best


if __name__ == "__main__":
    main(build, lookup)
