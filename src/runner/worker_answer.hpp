#pragma once
// The driver's side of the worker protocol (runner/worker.hpp): every check `isobench ab` makes on
// a line a worker wrote, as functions of the text alone, so they are tested and fuzzed without a
// process. A worker is another build, maybe an older or broken one: nothing it writes may crash
// or mislead the driver.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "isobench/kernel.hpp"

namespace isobench {

// An answer that breaks the protocol, saying what was wrong; the driver adds which build it was
// and the end of its stderr.
class worker_protocol_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// One line answering `op`: JSON of this protocol version with "ok": true. An error answer
// ("ok": false) throws isobench::error with the worker's exit code (internal_error unless it is
// one of ours) and its message after `who` ("base build (path)").
nlohmann::json read_worker_answer(std::string_view line, std::string_view op, std::string_view who);

struct worker_setup_answer {
  std::int64_t batch = 1;  // calls per sample
  int warmup_calls = 0;
  std::int64_t calibration_calls = 0;
  double sample_s = 0.0;     // one sample's expected time
  std::string compiled_isa;  // "" when not given
  std::optional<double> flops, bytes;
};
worker_setup_answer read_setup_answer(const nlohmann::json& answer);

struct worker_round_answer {
  std::vector<double> samples_s;  // exactly the samples asked for: positive, finite per-call seconds
  std::optional<double> round_s;  // the worker's own wall time of the round
};
worker_round_answer read_round_answer(const nlohmann::json& answer, int samples);

struct worker_outputs_answer {
  bool opt_path_hit = true;
  std::string isa;  // "" when not given
  std::vector<counter> counters;
};
worker_outputs_answer read_outputs_answer(const nlohmann::json& answer);

}  // namespace isobench
