#!/usr/bin/env python3
"""Which physical page each worker's arena got, launch by launch (README "Layout", item 5).

Not a test. Run selfcheck (or ab) with ISOBENCH_PLACEMENT_LOG set, as root (only root sees
physical frames), then give this script the selfcheck --json file and the log:

  ISOBENCH_PLACEMENT_LOG=/tmp/frames.log isobench selfcheck --mode builds --class rmsnorm_l2 \
      --effects 0 --comparisons 60 --threshold 0.01 --pin-cpu 1 --json /tmp/aa.json
  tests/bench/arena_frames.py /tmp/aa.json /tmp/frames.log

Per scenario it prints how many distinct arena frames the workers got, how often the worker that
started first sat on the same frame as in the verdict's first launch, and the launch speedups split
by start order: half the difference between base-first and head-first launches (what the frame and
the start order move together) and the spread of the order-balanced estimate between verdicts.
Standard library only.
"""
import collections
import json
import math
import re
import statistics
import sys


def read_log(path):
    """{ab driver pid: {launch: {role: arena_frame}}}, in the order the drivers ran."""
    drivers = collections.OrderedDict()
    with open(path) as f:
        for line in f:
            fields = dict(x.split("=", 1) for x in line.split() if "=" in x)
            m = re.search(r"isobench-ab-(\d+)-\w+/\d+_(base|head)-(\d+)$", fields.get("exe", ""))
            if m:
                launch = drivers.setdefault(m.group(1), {}).setdefault(int(m.group(3)), {})
                launch[m.group(2)] = fields.get("arena_frame")
    return drivers


def summarise(scenario, launches_by_verdict):
    frames, same, total, halves, balanced = set(), 0, 0, [], []
    for verdict, launches in zip(scenario["verdicts"], launches_by_verdict):
        # Launch k starts the base first when k is even (src/runner/ab.cpp).
        first = [launches[k].get("base" if k % 2 == 0 else "head") for k in sorted(launches)]
        total += len(first)
        same += sum(1 for f in first if f == first[0])
        for roles in launches.values():
            frames.update(roles.values())
        y = [math.log(s) for s in verdict["launch_speedups"]]
        even, odd = y[0::2], y[1::2]
        if even and odd:
            halves.append(abs(statistics.mean(even) - statistics.mean(odd)) / 2)
            balanced.append((statistics.mean(even) + statistics.mean(odd)) / 2)
    print(f"{scenario['class']} (effect {scenario['effect']:g}): {len(launches_by_verdict)} verdicts, {total} launches, "
          f"{len(frames)} distinct arena frames; the first-started worker on its verdict's first frame in {same}/{total}")
    if halves:
        print(f"  start order (and frame) effect, half the base-first vs head-first difference: "
              f"median {100 * statistics.median(halves):.2f}%, max {100 * max(halves):.2f}%")
        print(f"  order-balanced estimate between verdicts: sd {100 * statistics.pstdev(balanced):.2f}%, "
              f"max |.| {100 * max(map(abs, balanced)):.2f}%")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    with open(argv[1]) as f:
        result = json.load(f)
    drivers = list(read_log(argv[2]).values())
    at = 0
    for scenario in result["scenarios"]:
        n = len(scenario["verdicts"])
        summarise(scenario, drivers[at:at + n])
        at += n


if __name__ == "__main__":
    main(sys.argv)
