#pragma once
// Which registered implementations a commit touches, by three kinds of evidence, strongest first:
//   1. declared source files (kernel_builder::sources) matched against the changed paths;
//   2. identifiers from the diff, functions_changed and apis against op names and keywords;
//   3. words of the subject, message and changed paths.
// Each candidate carries a confidence in [0, 1] and the evidence behind it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/commit_clues.hpp"
#include "generate/commit_extraction.hpp"
#include "isobench/registry.hpp"

namespace isobench::detail {

struct target_candidate {
  const kernel_info* kernel = nullptr;
  double confidence = 0.0;
  std::vector<std::string> evidence;
};

// Confidence a candidate needs to be chosen without --target.
inline constexpr double target_min_confidence = 0.45;

// Every registered implementation with any evidence, best first (ties: by name).
std::vector<target_candidate> rank_targets(const registry& reg, const commit_extraction& c,
                                           const std::vector<std::string>& identifiers,
                                           const std::optional<dtype_clue>& dtype);

// Glob over '/'-separated paths: '*' within one segment, '**' across segments. A changed path also
// matches when a pattern matches its tail (extractions may carry a repository prefix).
bool source_matches(std::string_view pattern, std::string_view path);

}  // namespace isobench::detail
