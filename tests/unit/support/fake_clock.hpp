#pragma once
// A clock that moves only when told to, so measurement loops make exactly predictable decisions.

#include "timing/clock.hpp"

namespace isobench::detail::testing {

class fake_clock final : public timing::clock {
public:
  double now_s() override { return m_now; }
  void advance(double s) { m_now += s; }

private:
  double m_now = 1000.0;
};

}  // namespace isobench::detail::testing
