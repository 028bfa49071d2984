#pragma once
// `isobench continuous [BASE] [HEAD] SPEC...`: two commits of a repository built with its recipe
// and judged on each spec as `ab` judges two builds. HEAD defaults to the repository's HEAD, BASE
// to HEAD's first parent.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "commits/judge_commits.hpp"

namespace isobench::detail {

struct continuous_args {
  std::vector<std::string> revisions;  // 0, 1 (head) or 2 (base, head)
  std::vector<std::filesystem::path> specs;
};

// The leading arguments that are not files are revisions (at most two), the rest specs;
// config_error when no spec remains or a later argument is no file.
continuous_args split_revisions(const std::vector<std::string>& args);

struct continuous_outcome {
  std::string base, head;                    // full hashes
  std::vector<commit_judgement> judgements;  // one per spec
  exit_code code = exit_code::ok;            // the first spec's that is not ok
};

continuous_outcome run_continuous(builder& b, const continuous_args& a, const two_build_options& o,
                                  const std::vector<int>& cpus, const std::vector<report_target>& reporters,
                                  std::ostream& err);

}  // namespace isobench::detail
