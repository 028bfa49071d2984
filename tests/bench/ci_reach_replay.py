#!/usr/bin/env python3
"""Replays recorded selfcheck verdicts under another labelling rule (README "Evidence").

Not a test. For each scenario of each `isobench selfcheck --json` file given, counts the verdicts
flagged as ab labelled them and as they would be under the "CI reaches past the threshold" rule: a
change is called when p < alpha, the launches do not lean the other way, and the CI's far end lies
beyond the noise threshold on the estimate's side (the change may be as large as the threshold,
rather than the estimate itself being that large). The stopping of each verdict is the one that
ran, so this approximates what the rule would give. Standard library only.

  tests/bench/ci_reach_replay.py aa.json plus1.json ...
"""
import json
import sys


def replay(path):
    with open(path) as f:
        result = json.load(f)
    alpha, threshold = result["alpha"], result["noise_threshold"]
    for s in result["scenarios"]:
        labelled = reach = 0
        for v in s["verdicts"]:
            labelled += v["verdict"] in ("IMPROVED", "REGRESSED")
            if v["p_value"] >= alpha or "lean the other way" in v["reason"]:
                continue
            if v["speedup"] > 1.0:
                reach += v["ci_high"] >= 1.0 + threshold
            else:
                reach += v["ci_low"] <= 1.0 / (1.0 + threshold)
        n = len(s["verdicts"])
        print(f"{path}: {s['class']} effect {s['effect']:g}, threshold {threshold:g}: "
              f"flagged {labelled}/{n} as labelled, {reach}/{n} with the CI-reach rule")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        replay(p)
