#include "suite/suite.hpp"

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "isobench/error.hpp"

namespace isobench::detail {

suite load_suite(const std::filesystem::path& file, const registry& reg, const suite_environment& env) {
  const auto text = read_file(file, suite_max_bytes, exit_code::invalid_config, "suite");
  const auto ext = file.extension().string();
  if (ext == ".yaml" || ext == ".yml") return load_torchao_suite(text, file.string(), reg, env);
  if (ext == ".json") return load_json_suite(text, file, reg, env);
  throw config_error(fmt::format("{}: expected a .yaml/.yml torchao config or a .json suite", file.string()));
}

}  // namespace isobench::detail
