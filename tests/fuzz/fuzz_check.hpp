#pragma once
// What a fuzz target accepts as the answer to any input: a result, or an isobench::error (the CLI
// prints it and exits with its documented code) whose message names the input. Anything else is a
// finding: another exception (the CLI's "internal error", a bug by definition), a crash, a
// sanitizer report, a hang or memory exhausted. Aborting makes libFuzzer keep the input.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "isobench/error.hpp"

namespace isobench::fuzz {

[[noreturn]] inline void finding(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "FINDING: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `parse`; `source` (the name the input is read under) must appear in every error message,
// unless empty.
template <class F>
void expect_clean(std::string_view source, F&& parse) {
  try {
    parse();
  } catch (const isobench::error& e) {
    if (!source.empty() && std::string_view(e.what()).find(source) == std::string_view::npos) {
      finding("an error that does not name the input", e.what());
    }
  } catch (const std::exception& e) {
    finding("an exception other than isobench::error", e.what());
  }
}

}  // namespace isobench::fuzz
