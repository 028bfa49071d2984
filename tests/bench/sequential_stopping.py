#!/usr/bin/env python3
"""Why an A/A verdict of a tiny kernel is a little too often significant (README "Statistics").

Not a test: a simulation of the launch loop on synthetic launches (no numpy needed, ~2 min).
Each launch's log speedup = effect + N(0, tau) (where memory landed) + N(0, within) (its rounds),
and in the mixture rows a start-order effect of the two workers (see `cases`);
the estimate is src/stats/random_effects.cpp (DerSimonian-Laird tau^2, Hartung-Knapp SE with
max(q, 1), Student's t at K-1 df) and the stopping rule is stop_reason_for in
src/runner/launches.cpp (3..20 launches, CI half-width <= 1% and MDE <= threshold, or a change
decided beyond the threshold; a significant estimate only at an even count of 4 or more). Rows
compare that rule with the version before, a fixed number of launches and the alternatives
considered. Usage: tests/bench/sequential_stopping.py [REPS] [SEED]
"""
import math
import random
import sys


def _betacf(a, b, x):
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
    h = d
    for m in range(1, 300):
        for aa in (m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m)),
                   -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
            c = 1.0 + aa / (c if abs(c) > 1e-300 else 1e-300)
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _ibeta(a, b, x):
    if x <= 0.0 or x >= 1.0:
        return 0.0 if x <= 0.0 else 1.0
    bt = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    return bt * _betacf(a, b, x) / a if x < (a + 1) / (a + b + 2) else 1.0 - bt * _betacf(b, a, 1 - x) / b


def t_sf(t, df):
    p = 0.5 * _ibeta(df / 2.0, 0.5, df / (df + t * t))
    return p if t > 0 else 1.0 - p


_quantiles = {}


def t_quantile(p, df):
    if (p, df) not in _quantiles:
        lo, hi = 0.0, 1000.0
        for _ in range(100):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if 1.0 - t_sf(mid, df) < p else (lo, mid)
        _quantiles[(p, df)] = lo
    return _quantiles[(p, df)]


def random_effects(y, v):
    """Mirror of stats::random_effects: (estimate, se, df, p, tau2)."""
    k = len(y)
    w = [1.0 / max(x, 1e-12) for x in v]
    sw, sw2 = sum(w), sum(x * x for x in w)
    fixed = sum(a * b for a, b in zip(w, y)) / sw
    q = sum(a * (b - fixed) ** 2 for a, b in zip(w, y))
    c = sw - sw2 / sw
    tau2 = max(0.0, (q - (k - 1)) / c) if c > 0 else 0.0
    w = [1.0 / (max(x, 1e-12) + tau2) for x in v]
    sws = sum(w)
    est = sum(a * b for a, b in zip(w, y)) / sws
    q_hk = sum(a * (b - est) ** 2 for a, b in zip(w, y)) / (k - 1)
    se = math.sqrt(max(q_hk, 1.0) / sws)
    return est, se, k - 1, min(1.0, 2.0 * t_sf(abs(est / se), k - 1)), tau2


ALPHA, THRESHOLD, HALF_WIDTH, MIN_LAUNCHES, MAX_LAUNCHES = 0.01, 0.02, 0.01, 3, 20


def sequential(draw, within, min_for_ci_stop=MIN_LAUNCHES, balanced=True):
    """run_launches with stop_reason_for; returns (p, launches). balanced: a significant estimate
    stops only at an even number of launches >= 4 (this version); False: the version before."""
    y = [draw(k) for k in range(MIN_LAUNCHES)]
    while True:
        est, se, df, p, _ = random_effects(y, [within * within] * len(y))
        half = t_quantile(0.975, df) * se
        mde = math.expm1((t_quantile(1 - ALPHA / 2, df) + t_quantile(0.8, df)) * se)
        may_stop = not (balanced and p < ALPHA and (len(y) < 4 or len(y) % 2 == 1))
        if may_stop and len(y) >= min_for_ci_stop and half <= HALF_WIDTH and mde <= max(THRESHOLD, 0.005):
            return p, len(y)
        beyond = 1 + THRESHOLD
        if may_stop and p < ALPHA and (math.exp(est - half) > beyond or math.exp(est + half) < 1 / beyond):
            return p, len(y)
        if len(y) >= MAX_LAUNCHES:
            return p, len(y)
        y.append(draw(len(y)))


def fixed(draw, within, k):
    y = [draw(i) for i in range(k)]
    return random_effects(y, [within * within] * k)[3], k


def two_stage(draw, within, pilot=MIN_LAUNCHES):
    """Stein: the pilot sets how many launches follow; only those are tested (exact, less power)."""
    y = [draw(i) for i in range(pilot)]
    per_launch = random_effects(y, [within * within] * pilot)[1] * math.sqrt(pilot)
    n = MAX_LAUNCHES - pilot
    for k in range(2, MAX_LAUNCHES - pilot + 1):
        se = per_launch / math.sqrt(k)
        if (t_quantile(1 - ALPHA / 2, k - 1) + t_quantile(0.8, k - 1)) * se <= math.log1p(THRESHOLD) and \
                t_quantile(0.975, k - 1) * se <= HALF_WIDTH:
            n = k
            break
    y = [draw(pilot + i) for i in range(n)]
    return random_effects(y, [within * within] * n)[3], pilot + n


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    designs = [("sequential (isobench)", lambda d, w: sequential(d, w)),
               ("sequential, version before", lambda d, w: sequential(d, w, balanced=False)),
               ("fixed 20 launches", lambda d, w: fixed(d, w, 20)),
               ("ci stop from 6 launches", lambda d, w: sequential(d, w, 6, balanced=False)),
               ("two-stage, pilot discarded", two_stage)]
    # (tau, within, effect, start-order mixture): with the mixture, each worker of a launch is slow
    # by 12% with probability 0.1 (started first) or 0.45 (started second), the order alternating:
    # what silu_and_mul 2 x 1024 launches look like on the Zen 5 VM (README, "Layout").
    cases = [(0.02, 0.002, 0.0, False), (0.01, 0.002, 0.0, False), (0.01, 0.002, 0.02, False),
             (0.001, 0.002, 0.0, False), (0.001, 0.0005, 0.01, False), (0.005, 0.003, 0.0, True),
             (0.005, 0.003, 0.02, True)]
    print(f"{reps} verdicts per row; alpha {ALPHA}, threshold {THRESHOLD:.0%}; tau = between-launch spread, "
          "within = a launch's own SE")
    print(f"{'design':28} {'tau':>6} {'within':>7} {'effect':>7} {'mixture':>7} {'p<alpha':>8} {'launches':>9}")
    for name, design in designs:
        for tau, within, effect, mixture in cases:
            def draw(k):
                y = math.log1p(effect) + random.gauss(0, tau) + random.gauss(0, within)
                if mixture:
                    base_first = k % 2 == 0
                    y += math.log(1.12) * ((random.random() < (0.1 if base_first else 0.45)) -
                                           (random.random() < (0.45 if base_first else 0.1)))
                return y
            hits = launches = 0
            for _ in range(reps):
                p, k = design(draw, within)
                hits += p < ALPHA
                launches += k
            print(f"{name:28} {tau:6.1%} {within:7.2%} {effect:+7.0%} {'yes' if mixture else 'no':>7} "
                  f"{hits / reps:8.2%} {launches / reps:9.1f}", flush=True)


if __name__ == "__main__":
    main()
