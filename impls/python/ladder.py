"""ladder.py - measure the Python ladder: each step's tracemalloc peak (heap_bytes) and the
kernel's peak RSS at several sizes of generated routes, as CSV.

Each step runs twice per size in a child process, niced, under an address-space limit:
once with RB_TRACEMALLOC=1 for heap_bytes (tracemalloc's own bookkeeping would inflate the
RSS), once without for peak RSS, read from that child's wait4() rusage. rss_per_route
subtracts the same step's peak RSS on a one-route file (the interpreter itself). Cost: the
1M-route runs take minutes and up to a few GB. Lesson: the figures the post quotes are
measurable in a minute's work, and worth measuring before believing.

usage: python3 ladder.py ROUTEBENCH [--sizes 1000,10000,...] [--numbers N] [--mem-kb KB]
                         [-o OUT.csv] [--steps 1,2,...] [--work DIR]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def steps():
    return sorted(f for f in os.listdir(HERE) if f[0].isdigit() and f.endswith(".py"))


def run(step, numbers, routes, mem_kb, trace):
    """(heap_bytes or None, peak RSS bytes, seconds) of one run of step."""
    env = dict(os.environ, RB_TRACEMALLOC="1" if trace else "0")

    def limit():
        os.nice(10)
        resource.setrlimit(resource.RLIMIT_AS, (mem_kb * 1024, mem_kb * 1024))

    start = time.monotonic()
    p = subprocess.Popen([sys.executable, os.path.join(HERE, step), numbers, routes],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                         preexec_fn=limit)
    err = p.stderr.read().decode()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    if p.returncode != 0:
        raise RuntimeError("%s on %s: exit %d: %s" % (step, routes, p.returncode, err.strip()))
    heap = None
    for line in err.splitlines():
        if line.startswith("routebench: heap_bytes="):
            heap = int(line.split("=", 1)[1])
    return heap, ru.ru_maxrss * 1024, seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("routebench")
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--numbers", type=int, default=100)
    ap.add_argument("--mem-kb", type=int, default=8000000)
    ap.add_argument("--steps", default="")
    ap.add_argument("--work", default="")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    chosen = [s for s in steps() if not a.steps or s.split("_")[0] in a.steps.split(",")]
    work = a.work or tempfile.mkdtemp(prefix="rb-ladder-")
    one = os.path.join(work, "one.txt")
    with open(one, "w") as f:
        f.write("+1415,0.01\n")
    out = sys.stdout if a.output == "-" else open(a.output, "w")
    out.write("step,routes,heap_bytes,heap_bytes_per_route,peak_rss_bytes,"
              "rss_bytes_per_route,seconds\n")
    numbers = os.path.join(work, "numbers.txt")
    base = {}
    for size in [int(s) for s in a.sizes.split(",")]:
        routes = os.path.join(work, "routes-%d.txt" % size)
        subprocess.run([a.routebench, "gen", "routes", "--count", str(size), "-o", routes],
                       check=True)
        subprocess.run([a.routebench, "gen", "numbers", "--count", str(a.numbers), "--routes",
                        routes, "-o", numbers], check=True)
        for step in chosen:
            if step not in base:
                base[step] = run(step, numbers, one, a.mem_kb, False)[1]
            heap = run(step, numbers, routes, a.mem_kb, True)[0]
            _, rss, seconds = run(step, numbers, routes, a.mem_kb, False)
            out.write("%s,%d,%d,%.1f,%d,%.1f,%.2f\n" % (step[:-3], size, heap, heap / size, rss,
                                                        (rss - base[step]) / size, seconds))
            out.flush()
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
