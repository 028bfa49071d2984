#pragma once
// `isobench generate`: a commit extraction -> a spec in our format, with every decision explained
// (claims found and the one chosen, optimisation type, target, workloads, dtype) both on stderr
// and under "_generated" in the spec.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/commit_extraction.hpp"
#include "isobench/registry.hpp"

namespace isobench::detail {

// Extractions carry whole PR pages and diffs: 256 MiB is far above a real one and bounds memory.
inline constexpr std::size_t extraction_max_bytes = std::size_t{256} << 20;

// Reads and parses an extraction; invalid UTF-8 bytes become U+FFFD (noted), anything else wrong
// is a config_error (exit 6) naming the file and field.
commit_extraction load_commit_extraction(const std::filesystem::path& file);
// The same from the file's bytes (`source` names it in messages).
commit_extraction parse_commit_extraction_text(std::string text, const std::string& source);

struct generate_options {
  std::optional<std::string> target;  // "op.impl": skip target matching
  // A spec of the target's op whose workloads (and timing and equivalence) the generated spec takes,
  // for ops without a workload rule (a user's own kernels) or to keep a project's own shapes.
  std::optional<std::filesystem::path> workloads_from;
};

struct generated_spec {
  nlohmann::json spec;
  std::vector<std::string> explanation;  // one line per decision
  // Set when no registered implementation matches well enough (the message names the nearest
  // candidates): `spec` is then the same document with "target": null, and generate exits 1.
  std::optional<std::string> unresolved;
};

// Never loses what it found: with no matching implementation the result is marked `unresolved`
// and carries claims, chosen claim, type and candidates. Throws config_error when the op has no
// workload rule or --target is malformed, error(target_not_resolved) for an unknown --target.
generated_spec generate_spec(const commit_extraction& c, const registry& reg, const generate_options& o);

}  // namespace isobench::detail
