#include "timing/clock.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

namespace isobench::detail::timing {

double steady_clock::now_s() {
  using namespace std::chrono;
  return duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double estimate_timer_overhead_s(clock& c, int rounds) {
  std::vector<double> d(static_cast<std::size_t>(rounds));
  for (auto& x : d) {
    const double t0 = c.now_s();
    x = c.now_s() - t0;
  }
  std::nth_element(d.begin(), d.begin() + rounds / 2, d.end());
  return d[static_cast<std::size_t>(rounds / 2)];
}

double estimate_clock_resolution_s(clock& c, int readings) {
  double best = 0.0;
  double last = c.now_s();
  for (int i = 0; i < readings; ++i) {
    const double now = c.now_s();
    const double d = now - last;
    if (d > 0.0 && (best == 0.0 || d < best)) best = d;
    last = now;
  }
  return best;
}

}  // namespace isobench::detail::timing
