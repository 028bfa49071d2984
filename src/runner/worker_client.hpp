#pragma once
// The driver's end of one build's worker process (`isobench ab`): it starts `<exe> worker`, speaks
// the worker protocol (runner/worker_protocol.hpp) to it with a deadline on every answer, and takes
// part in interleaved rounds as one side (timing::round_side). Every failure becomes an
// isobench::error that names the build and says what happened (its exit status and the end of its
// stderr); the process is asked to quit, or killed, when the client goes.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/line_process.hpp"
#include "runner/worker_protocol.hpp"
#include "timing/interleave.hpp"

namespace isobench::detail {

class worker_client final : public timing::round_side {
public:
  // `role`: "base" or "head", for messages; `slack_s`: seconds an answer may take beyond its
  // expected time; `extra_env`: NAME=VALUE added to the worker's environment.
  worker_client(std::string role, const std::filesystem::path& exe, double slack_s,
                const std::vector<std::string>& extra_env = {});
  // Starts `run` (a launch's copy of the build, runner/executable_copy.hpp); messages name `exe`.
  worker_client(std::string role, const std::filesystem::path& run, const std::filesystem::path& exe, double slack_s,
                const std::vector<std::string>& extra_env);
  ~worker_client() override;
  worker_client(const worker_client&) = delete;
  worker_client& operator=(const worker_client&) = delete;

  // The build's identity (environment fingerprint and executable).
  nlohmann::json hello();
  // The setup sent by the next prepare(), which may take `max_time_s` (plus the slack).
  void setup(const worker_protocol::setup_request& r, double max_time_s);
  // The kernel's outputs, written by the worker to `file` (safetensors), and what it says of its run.
  worker_protocol::outputs_answer outputs(const std::string& file);

  double prepare(double deadline_s) override;
  std::vector<double> round(int samples) override;
  [[nodiscard]] std::int64_t batch() const override { return m_m.batch; }
  void use_batch(std::int64_t batch) override { m_m.batch = batch; }

  timing::measurement& measurement() { return m_m; }
  // Coordination overhead: the share of the driver's round time not spent in the worker's round.
  [[nodiscard]] double overhead_fraction() const { return m_round_s > 0.0 ? m_overhead_s / m_round_s : 0.0; }
  [[nodiscard]] const worker_protocol::setup_answer& setup_answer() const { return m_setup_answer; }

private:
  // One message and its answer within `timeout_s`; a failure answer is thrown with its exit code.
  nlohmann::json call(const nlohmann::json& msg, double timeout_s);
  [[noreturn]] void fail(const std::string& what);

  std::string m_role, m_exe;
  line_process m_proc;
  double m_slack_s;
  worker_protocol::setup_request m_setup;
  worker_protocol::setup_answer m_setup_answer;
  double m_setup_timeout_s = 60.0;
  double m_round_s = 0.0, m_overhead_s = 0.0;
  timing::measurement m_m;
};

}  // namespace isobench::detail
