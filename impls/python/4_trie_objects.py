"""4_trie_objects.py - step 4 of the Python ladder: the trie as node objects, each with its
attributes in a __dict__ (children: a dict from digit to node; cost: None or the route's).

This is the trie of the post this project comes from, the one that took 3 GB for 10 million
routes and crashed an 8 GB laptop. Cost: O(L) per lookup; per node an object, its attribute
storage and a children dict (even at a leaf, where it stays empty): 442 bytes per route
(CPython 3.11, 1M routes; 4.4 GB at 10M if it stayed so). Lesson: a "small" class
is not small: every instance carries a per-object attribute store and an empty dict, and a
trie has several nodes per route.

usage: python3 4_trie_objects.py NUMBERS ROUTES [ROUTES...]
"""

from routes import main


class Node:
    def __init__(self):
        self.children = {}
        self.cost = None


def build(routes):
    root = Node()
    for prefix, cost in routes:
        node = root
        for digit in prefix:
            child = node.children.get(digit)
            if child is None:
                child = node.children[digit] = Node()
            node = child
        if node.cost is None or cost < node.cost:
            node.cost = cost
    return root


def lookup(root, number):
    node, best = root, root.cost
    for digit in number:
        node = node.children.get(digit)
        if node is None:
            break
        if node.cost is not None:
            best = node.cost
    return best


if __name__ == "__main__":
    main(build, lookup)
