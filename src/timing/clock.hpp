#pragma once
// The time source behind the measurement loop. The host uses std::chrono::steady_clock; tests use
// a fake; device backends time with their own events but keep this interface for wall time.

namespace isobench::timing {

class clock {
public:
  clock() = default;
  clock(const clock&) = delete;
  clock& operator=(const clock&) = delete;
  virtual ~clock() = default;
  virtual double now_s() = 0;
};

class steady_clock final : public clock {
public:
  double now_s() override;
};

// Median cost of one now_s() pair on this clock: what a sample pays for being timed.
double estimate_timer_overhead_s(clock& c, int rounds = 2001);

}  // namespace isobench::timing
