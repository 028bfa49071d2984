#pragma once
// The time source behind the measurement loop. The host uses std::chrono::steady_clock; tests use
// a fake; device backends time with their own events but keep this interface for wall time.

#include <functional>

namespace isobench::detail::timing {

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

// Times one sample of work. The host reads a clock around it; a device backend records events on
// its stream around it and waits for them.
class sample_timer {
public:
  sample_timer() = default;
  sample_timer(const sample_timer&) = delete;
  sample_timer& operator=(const sample_timer&) = delete;
  virtual ~sample_timer() = default;
  virtual double time_s(const std::function<void()>& work) = 0;
};

// Median cost of one now_s() pair on this clock: what a sample pays for being timed.
double estimate_timer_overhead_s(clock& c, int rounds = 2001);
// The clock's tick: the smallest positive difference between two readings. Paravirtual clocks tick
// coarsely (kvm-clock: ~10 ns), and a 1.5 us sample then carries 0.7% of quantisation.
double estimate_clock_resolution_s(clock& c, int readings = 20001);

}  // namespace isobench::detail::timing
