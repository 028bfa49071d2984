#include "build/compiler_id.hpp"

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "io/captured_process.hpp"

namespace isobench::detail {

namespace {

std::string one_compiler(const recipe& r, const char* variable, const char* fallback) {
  std::string command = fallback;
  if (const char* v = std::getenv(variable); v != nullptr && *v != '\0') command = v;
  for (const auto& [name, value] : r.env) {
    if (name == variable) command = value;
  }
  command = command.substr(0, command.find(' '));  // "ccache g++": the launcher's compiler is not ours to guess
  const auto program = find_program(command);
  if (program.empty()) return fmt::format("{}: none", command);
  std::error_code ec;
  const auto resolved = std::filesystem::canonical(program, ec);
  const auto r2 = run_captured({program, "--version"}, {}, 60.0);
  auto version = r2.out.substr(0, r2.out.find('\n'));
  return fmt::format("{}: {}", ec ? program : resolved.string(), r2.ok() ? version : std::string("?"));
}

}  // namespace

std::string compiler_id(const recipe& r) {
  return fmt::format("cxx={}; cc={}", one_compiler(r, "CXX", "c++"), one_compiler(r, "CC", "cc"));
}

}  // namespace isobench::detail
