#include "env/affinity.hpp"

#include <sched.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "isobench/error.hpp"

namespace isobench::detail {

std::vector<int> parse_cpu_list(const std::string& text) {
  std::vector<int> out;
  std::string_view rest = text;
  auto number = [&](std::string_view s) {
    int v = -1;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 0 || v >= CPU_SETSIZE) {
      throw config_error(
          fmt::format("--pin-cpu '{}': expected CPU numbers like 3, 2-3 or 0,2-3 (this process may "
                      "run on CPUs {})",
                      text, current_affinity()));
    }
    return v;
  };
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto item = rest.substr(0, comma);
    const auto dash = item.find('-');
    const int lo = number(item.substr(0, dash));
    const int hi = dash == std::string_view::npos ? lo : number(item.substr(dash + 1));
    if (hi < lo) throw config_error(fmt::format("--pin-cpu '{}': range {} is reversed", text, item));
    for (int c = lo; c <= hi; ++c) out.push_back(c);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (out.empty()) throw config_error("--pin-cpu: no CPU given");
  return out;
}

void pin_to_cpus(const std::vector<int>& cpus) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
    for (int c : cpus) {
      if (!CPU_ISSET(c, &allowed)) {
        throw error(
            exit_code::unsupported,
            fmt::format("--pin-cpu: CPU {} is not available; this process may run on CPUs {}", c, current_affinity()));
      }
    }
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) CPU_SET(c, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    // EINVAL: none of them is a CPU this process may run on; say which ones it may.
    const int err = errno;
    throw error(exit_code::unsupported,
                fmt::format("--pin-cpu {}: cannot pin: {}; this process may run on CPUs {}", fmt::join(cpus, ","),
                            err == EINVAL ? "no such CPU available" : std::strerror(err), current_affinity()));
  }
}

std::string current_affinity() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return "?";
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return fmt::format("{}", fmt::join(cpus, ","));
}

}  // namespace isobench::detail
