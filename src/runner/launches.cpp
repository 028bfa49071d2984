#include "runner/launches.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "verdict/verdict.hpp"

namespace isobench::detail {

std::uint64_t launch_layout_seed(std::uint64_t seed, int index) noexcept {
  // ISOBENCH_LAYOUT=canonical: every launch in the canonical layout (a diagnostic, to see how much
  // of the between-launch spread the randomised layouts themselves add).
  static const bool canonical = [] {
    const char* v = std::getenv("ISOBENCH_LAYOUT");
    return v != nullptr && std::string_view(v) == "canonical";
  }();
  if (canonical) return 0;
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z == 0 ? 1 : z;  // 0 is the canonical layout
}

std::optional<std::string> stop_reason_for(const speedup_estimate& e, const run_settings& st) {
  if (!std::isfinite(e.speedup)) return std::nullopt;
  const double alpha = st.verdict.alpha;
  // A significant difference is concluded only over an even number of launches, at least 4: `ab`
  // alternates which worker starts first, and a process's start order can move a small kernel by
  // ~12% (README, "Layout"); three launches that happen to agree (two in one order) are the
  // commonest false alarm. Not significant yet: any count may stop (that adds no false alarm).
  if (e.p_value < alpha && (e.units < 4 || e.units % 2 == 1)) return std::nullopt;
  // Precise enough: the CI is as narrow as asked, and a change of the noise threshold would be
  // detected with 80% power (a CI target alone can stop where a real 2% change is not yet
  // significant at alpha 0.01 with few launches).
  const double mde = e.mde(alpha);
  if ((e.ci.high - e.ci.low) / 2.0 <= st.ci_half_width * e.speedup && std::isfinite(mde) &&
      mde <= std::max(st.verdict.noise_threshold, 0.005)) {
    return "ci_target_reached";
  }
  // A change already shown beyond the threshold: more launches would not change the verdict.
  const double a_k = alpha / static_cast<double>(st.judged_together);
  const double beyond = 1.0 + st.verdict.noise_threshold;
  if (e.p_value < a_k && (e.ci.low > beyond || e.ci.high < 1.0 / beyond)) return "change_decided";
  if (const auto& claim = st.verdict.claim) {
    // Decided once the claim is shown at alpha / workloads (Bonferroni: then Holm shows it too),
    // or once the CI lies below the bar.
    const double bar = claim->speedup * claim->tolerance;
    const bool faster = e.p_value < a_k && e.speedup > 1.0;
    const bool shown = claim_p_value(e, bar) < a_k && (claim->speedup <= 1.0 || faster);
    if (shown || e.ci.high < bar) return "claim_decided";
  }
  return std::nullopt;
}

namespace {

speedup_estimate estimate_of(const std::vector<timing::round_schedule>& launches) {
  std::vector<std::vector<double>> a, b;
  for (const auto& l : launches) {
    a.push_back(l.a_round_medians_s);
    b.push_back(l.b_round_medians_s);
  }
  return estimate_launches(a, b, 0.95);
}

}  // namespace

launch_series run_launches(const launch_fn& launch, const run_settings& st, timing::clock& c, std::uint64_t seed) {
  launch_series out;
  const double start = c.now_s();
  const double deadline = start + st.measure.base.max_time_s;
  int rounds = 0;
  for (int k = 0;; ++k) {
    timing::ab_policy p = st.measure;
    p.min_rounds = p.max_rounds = std::max(2, std::min(st.launch_rounds, st.measure.max_rounds - rounds));
    // A launch that has started gets its rounds (its setup may take much of the time left, and a
    // launch of one round estimates nothing); max_time_s decides whether another one starts.
    p.base.max_time_s = st.measure.base.max_time_s;
    out.launches.push_back(launch(k, launch_layout_seed(seed, k), p));
    rounds += static_cast<int>(out.launches.back().a_round_medians_s.size());
    const int n = k + 1;
    if (n < 2) continue;
    out.estimate = estimate_of(out.launches);
    if (n >= st.min_launches && rounds >= st.measure.min_rounds) {
      if (auto reason = stop_reason_for(out.estimate, st)) {
        out.stop_reason = *reason;
        break;
      }
    }
    if (n >= st.max_launches) {
      out.stop_reason = "max_launches";
      break;
    }
    if (rounds >= st.measure.max_rounds) {
      out.stop_reason = "max_rounds";
      break;
    }
    if (c.now_s() >= deadline && n >= std::min(st.min_launches, 2)) {
      out.stop_reason = "max_time";
      break;
    }
  }
  out.wall_s = c.now_s() - start;
  return out;
}

void absorb_launch(timing::measurement& total, const timing::measurement& launch) {
  total.samples_s.insert(total.samples_s.end(), launch.samples_s.begin(), launch.samples_s.end());
  total.batch = launch.batch;
  total.warmup_calls += launch.warmup_calls;
  total.calibration_calls += launch.calibration_calls;
  total.measured_calls += static_cast<std::int64_t>(launch.samples_s.size()) * launch.batch;
  total.timed_s += launch.timed_s;
  total.wall_s += launch.wall_s;
}

}  // namespace isobench::detail
