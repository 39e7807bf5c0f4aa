#!/usr/bin/env python3
"""Times command lines interleaved, for a machine whose speed drifts: every round runs each entry once, in a new
random order (fixed seed), so that a slow minute slows every entry alike; the first WARMUP rounds are not kept.

usage: interleaved.py ROUNDS WARMUP SPEC
  SPEC  one JSON object per line: {"name": ..., "label": ..., "argv": [...], "prepare": [...] or null}
        (prepare: run untimed right before each timed run of argv, e.g. the opposite verb)
Prints {name: {label: [milliseconds, ...]}} as JSON on stdout. A run that exits non-zero stops everything, with its
standard error. A timed run is the wall time of fork, exec and wait of one process (no shell), as hyperfine -N times it.
"""
import json
import random
import subprocess
import sys
import time


def run(argv):
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit("failed (exit %d): %s\n%s" % (r.returncode, " ".join(argv), r.stderr.decode(errors="replace")[-2000:]))


def main():
    rounds, warmup, spec = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with open(spec) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    times = {}
    order = random.Random(14)
    for k in range(warmup + rounds):
        this_round = entries[:]
        order.shuffle(this_round)
        for e in this_round:
            if e.get("prepare"):
                run(e["prepare"])
            start = time.perf_counter_ns()
            run(e["argv"])
            ms = (time.perf_counter_ns() - start) / 1e6
            if k >= warmup:
                times.setdefault(e["name"], {}).setdefault(e["label"], []).append(ms)
    json.dump(times, sys.stdout)


if __name__ == "__main__":
    main()
