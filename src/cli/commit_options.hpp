#pragma once
// Options shared by the commands that build commits (continuous, backfill, bisect) and by those
// that judge two builds (ab, continuous, bisect).

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "build/builder.hpp"
#include "git/repository.hpp"
#include "runner/ab.hpp"

namespace isobench::detail::cli {

struct commit_build_options {
  std::string repo = ".";
  std::string recipe;  // default: <repo>/.isobench/recipe.json
  std::string cache_dir;
  bool rebuild = false;
  int jobs = 0;
};

void add_commit_build_options(CLI::App* sub, commit_build_options& o);

// The repository, its recipe and a builder over the cache (the builder refers to the repository).
struct commit_workspace {
  git::repository repo;
  builder builds;
  commit_workspace(const commit_build_options& o, std::ostream* progress);
};

struct judge_extras {
  std::string junit, markdown, pin_cpu;
  bool stdout_json = false, eqcheck = false;
};

// ab's options for judging two builds (all but the spec and the executables); `reports`: also
// --junit, --markdown and --stdout-json.
void add_judge_options(CLI::App* sub, two_build_options& o, judge_extras& x, bool reports = true);

// --eqcheck and the --junit/--markdown files into `o`; the reporters `ab` runs (the console table
// unless -q, ISO-Bench summary lines with --stdout-json).
std::vector<report_target> prepare_judging(two_build_options& o, const judge_extras& x, std::ostream& out,
                                           std::ostream& err);

// The CPUs two builds are judged on: --pin-cpu's, else the last CPU this process may use (both
// builds share it); empty when there is nothing to choose.
std::vector<int> judging_cpus(const std::string& pin_cpu, bool quiet, std::ostream& err);

// Runs `body`; Ctrl-C during a git or build step ends it with exit 130, as in `suite`.
int exit_130_on_interrupt(const std::function<int()>& body, std::ostream& err);

}  // namespace isobench::detail::cli
