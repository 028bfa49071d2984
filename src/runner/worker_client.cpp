#include "runner/worker_client.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace isobench::detail {

namespace wp = worker_protocol;

worker_client::worker_client(std::string role, const std::filesystem::path& exe, double slack_s,
                             const std::vector<std::string>& extra_env)
    : worker_client(std::move(role), exe, exe, slack_s, extra_env) {}

worker_client::worker_client(std::string role, const std::filesystem::path& run, const std::filesystem::path& exe,
                             double slack_s, const std::vector<std::string>& extra_env)
    : m_role(std::move(role)), m_exe(exe.string()), m_proc({run.string(), "worker"}, extra_env), m_slack_s(slack_s) {}

worker_client::~worker_client() {
  if (m_proc.status() == "running" && m_proc.send(wp::quit_message().dump())) {
    try {
      (void)m_proc.receive(5.0);
    } catch (const error&) {
    }
  }
}

nlohmann::json worker_client::call(const nlohmann::json& msg, double timeout_s) {
  const auto op = wp::op_of(msg);
  if (!m_proc.send(msg.dump())) fail(fmt::format("stopped reading before '{}'", op));
  std::optional<std::string> line;
  try {
    line = m_proc.receive(timeout_s);
  } catch (const io_error& e) {
    m_proc.kill();
    fail(fmt::format("{} (during '{}'); killed", e.what(), op));
  }
  if (!line) {
    m_proc.kill(2.0, "it closed its output but had not exited 2 s later");
    fail(fmt::format("ended during '{}': {}", op, m_proc.status()));
  }
  try {
    return wp::read_answer(*line, op, fmt::format("{} build ({})", m_role, m_exe));
  } catch (const wp::violation& e) {
    fail(e.what());
  }
}

nlohmann::json worker_client::hello() {
  return wp::read_hello(call(wp::hello_message(), m_slack_s));
}

void worker_client::setup(const wp::setup_request& r, double max_time_s) {
  m_setup = r;
  m_setup_timeout_s = max_time_s + m_slack_s;
}

double worker_client::prepare(double /*deadline_s*/) {
  const auto r = call(wp::setup_message(m_setup), m_setup_timeout_s);
  try {
    m_setup_answer = wp::read_setup_answer(r);
  } catch (const wp::violation& e) {
    fail(e.what());
  }
  m_m.batch = m_setup_answer.batch;
  m_m.warmup_calls = m_setup_answer.warmup_calls;
  m_m.calibration_calls = m_setup_answer.calibration_calls;
  return m_setup_answer.sample_s;
}

std::vector<double> worker_client::round(int samples) {
  // Generous: ten times the expected round (one re-warming batch + the samples), plus slack.
  const double expected_s = (samples + 1) * std::max(m_setup_answer.sample_s, 1e-6);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = call(wp::round_message({samples, m_m.batch}), 10.0 * expected_s + m_slack_s);
  // What the round cost the driver beyond the worker's own round: messages and scheduling.
  const double seen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  wp::round_answer a;
  try {
    a = wp::read_round_answer(r, samples);
  } catch (const wp::violation& e) {
    fail(e.what());
  }
  m_round_s += seen_s;
  m_overhead_s += std::max(0.0, seen_s - a.round_s.value_or(seen_s));
  for (double x : a.samples_s) {
    m_m.timed_s += x * static_cast<double>(m_m.batch);
    m_m.samples_s.push_back(x);
  }
  m_m.calibration_calls += m_m.batch;  // the worker's untimed re-warming batch
  return a.samples_s;
}

wp::outputs_answer worker_client::outputs(const std::string& file) {
  return wp::read_outputs_answer(call(wp::outputs_message(file), m_slack_s));
}

void worker_client::fail(const std::string& what) {
  const auto tail = m_proc.stderr_tail();
  throw error(exit_code::internal_error, fmt::format("{} build ({}) {}{}", m_role, m_exe, what,
                                                     tail.empty() ? std::string() : fmt::format("; stderr: {}", tail)));
}

}  // namespace isobench::detail
