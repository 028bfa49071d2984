#pragma once
// `isobench bisect GOOD BAD SPEC`: the first commit after GOOD (along first parents, up to BAD)
// that is slower than GOOD, each probe M judged by a two-build run of GOOD vs M (as `ab`), never
// by single runs. M is bad when a workload is significantly slower than GOOD (Holm-adjusted p at
// most the spec's alpha) by more than the threshold; a build whose run timed out counts as slow;
// a commit that does not build, or whose run fails otherwise, is skipped for a neighbour.

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "commits/bisect_search.hpp"
#include "commits/judge_commits.hpp"

namespace isobench::detail {

struct bisect_request {
  std::string good, bad;
  two_build_options ab;  // spec, out dir, impl tag ("bisect" by default: each probe writes <spec>_<tag>-<commit>.json)
  std::optional<double> threshold;  // relative slowdown; default: the spec's noise threshold
  std::vector<int> cpus;            // where the judging runs (see judge_commits)
};

struct bisect_outcome {
  std::vector<std::string> commits;  // GOOD first, then every commit up to BAD
  bisect_steps steps;
  std::map<std::size_t, commit_judgement> judged;  // by index in commits
  std::map<std::size_t, std::string> skip_reasons;
  int builds = 0;  // commits built (not found in the cache)
};

// How one judgement answers a probe; "why" says it in words.
probe_answer classify_probe(const run_outcome& o, double threshold, std::string& why);

bisect_outcome run_bisect(builder& b, const bisect_request& rq, std::ostream& err);

// The closing summary: first bad commit with its verdict and CI, last good, probes and skips.
void print_bisect_summary(const bisect_outcome& r, const git::repository& repo, std::ostream& out);

}  // namespace isobench::detail
