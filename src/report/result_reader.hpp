#pragma once
// Reads result documents back (for `compare`): only what a comparison needs, validated, with
// errors naming the file and the JSON pointer.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "isobench/kernel.hpp"

namespace isobench::detail {

struct loaded_case {
  std::string workload;
  std::string implementation;
  std::string role;
  std::string device;
  std::vector<double> samples_ms;
  double p50_ms = 0.0;
  std::optional<bool> eq_passed;  // absent when nothing was compared
  std::optional<std::string> eq_level;
  std::vector<counter> counters;
};

struct loaded_result {
  std::string file;
  std::string spec_name;
  std::string impl_tag;
  std::string commit_hash;
  std::string isobench_version;
  nlohmann::json environment;
  std::vector<loaded_case> cases;
};

inline constexpr std::size_t result_max_bytes = std::size_t{1} << 30;

// Throws config_error (exit 6) for a file that is not an isobench result of a known schema.
loaded_result load_result(const std::filesystem::path& file);
// The same from the file's bytes (`file` names it in messages).
loaded_result parse_result(std::string_view bytes, const std::string& file);

}  // namespace isobench::detail
