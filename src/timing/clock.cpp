#include "timing/clock.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

namespace isobench::timing {

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

}  // namespace isobench::timing
