#pragma once
// A suite: many cases, each one spec run in a child process (suite_runner.hpp). Three inputs:
//   - a torchao microbenchmark config (YAML): model_params x matrix_shapes x quantization recipes
//     x sparsity recipes, each recipe run interleaved against `baseline` (torchao_config.cpp);
//   - a JSON list of spec files: {"name", "specs": ["a.json", ...]};
//   - JSON benchmarks with parameters: {"name", "benchmarks": [{"name": "op.impl", "params": {...},
//     "baseline": "op.impl"}]} (json_suite.cpp).
// Everything is checked when the suite loads, before any case runs. A case the machine cannot run
// (no CUDA device, no kernel for a recipe torchao knows) is kept with its skip reason.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "isobench/registry.hpp"

namespace isobench::detail {

inline constexpr std::size_t suite_max_bytes = std::size_t{4} << 20;
inline constexpr std::size_t suite_max_cases = 10000;

struct suite_case {
  std::string id;  // unique and file-name safe: "<name>.<shape>.<quantization>.<sparsity>"
  // torchao's identity columns, as the config spelled them ("" when they do not apply).
  std::string name, quantization, sparsity, high_precision_dtype, torch_compile_mode, device, model_type;
  std::optional<std::int64_t> m, k, n;
  bool enable_profiler = false, enable_memory_profiler = false;
  nlohmann::json spec;              // the spec this case runs (JSON suites of spec files: the file's)
  std::filesystem::path spec_file;  // a listed spec file, run as it is
  bool baseline_only = false;       // torchao's baseline recipe: one implementation, speedup 1
  std::string skip_reason;          // not empty: skipped (capability), never started
};

struct suite {
  std::string name;
  std::string source;  // the file
  std::string kind;    // torchao, specs, benchmarks
  std::filesystem::path output_dir;
  std::vector<suite_case> cases;
  std::vector<std::string> notes;  // keys accepted but not applicable to a C++ harness, and similar
};

struct suite_environment {
  bool cuda_available = false;
  std::string cuda_reason;  // why not
};

// By extension: .yaml/.yml torchao, .json ours. Throws config_error (exit 6) naming the file, the
// key and what was expected.
suite load_suite(const std::filesystem::path& file, const registry& reg, const suite_environment& env);

suite load_torchao_suite(const std::string& text, const std::string& source, const registry& reg,
                         const suite_environment& env);
suite load_json_suite(const std::string& text, const std::filesystem::path& file, const registry& reg,
                      const suite_environment& env);

// Letters, digits, '_', '-' and '.' only (others become '_'), at most 120 characters.
std::string case_id(std::string_view text);

}  // namespace isobench::detail
