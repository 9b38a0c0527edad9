"""6_trie_lazy.py - step 6 of the Python ladder: the __slots__ nodes of step 5 with children
None until the first child is added, so a leaf holds no dict.

Cost: O(L) per lookup; per node a 48-byte object, per inner node a children dict: 321 bytes
per route (CPython 3.11, 1M routes). Lesson: many trie nodes are leaves (0.74 per route at
1M routes), and an empty table made "just in case" at each is 64 bytes for nothing; create
it when it is first needed.

usage: python3 6_trie_lazy.py NUMBERS ROUTES [ROUTES...]
"""

from routes import main


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
                node.children = {}
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
        if node.children is None:
            break
        node = node.children.get(digit)
        if node is None:
            break
        if node.cost is not None:
            best = node.cost
    return best


if __name__ == "__main__":
    main(build, lookup)
