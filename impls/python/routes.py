"""routes.py - what every step of the Python ladder shares: exact parsing, the answer format
and the command line, so the step files differ only in their structure.

Costs are parsed into integer micro-units (no float ever touches an answer) with the rules and
the error messages of routebench's loader (harness/data/load.c); route lines are streamed into
the structure one at a time, so the file's text is never held whole. Cost: O(bytes) to parse,
one int per route. Lesson: the structure is the only thing that should differ between steps,
or the memory figures measure something else.

A step calls main(build, lookup): build(routes) takes an iterator of (prefix, cost) pairs
(prefix a str of 0 to 15 digits, cost an int of micro-units) and returns the structure, in
which a prefix listed twice keeps its lowest cost; lookup(structure, number) returns the
cost of the longest stored prefix of number, or None.

heap_bytes (RB_TRACEMALLOC=1): tracemalloc is started after the numbers and the answer list
are loaded, just before the first route file is opened, and its peak is read once the last
carrier's structure is built, before its lookups: the structure, plus the little the
streaming reader holds at a time, plus any structure of an earlier carrier not yet freed
(none: each is dropped after its lookups).
"""

import os
import re
import sys
import tracemalloc

MAX_DIGITS = 15
MAX_LINE = 1024
SCALE = 1000000
USAGE = "usage: python3 %s NUMBERS ROUTES [ROUTES...]\n"

_ROUTE = re.compile(rb"\+([0-9]{0,15}),0*([0-9]{1,12})(?:\.([0-9]{1,6}))?")
_NUMBER = re.compile(rb"\+([0-9]{1,15})")
_DIGITS = re.compile(rb"[0-9]*")


class BadInput(Exception):
    """A file that cannot be read or a line that is not valid; str() is the message."""


def _where(path, lineno, why, raw):
    text = "".join(chr(c) if 0x20 <= c < 0x7F else "?" for c in raw[:92])
    if len(raw) > 92:
        text += "..."
    return BadInput('%s:%d: %s: "%s"' % (path, lineno, why, text))


def _cost_error(text):
    """Why text (bytes) is not a cost, in the words of ds_parse_cost."""
    whole = _DIGITS.match(text).group()
    if not whole:
        return "cost is not a number" if text else "cost is missing"
    if len(whole.lstrip(b"0")) > 12:
        return "cost is too large (at most 12 integer digits)"
    rest = text[len(whole):]
    if rest[:1] == b".":
        frac = _DIGITS.match(rest, 1).group()
        if len(frac) > 6:
            return "cost has more than 6 decimal places"
    return "cost is not a number"


def _key_error(line, kind):
    """Why line (trimmed bytes) does not start with a valid key: kind 'prefix' or 'number'.
    None when the key itself is fine."""
    if line[:1] != b"+":
        return "%s must start with '+'" % kind
    digits = _DIGITS.match(line, 1).group()
    if len(digits) > MAX_DIGITS:
        return "%s longer than 15 digits" % kind
    if kind == "number" and not digits:
        return "number has no digits"
    return None


def _route_error(line):
    why = _key_error(line, "prefix")
    if why:
        return why
    n = 1 + len(_DIGITS.match(line, 1).group())
    if n == len(line):
        return "missing ',' and cost"
    if line[n:n + 1] != b",":
        return "prefix has a character that is not a digit"
    return _cost_error(line[n + 1:])


def _lines(path):
    """(line number, raw bytes without '\\n', trimmed bytes) for every non-blank line."""
    if os.path.isdir(path):
        raise BadInput("%s: is a directory" % path)
    try:
        f = open(path, "rb")
    except OSError as e:
        raise BadInput("%s: %s" % (path, e.strerror)) from None
    with f:
        for lineno, raw in enumerate(f, 1):
            if raw.endswith(b"\n"):
                raw = raw[:-1]
            line = raw.rstrip(b"\r \t")
            if not line:
                continue
            if len(raw) > MAX_LINE:
                raise _where(path, lineno, "line too long (over 1024 bytes)", raw)
            yield lineno, raw, line


def load_routes(path):
    """Yield (prefix, cost) for every route line of path; raise BadInput on a bad line."""
    for lineno, raw, line in _lines(path):
        m = _ROUTE.fullmatch(line)
        if not m:
            raise _where(path, lineno, _route_error(line), raw)
        whole, frac = m.group(2), m.group(3)
        cost = int(whole) * SCALE + (int(frac.ljust(6, b"0")) if frac else 0)
        yield m.group(1).decode("ascii"), cost


def load_numbers(path):
    """Every number of path as a str of digits, in file order; raise BadInput on a bad line."""
    numbers = []
    for lineno, raw, line in _lines(path):
        m = _NUMBER.fullmatch(line)
        if not m:
            why = _key_error(line, "number") or "number has a character that is not a digit"
            raise _where(path, lineno, why, raw)
        numbers.append(m.group(1).decode("ascii"))
    return numbers


def format_cost(micros):
    """The Make School format: at least two decimals, no trailing zeros beyond them (0.4 ->
    0.40, 0.125 -> 0.125, 2 -> 2.00); None (no route) -> 0."""
    if micros is None:
        return "0"
    frac = "%06d" % (micros % SCALE)
    frac = frac.rstrip("0").ljust(2, "0")
    return "%d.%s" % (micros // SCALE, frac)


def main(build, lookup):
    """Run a step as a solver: python3 STEP.py NUMBERS ROUTES... (one route file per
    carrier). Prints +NUMBER,COST per number in input order: per carrier the longest prefix,
    across carriers the lowest cost. Exit 0, 1 on bad input (FILE:LINE: reason on stderr,
    nothing on stdout), 2 on a usage error."""
    prog = os.path.basename(sys.argv[0])
    if len(sys.argv) == 2 and sys.argv[1] in ("-h", "--help"):
        sys.stdout.write(USAGE % prog)
        sys.exit(0)
    if len(sys.argv) < 3:
        sys.stderr.write(USAGE % prog)
        sys.exit(2)
    numbers_path, route_paths = sys.argv[1], sys.argv[2:]
    trace = os.environ.get("RB_TRACEMALLOC") == "1"
    try:
        numbers = load_numbers(numbers_path)
        best = [None] * len(numbers)
        if trace:
            tracemalloc.start()
        for k, path in enumerate(route_paths):
            table = build(load_routes(path))
            if trace and k == len(route_paths) - 1:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            for i, number in enumerate(numbers):
                cost = lookup(table, number)
                if cost is not None and (best[i] is None or cost < best[i]):
                    best[i] = cost
            del table
    except BadInput as e:
        sys.stderr.write("%s\n" % e)
        sys.exit(1)
    if trace:
        sys.stderr.write("routebench: heap_bytes=%d\n" % peak)
    sys.stdout.write("".join("+%s,%s\n" % (n, format_cost(c)) for n, c in zip(numbers, best)))
