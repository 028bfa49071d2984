#pragma once
// The worker protocol: how `isobench ab`'s driver (runner/ab.cpp) talks to one build's worker
// (runner/worker.cpp), in JSON lines on the worker's stdin/stdout (nothing else is written to its
// stdout). Both sides build and read every message here. Each message carries the protocol version,
// and a mismatch is answered with a clear error instead of a guess.
//
//   -> {"isobench_worker": 1, "op": "hello"}
//   <- {"isobench_worker": 1, "ok": true, "identity": {environment fingerprint + executable}}
//   -> {"isobench_worker": 1, "op": "setup", "spec": PATH, "workload": NAME, "implementation": NAME,
//       "device": "cpu"|"cuda"|"auto" (optional), "cache": "warm"|"cold" (optional),
//       "layout_seed": N (optional; the arena's layout, core/placement.hpp; 0 or absent: canonical)}
//   <- {..., "ok": true, "sample_s": S, "batch": N, "warmup_calls": N, "calibration_calls": N,
//       "implementation": NAME, "compiled_isa": ISA, "flops": F|null, "bytes": B|null}
//   -> {..., "op": "round", "samples": K, "batch": B (calls per sample, the same on both builds)}
//   <- {..., "ok": true, "samples_s": [per-call seconds x K], "round_s": the round's own wall time}
//   -> {..., "op": "outputs", "file": PATH}      (the outputs, written as safetensors)
//   <- {..., "ok": true, "opt_path_hit": B, "isa": S, "counters": {...}}
//   -> {..., "op": "quit"}
// Any failure: <- {..., "ok": false, "code": EXIT_CODE, "message": TEXT}, and the worker exits.
//
// The driver's checks on a line a worker wrote are functions of the text alone, so they are tested
// and fuzzed without a process. A worker is another build, maybe an older or broken one: nothing it
// writes may crash or mislead the driver.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "isobench/error.hpp"
#include "isobench/kernel.hpp"
#include "spec/spec.hpp"

namespace isobench::detail::worker_protocol {

inline constexpr int version = 1;

// The version a message carries; -1 when it carries none.
int version_of(const nlohmann::json& message);

// An answer the driver cannot use (it breaks the protocol); what() says what was wrong ("answered
// 'round' without its samples"), for the driver to add which build it was and the end of its stderr.
class violation : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// --- driver -> worker ---------------------------------------------------------------------------

struct setup_request {
  std::string spec, workload, implementation;
  std::optional<device_request> device;
  std::optional<cache_mode> cache;  // an unknown name reads as none (the spec decides)
  std::uint64_t layout_seed = 0;
};

struct round_request {
  int samples = 0;
  std::optional<std::int64_t> batch;
};

nlohmann::json hello_message();
nlohmann::json setup_message(const setup_request& r);
nlohmann::json round_message(const round_request& r);
nlohmann::json outputs_message(const std::string& file);
nlohmann::json quit_message();

// The operation a message asks for (its "op").
std::string op_of(const nlohmann::json& message);
// The worker's reading of requests; a malformed one throws (config_error or the JSON library's).
setup_request read_setup(const nlohmann::json& message);
round_request read_round(const nlohmann::json& message);
std::string read_outputs(const nlohmann::json& message);

// --- worker -> driver ---------------------------------------------------------------------------

struct setup_answer {
  double sample_s = 0.0;
  std::int64_t batch = 1;
  int warmup_calls = 0;
  std::int64_t calibration_calls = 0;
  std::string implementation, compiled_isa;
  std::optional<double> flops, bytes;
};

struct round_answer {
  std::vector<double> samples_s;  // exactly the samples asked for: positive, finite per-call seconds
  std::optional<double> round_s;  // the worker's own wall time of the round
};

struct outputs_answer {
  bool opt_path_hit = true;
  std::string isa;
  std::vector<counter> counters;
};

nlohmann::json hello_answer(const nlohmann::json& identity);
nlohmann::json setup_answer_message(const setup_answer& a);
nlohmann::json round_answer_message(const round_answer& a);
nlohmann::json outputs_answer_message(const outputs_answer& a);
nlohmann::json quit_answer();
nlohmann::json failure_answer(int code, const std::string& message);

// A failure answer's exit code (internal_error unless it is one a worker exits with) and message;
// nullopt when the answer says ok.
struct failure {
  exit_code code = exit_code::internal_error;
  std::string message;
};
std::optional<failure> failure_of(const nlohmann::json& answer);

// One line answering `op`: JSON of this protocol version with "ok": true, else violation. A
// failure answer ("ok": false) throws isobench::error with the worker's exit code (failure_of) and
// its message after `who` ("base build (path)").
nlohmann::json read_answer(std::string_view line, std::string_view op, std::string_view who);

// The driver's reading of answers; anything the protocol requires and the answer lacks (or has
// impossible values for: integers are range-checked, times positive and finite) throws violation.
// Optional fields of another type are ignored. `samples`: the number the round asked for.
nlohmann::json read_hello(const nlohmann::json& answer);
setup_answer read_setup_answer(const nlohmann::json& answer);
round_answer read_round_answer(const nlohmann::json& answer, int samples);
outputs_answer read_outputs_answer(const nlohmann::json& answer);

}  // namespace isobench::detail::worker_protocol
